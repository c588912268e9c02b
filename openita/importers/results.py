"""Files -> a scored Result: reading, choosing the framework, raw answers, scoring.

Engine problems name codes; here they get the file and row the code came from.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from openita import engine, frameworks
from openita.frameworks import Framework
from openita.importers.scores import FileProblem, InputInvalid, ScoreInput, read_files


def choose_framework(explicit: str | None, data: ScoreInput) -> Framework:
    """--framework wins; then the file's own ``framework``; then the framework of its fiscal
    year; then the latest verified one. Raises FrameworkNotFound / FrameworkInvalid."""
    if explicit:
        return frameworks.get(explicit)
    if data.framework:
        return frameworks.get(data.framework)
    if data.fiscal_year is not None:
        found = frameworks.for_year(data.fiscal_year)
        if found is not None:
            return found
    return frameworks.default()


def _where(data: ScoreInput, problem: engine.Problem) -> FileProblem:
    files = ", ".join(data.files)
    if problem.respondent is not None:
        file, row = data.respondent_rows[problem.respondent]
        return FileProblem(file, row or None, problem.message)
    if problem.code is not None and problem.code in data.where:
        file, row2 = data.where[problem.code]
        return FileProblem(file, row2, problem.message)
    return FileProblem(files, None, problem.message)


def result_from(
    data: ScoreInput, framework: Framework, *, label: str | None = None
) -> engine.Result:
    scores = dict(data.scores)
    if data.problems:  # report the file's problems with the codes this framework lacks
        unknown = engine.scoring.check_codes(framework, scores)
        raise InputInvalid(_in_order([*data.problems, *(_where(data, p) for p in unknown)]))
    try:
        if data.respondents:
            from_answers, _ = engine.item_scores(framework, data.respondents)
            clash = sorted(set(from_answers) & set(scores))
            if clash:
                raise engine.ScoringError(
                    [
                        engine.Problem(f"{code}: given both as a score and by raw answers", code)
                        for code in clash
                    ]
                )
            scores.update(from_answers)
        return engine.score(framework, scores, fiscal_year=data.fiscal_year, label=label)
    except engine.ScoringError as exc:
        raise InputInvalid([_where(data, p) for p in exc.problems]) from None


def _in_order(problems: list[FileProblem]) -> list[FileProblem]:
    return sorted(problems, key=lambda p: (p.file, p.row or 0))


def load_result(
    paths: Sequence[Path],
    framework_ref: str | None = None,
    *,
    label: str | None = None,
    fiscal_year: int | None = None,
) -> engine.Result:
    data = read_files(paths)
    if fiscal_year is not None:
        data.fiscal_year = fiscal_year
    if data.problems and not data.scores and not data.respondents:
        raise InputInvalid(data.problems)
    if data.fiscal_year is None:
        data.fiscal_year = _year_from_names(paths)
    framework = choose_framework(framework_ref, data)
    return result_from(data, framework, label=label or ", ".join(p.name for p in paths))


def _year_from_names(paths: Sequence[Path]) -> int | None:

    for path in paths:
        match = re.search(r"(?<!\d)(25[5-9]\d)(?!\d)", path.stem)
        if match:
            return int(match.group(1))
    return None
