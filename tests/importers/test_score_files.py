"""Reading score files as officers save them, and refusing bad ones with file and row."""

from __future__ import annotations

import json

import pytest
from openpyxl import Workbook

from openita.importers import InputInvalid, load_result, read_file
from tests.conftest import EXAMPLES


def _csv(tmp_path, text, name="s.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def _full_csv(extra="", header="code,score"):
    src = (EXAMPLES / "bansong-2565.csv").read_text(encoding="utf-8").splitlines()[1:]
    return "\n".join([header, *src]) + "\n" + extra


def test_example_reads(tmp_path):
    data = read_file(EXAMPLES / "bansong-2565.csv")
    assert data.fiscal_year == 2565
    assert data.scores["o12"] == 0 and data.scores["i7"] == 84.94


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp874", "tis-620", "utf-16"])
def test_encodings_with_thai_headers(tmp_path, encoding):
    text = _full_csv(header="รหัส,คะแนน")
    result = load_result([_csv(tmp_path, text, encoding=encoding)])
    assert round(result.total, 2) == 90.52


def test_thai_digits_semicolons_blank_rows_and_title_rows(tmp_path):
    lines = ["ผลการประเมิน ITA เทศบาลตำบลบ้านส้อง;;", "", "ข้อ;คะแนน;หมายเหตุ"]
    for code, score in [
        ("ind1", "๙๕.๒๑"),
        ("ind2", "92.11"),
        ("IND3", " 94.38 "),
        ("ind4", "91.96"),
        ("ind5", "91.82"),
        ("ind6", "81.03"),
        ("ind7", "76.92"),
        ("ind8", "78.64"),
        ("ind9", "94.64"),
        ("ind10", "100"),
    ]:
        lines += [f"{code};{score};", ""]
    result = load_result([_csv(tmp_path, "\n".join(lines))])
    assert result.scores["ind1"] == 95.21
    assert round(result.total, 2) == 90.52


def test_oit_codes_with_thai_zero(tmp_path):
    data = read_file(_csv(tmp_path, "code,score\n๐12,0\nO20,0\n"))
    assert data.scores == {"o12": 0.0, "o20": 0.0}


def test_xlsx(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["code", "score", "ชื่อ"])
    for line in (EXAMPLES / "bansong-2565.csv").read_text(encoding="utf-8").splitlines()[1:]:
        code, value = line.split(",")
        sheet.append([code, float(value)])
    path = tmp_path / "scores.xlsx"
    book.save(path)
    result = load_result([path])
    assert round(result.total, 2) == 90.52 and result.fiscal_year == 2565


def test_json_scores_and_answers(tmp_path):
    scores = {
        k: v
        for k, v in read_file(EXAMPLES / "bansong-2565.csv").scores.items()
        if not k.startswith("i")
    }
    path = tmp_path / "in.json"
    # IIT from raw answers needs every IIT item answered by someone:
    from openita import engine, frameworks

    keys = engine.answer_keys(frameworks.get("ita-2565"))
    best = {"i4": 2, "i5": 2, "i6": 2, "i26": 1}  # yes/no items: the option worth 100

    def flipped(key):
        return (
            key.item.reversed
            if key.sub_index is None
            else key.item.sub_item_reversed(key.sub_index)
        )

    answers = [
        {k: best.get(k.split(".")[0], 1 if flipped(keys[k]) else 4) for k in keys if k[0] == "i"}
    ]
    path.write_text(
        json.dumps(
            {"fiscal_year": 2565, "scores": scores, "respondents": answers}, ensure_ascii=False
        ),
        encoding="utf-8",
    )
    result = load_result([path])
    assert result.scores["IIT"] == pytest.approx(100.0)  # best answers everywhere


def test_raw_answers_csv_plus_scores(tmp_path):
    from openita import engine, frameworks

    keys = [k for k in engine.answer_keys(frameworks.get("ita-2565")) if k[0] == "i"]
    rows = ["respondent," + ",".join(keys)]
    rows += [f"{n}," + ",".join("1" for _ in keys) for n in (1, 2)]
    answers = _csv(tmp_path, "\n".join(rows), "iit.csv")
    rest = _csv(tmp_path, "code,score\nEIT,80\nOIT,90\n", "rest.csv")
    result = load_result([answers, rest])
    assert 0 < result.scores["IIT"] < 100
    assert result.total == pytest.approx(0.3 * result.scores["IIT"] + 0.3 * 80 + 0.4 * 90)


BAD = [
    ("unknown code", "code,score\nind1,90\nx9,50\n", ["s.csv:3: unknown code 'x9'"]),
    (
        "duplicate",
        "code,score\nind1,90\nind1,91\n",
        ["s.csv:3: ind1: duplicate code (first at s.csv:2)"],
    ),
    ("out of range", "code,score\nind1,120\n", ["s.csv:2: ind1: score 120 is outside 0-100"]),
    ("not a number", "code,score\nind1,ดี\n", ["s.csv:2: ind1: score 'ดี' is not a number"]),
    ("no score", "code,score\nind1,\n", ["s.csv:2: ind1: no score"]),
    ("no header", "hello,world\n1,2\n", ["s.csv:1: no header row"]),
    ("missing tool", "code,score\nIIT,90\nEIT,90\n", ["missing tool OIT"]),
    ("bad year", "code,score\nfiscal_year,65\n", ["s.csv:2: fiscal_year '65' is not a year"]),
    (
        "two problems",
        "code,score\nind1,120\nind2,abc\n",
        ["s.csv:2: ind1: score 120", "s.csv:3: ind2: score 'abc'"],
    ),
]


@pytest.mark.parametrize(("case", "text", "expected"), BAD, ids=[b[0] for b in BAD])
def test_bad_files(tmp_path, case, text, expected):
    path = _csv(tmp_path, text)
    with pytest.raises(InputInvalid) as info:
        load_result([path])
    lines = [str(p).replace(str(tmp_path) + "/", "") for p in info.value.problems]
    for text_part in expected:
        assert any(text_part in line for line in lines), lines


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"   \n\n", "is empty"),
        (b"\x00\x01\x02binary", "binary file"),
        (b"PK\x03\x04not really a zip", "not a readable XLSX"),
        (b'{"scores": [1, 2]', "not valid JSON"),
        (b"code,score\n\x81\xfc\xfd,1\n", "neither UTF-8 nor TIS-620"),
    ],
)
def test_unreadable_files(tmp_path, content, message):
    path = tmp_path / "f.csv"
    path.write_bytes(content)
    with pytest.raises(InputInvalid) as info:
        load_result([path])
    assert message in str(info.value)


def test_raw_answer_problem_names_row(tmp_path):
    path = _csv(tmp_path, "respondent,i2,i9\n1,4,1\n2,9,1\n", "a.csv")
    with pytest.raises(InputInvalid) as info:
        load_result([path])
    assert any(
        str(p).endswith(
            "a.csv:3: i2: answer '9' is not an option (1-4 or one of: "
            "น้อยที่สุดหรือไม่มีเลย, น้อย, มาก, มากที่สุด)"
        )
        for p in info.value.problems
    ), [str(p) for p in info.value.problems]
