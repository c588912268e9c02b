"""Bringing data in: score files (CSV, XLSX, JSON, raw answers) and, later, earlier reports."""

from openita.importers.results import choose_framework, load_result, result_from
from openita.importers.scores import FileProblem, InputInvalid, ScoreInput, read_file, read_files

__all__ = [
    "FileProblem",
    "InputInvalid",
    "ScoreInput",
    "choose_framework",
    "load_result",
    "read_file",
    "read_files",
    "result_from",
]
