"""Reading score files: CSV, XLSX or JSON, with item/indicator scores or raw answers.

Formats (documented for users in docs/input-formats.md):

* Scores, CSV or XLSX: a header row with a ``code`` column and a ``score`` column (Thai
  headers รหัส / ข้อ and คะแนน work too; other columns are ignored), then one row per code.
  Meta rows ``fiscal_year`` and ``framework`` may appear among them.
* Raw answers, CSV or XLSX: a header row whose first column is ``respondent``, then one
  column per answer key (``i1.1``, ``i2`` …) and one row per respondent.
* JSON: ``{"framework": …, "fiscal_year": …, "scores": {code: score}, "respondents":
  [{answer key: option}]}``; every key optional; ``scores`` may also be a list of
  ``{"code": …, "score": …}``.

Text files may be UTF-8 (with or without BOM), UTF-16 with BOM, or TIS-620/cp874 as Thai
Excel saves them. Thai digits are read as digits. Every problem is collected with its file
and row; nothing is scored when there is one.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openita.engine.answers import Answer

THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
CODE_HEADERS = {"code", "รหัส", "ข้อ", "ตัวชี้วัด/ข้อ", "item"}
SCORE_HEADERS = {"score", "คะแนน", "คะแนนที่ได้", "value", "ผลคะแนน"}
RESPONDENT_HEADERS = {"respondent", "ผู้ตอบ", "respondent_id", "ลำดับผู้ตอบ"}
META = {
    "fiscal_year": "fiscal_year",
    "year": "fiscal_year",
    "ปีงบประมาณ": "fiscal_year",
    "framework": "framework",
    "กรอบการประเมิน": "framework",
}
TOTAL_ALIASES = {"total", "คะแนนรวม", "ผลคะแนนรวม"}
TOOL_CODES = {"iit", "eit", "oit"}
MAX_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class FileProblem:
    file: str
    row: int | None  # 1-based row (or line) in the file; None for the whole file
    message: str

    def __str__(self) -> str:
        where = self.file if self.row is None else f"{self.file}:{self.row}"
        return f"{where}: {self.message}"


class InputInvalid(Exception):
    def __init__(self, problems: list[FileProblem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


@dataclass
class ScoreInput:
    """What one or more files hold for one year of one agency."""

    files: list[str] = field(default_factory=list)
    scores: dict[str, float] = field(default_factory=dict)
    respondents: list[dict[str, Answer]] = field(default_factory=list)
    respondent_rows: list[tuple[str, int]] = field(default_factory=list)  # file, row
    where: dict[str, tuple[str, int | None]] = field(default_factory=dict)  # code -> file, row
    fiscal_year: int | None = None
    framework: str | None = None
    problems: list[FileProblem] = field(default_factory=list)  # row-level, all of them


def normalize_code(raw: str) -> str:
    """``O12``, ``๐12``, ``o๑๒`` -> ``o12``; ``iit`` -> ``IIT``; ``คะแนนรวม`` -> ``total``."""
    text = raw.strip()
    if re.match(r"^๐[0-9๐-๙]", text):  # the seeds print o12 with a Thai zero: ๐12
        text = "o" + text[1:]
    text = text.translate(THAI_DIGITS).replace(" ", "")
    low = text.lower()
    if low in TOTAL_ALIASES or text in TOTAL_ALIASES:
        return "total"
    if low in TOOL_CODES:
        return low.upper()
    return low


def parse_score(raw: Any) -> float | None:
    """A score as a number, from a cell or a JSON value; None when it is not one."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int | float):
        value = float(raw)
    else:
        text = str(raw).strip().translate(THAI_DIGITS).rstrip("%").strip()
        if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", text):
            return None
        value = float(text)
    return value if math.isfinite(value) else None


def decode_text(data: bytes, name: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if b"\x00" in data[:4096]:
        raise InputInvalid([FileProblem(name, None, "is a binary file, not CSV, XLSX or JSON")])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp874")  # TIS-620 and its Windows superset, as Thai Excel saves
    except UnicodeDecodeError as exc:
        raise InputInvalid(
            [FileProblem(name, None, f"is neither UTF-8 nor TIS-620/cp874 text (byte {exc.start})")]
        ) from None


def _rows_from_text(text: str) -> list[list[str]]:
    sample = text[:4096]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [list(r) for r in csv.reader(io.StringIO(text), dialect)]


def _rows_from_xlsx(data: bytes, name: str) -> list[list[str]]:
    from openpyxl import load_workbook  # imported here: most runs read CSV only

    from openita.importers.xlsxguard import ArchiveRefused, check_xlsx

    try:
        check_xlsx(data)  # before anything is unpacked: a small file may inflate to GBs
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except ArchiveRefused as exc:
        raise InputInvalid([FileProblem(name, None, str(exc))]) from None
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError) as exc:
        raise InputInvalid(
            [FileProblem(name, None, f"is not a readable XLSX workbook ({exc})")]
        ) from None
    sheet = book.worksheets[0]
    rows = []
    for row in sheet.iter_rows(values_only=True):
        rows.append(["" if v is None else _cell_text(v) for v in row])
    book.close()
    return rows


def _cell_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _find_header(rows: Sequence[Sequence[str]]) -> tuple[int, dict[str, int]] | None:
    """Index of the header row and the column of each role, looking past title rows."""
    for n, row in enumerate(rows[:10]):
        cells = [c.strip().lower() for c in row]
        roles: dict[str, int] = {}
        for col, cell in enumerate(cells):
            if cell in CODE_HEADERS and "code" not in roles:
                roles["code"] = col
            elif cell in SCORE_HEADERS and "score" not in roles:
                roles["score"] = col
            elif cell in RESPONDENT_HEADERS and col == 0:
                roles["respondent"] = col
        if "respondent" in roles or ("code" in roles and "score" in roles):
            return n, roles
    return None


def _blank(row: Sequence[str]) -> bool:
    return all(not c.strip() for c in row)


def read_file(path: Path, into: ScoreInput | None = None) -> ScoreInput:
    """Read one file into ``into`` (a new ScoreInput when None).

    A file that cannot be read at all raises InputInvalid; problems in its rows are collected
    in ``problems`` so that the caller can add its own (unknown codes) and report them all.
    """
    name = str(path)
    target = into if into is not None else ScoreInput()
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputInvalid([FileProblem(name, None, f"cannot be read ({exc.strerror})")]) from None
    if not data.strip():
        raise InputInvalid([FileProblem(name, None, "is empty")])
    if len(data) > MAX_BYTES:
        raise InputInvalid([FileProblem(name, None, f"is larger than {MAX_BYTES // 2**20} MB")])
    target.files.append(name)
    if data.startswith(b"PK\x03\x04"):
        _read_rows(_rows_from_xlsx(data, name), name, target)
    else:
        text = decode_text(data, name)
        if path.suffix.lower() == ".json" or text.lstrip().startswith(("{", "[")):
            _read_json(text, name, target)
        else:
            _read_rows(_rows_from_text(text), name, target)
    return target


def read_files(paths: Iterable[Path]) -> ScoreInput:
    """Read several files as one input (e.g. IIT raw answers + OIT item scores)."""
    merged = ScoreInput()
    for path in paths:
        try:
            read_file(path, merged)
        except InputInvalid as exc:
            merged.problems += exc.problems
    return merged


def _read_rows(rows: list[list[str]], name: str, target: ScoreInput) -> None:
    found = _find_header(rows)
    if found is not None:
        header, roles = found
    elif rows and len(rows[0]) >= 2 and normalize_code(rows[0][0])[:1] in "ieo":
        header, roles = -1, {"code": 0, "score": 1}  # a headerless code,score list
    else:
        message = (
            "no header row with 'code' and 'score' columns (or 'respondent' for raw answers) "
            "in the first 10 rows"
        )
        raise InputInvalid([FileProblem(name, 1, message)])
    body = [(n + 1, r) for n, r in enumerate(rows) if n > header and not _blank(r)]
    if "respondent" in roles:
        _read_answer_rows(rows[header], body, name, target)
    else:
        _read_score_rows(body, roles, name, target)


def _read_score_rows(
    body: list[tuple[int, list[str]]], roles: dict[str, int], name: str, target: ScoreInput
) -> None:
    problems: list[FileProblem] = []
    entries = []
    for line, row in body:
        code_raw = row[roles["code"]] if roles["code"] < len(row) else ""
        value_raw = row[roles["score"]] if roles["score"] < len(row) else ""
        entries.append((line, code_raw, value_raw))
    problems += _take_entries(entries, name, target)
    if not entries:
        problems.append(FileProblem(name, None, "has a header but no scores"))
    target.problems += problems


def _take_entries(
    entries: Iterable[tuple[int | None, Any, Any]], name: str, target: ScoreInput
) -> list[FileProblem]:
    problems: list[FileProblem] = []
    for line, code_raw, value_raw in entries:
        code = normalize_code(str(code_raw))
        if not code:
            problems.append(FileProblem(name, line, f"no code for the score {value_raw!r}"))
            continue
        meta = META.get(code)
        if meta is not None and not str(value_raw).strip():
            continue  # a blank meta row (a template's fiscal_year left empty) says nothing
        if meta is not None:
            problems += _take_meta(meta, value_raw, name, line, target)
            continue
        value = parse_score(value_raw)
        if value is None:
            shown = str(value_raw).strip()
            problems.append(
                FileProblem(
                    name,
                    line,
                    f"{code}: score {shown!r} is not a number" if shown else f"{code}: no score",
                )
            )
            continue
        if not 0 <= value <= 100:
            problems.append(FileProblem(name, line, f"{code}: score {value:g} is outside 0-100"))
            continue
        if code in target.scores:
            first_file, first_row = target.where[code]
            at = first_file if first_row is None else f"{first_file}:{first_row}"
            problems.append(FileProblem(name, line, f"{code}: duplicate code (first at {at})"))
            continue
        target.scores[code] = value
        target.where[code] = (name, line)
    return problems


def _take_meta(
    key: str, raw: Any, name: str, line: int | None, target: ScoreInput
) -> list[FileProblem]:
    text = str(raw).strip().translate(THAI_DIGITS)
    if key == "framework":
        target.framework = text
        return []
    if not re.fullmatch(r"25\d\d|20\d\d", text):
        return [FileProblem(name, line, f"fiscal_year {raw!r} is not a year like 2565")]
    year = int(text)
    year = year + 543 if year < 2400 else year  # a C.E. year is taken as its B.E. year
    if target.fiscal_year is not None and target.fiscal_year != year:
        return [
            FileProblem(
                name, line, f"fiscal_year {year} differs from {target.fiscal_year} given before"
            )
        ]
    target.fiscal_year = year
    return []


def _read_answer_rows(
    header: list[str], body: list[tuple[int, list[str]]], name: str, target: ScoreInput
) -> None:
    keys = [normalize_code(h) for h in header]
    for line, row in body:
        answers: dict[str, Answer] = {}
        for key, cell in zip(keys[1:], row[1:], strict=False):
            if key:
                answers[key] = cell.strip().translate(THAI_DIGITS)
        target.respondents.append(answers)
        target.respondent_rows.append((name, line))
    if not body:
        target.problems.append(FileProblem(name, None, "has a header but no respondents"))


def _read_json(text: str, name: str, target: ScoreInput) -> None:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputInvalid(
            [FileProblem(name, exc.lineno, f"is not valid JSON: {exc.msg}")]
        ) from None
    if isinstance(data, list):
        data = {"scores": data}
    if not isinstance(data, dict):
        raise InputInvalid([FileProblem(name, None, "JSON must be an object or a list")])
    problems: list[FileProblem] = []
    unknown = set(data) - {"framework", "fiscal_year", "scores", "respondents", "agency"}
    if unknown:
        problems.append(FileProblem(name, None, f"unknown JSON keys: {', '.join(sorted(unknown))}"))
    for key in ("framework", "fiscal_year"):
        if data.get(key) is not None:
            problems += _take_meta(key, data[key], name, None, target)
    problems += _take_entries(_json_scores(data.get("scores", {}), name, problems), name, target)
    for n, resp in enumerate(_json_list(data.get("respondents", []), name, problems)):
        answers = resp.get("answers", resp) if isinstance(resp, dict) else None
        if not isinstance(answers, dict):
            problems.append(FileProblem(name, None, f"respondents[{n}] is not an object"))
            continue
        target.respondents.append(
            {str(k): _json_answer(v) for k, v in answers.items() if k not in ("id", "respondent")}
        )
        target.respondent_rows.append((f"{name} respondents[{n}]", 0))
    if not target.scores and not target.respondents and not problems:
        problems.append(FileProblem(name, None, "holds no scores and no respondents"))
    target.problems += problems


def _json_answer(value: Any) -> Answer:
    if value is None or isinstance(value, int | str):
        return value
    return str(value)


def _json_list(value: Any, name: str, problems: list[FileProblem]) -> list[Any]:
    if isinstance(value, list):
        return value
    problems.append(FileProblem(name, None, "'respondents' must be a list"))
    return []


def _json_scores(
    value: Any, name: str, problems: list[FileProblem]
) -> Iterator[tuple[int | None, Any, Any]]:
    if isinstance(value, dict):
        for code, score in value.items():
            yield None, code, score
    elif isinstance(value, list):
        for n, entry in enumerate(value):
            if isinstance(entry, dict) and "code" in entry:
                yield None, entry["code"], entry.get("score", "")
            else:
                problems.append(FileProblem(name, None, f"scores[{n}] needs 'code' and 'score'"))
    else:
        problems.append(FileProblem(name, None, "'scores' must be an object or a list"))
