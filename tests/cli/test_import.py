"""`openita import report` and `openita template` as a user meets them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from openita.cli.main import cli

SEED3 = Path("/work/shared/seeds/003_905485496033a3c9.txt")
REPORT = """ผลการประเมิน ITA ของเทศบาลตำบลทดสอบ ประจำปีงบประมาณ พ.ศ. 2565
อันดับ\tตัวชี้วัด\tปี 2564\tปี 2565
1\tการปฏิบัติหน้าที่\t86.95\t95.21
2\tการใช้งบประมาณ\t77.31\t92.11
3\tการใช้อำนาจ\t82.37\t94.38
4\tการใช้ทรัพย์สินของราชการ\t76.87\t91.96
5\tการแก้ไขปัญหาการทุจริต\t79.40\t91.82
6\tคุณภาพการดำเนินงาน\t98.19\t81.03
7\tประสิทธิภาพการสื่อสาร\t76.45\t76.92
8\tการปรับปรุงระบบการทำงาน\t87.27\t78.64
9\tการเปิดเผยข้อมูล\t87.00\t94.64
10\tการป้องกันการทุจริต\t87.50\t100
ผลคะแนนรวม\t85.26\t90.52
"""


def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), input=stdin)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def report(tmp_path: Path) -> Path:
    path = tmp_path / "report.txt"
    path.write_bytes(REPORT.encode("cp874"))  # as a Thai Windows machine saves it
    return path


def test_json_contract(report: Path):
    code, out, _ = run("import", "report", str(report), "--json")
    assert code == 0
    data = json.loads(out)
    assert {"agency", "years", "problems", "other_agencies"} <= set(data)
    assert data["agency"] == "เทศบาลตำบลทดสอบ"
    year = data["years"]["2565"]
    for key in ("indicators", "items", "claimed_total", "computed_total", "rating", "claims",
                "found_at"):  # fmt: skip
        assert key in year
    assert year["computed_total"] == 90.52 and year["claimed_total"] == 90.52
    assert year["found_at"]["ind1"]["line"] == 3


@pytest.mark.skipif(not SEED3.exists(), reason="seed 003 not present")
def test_seed003_text_output():
    code, out, _ = run("import", "report", str(SEED3))
    assert code == 0
    assert "FY2563" in out and "FY2564" in out and "FY2565" in out
    assert "85.29" in out and "DISAGREES" in out


def test_nothing_saved_without_save_dir(report: Path, tmp_path: Path):
    before = set(tmp_path.iterdir())
    assert run("import", "report", str(report))[0] == 0
    assert set(tmp_path.iterdir()) == before


def test_save_asks_and_no_saves_nothing(report: Path, tmp_path: Path):
    out_dir = tmp_path / "scores"
    code, _, err = run("import", "report", str(report), "--save-dir", str(out_dir), stdin="n\nn\n")
    assert code == 0 and "not saved" in err
    assert not out_dir.exists() or not list(out_dir.iterdir())


def test_save_yes_then_analyze_reads_them(report: Path, tmp_path: Path):
    out_dir = tmp_path / "scores"
    code, _, _ = run("import", "report", str(report), "--save-dir", str(out_dir), "--yes")
    assert code == 0
    saved = sorted(p.name for p in out_dir.iterdir())
    assert saved == ["เทศบาลตำบลทดสอบ-2564.csv", "เทศบาลตำบลทดสอบ-2565.csv"]
    code, out, _ = run(
        "analyze", str(out_dir / saved[1]), "--history", str(out_dir / saved[0]), "--json"
    )
    assert code == 0
    data = json.loads(out)
    assert data["total"] == 90.52 and data["trend"]["years"] == ["2564", "2565"]
    # an existing file is kept without --force
    code, _, err = run("import", "report", str(report), "--save-dir", str(out_dir), "--yes")
    assert code == 2 and "--force" in err
    code, _, _ = run(
        "import", "report", str(report), "--save-dir", str(out_dir), "--yes", "--force"
    )
    assert code == 0


def test_confirm_one_year_only(report: Path, tmp_path: Path):
    out_dir = tmp_path / "s"
    code, _, _ = run(
        "import", "report", str(report), "--save-dir", str(out_dir), "--year", "2565",
        stdin="y\n",
    )  # fmt: skip
    assert code == 0 and [p.name for p in out_dir.iterdir()] == ["เทศบาลตำบลทดสอบ-2565.csv"]


def test_nothing_usable_exits_2(tmp_path: Path):
    empty = tmp_path / "scan.txt"
    empty.write_text("   \n\f\n", encoding="utf-8")
    code, _, err = run("import", "report", str(empty))
    assert code == 2 and "OCR" in err
    other = tmp_path / "minutes.txt"
    other.write_text("รายงานการประชุมสภาเทศบาล วาระที่ 1 เรื่องแจ้งเพื่อทราบ\n" * 3, encoding="utf-8")
    code, _, err = run("import", "report", str(other))
    assert code == 2 and "not an ITA results report" in err


def test_missing_file_exits_2(tmp_path: Path):
    code, _, err = run("import", "report", str(tmp_path / "nope.pdf"))
    assert code == 2 and "cannot be read" in err


@pytest.mark.parametrize("name", ["t.csv", "t.xlsx"])
def test_template_command(tmp_path: Path, name: str):
    out = tmp_path / name
    code, stdout, _ = run("template", "-o", str(out), "--framework", "ita-2565")
    assert code == 0 and out.exists() and "ita-2565" in stdout
    assert run("template", "-o", str(out))[0] == 2  # exists
    assert run("template", "-o", str(out), "--force", "--level", "indicators")[0] == 0


def test_template_bad_extension(tmp_path: Path):
    code, _, err = run("template", "-o", str(tmp_path / "t.ods"))
    assert code == 2 and ".csv or .xlsx" in err


NEWS = """ประกาศเทศบาลเมืองตัวอย่าง ลงวันที่ 20 ธันวาคม 2567
ผลการประเมิน ITA ย้อนหลัง
| ปีงบประมาณ | คะแนน | ระดับ |
|---|---|---|
| 2565 | 88.10 | A |
| 2566 | ๙๕.๒๐ | **AA** |

เทศบาลเมืองตัวอย่าง ได้รับผลการประเมิน ITA ปีงบประมาณ 2567 ได้คะแนน “96.51” คะแนน
(ผ่าน) ระดับ AA
"""


def test_a_document_of_totals_only_is_read_as_headline_years(tmp_path: Path):
    doc = tmp_path / "news.txt"
    doc.write_text(NEWS, encoding="utf-8")
    code, out, _ = run("import", "report", str(doc), "--json")
    assert code == 0
    years = json.loads(out)["years"]
    assert {y: (v["claimed_total"], v["rating"], v["headline_only"]) for y, v in years.items()} == {
        "2565": (88.1, "A", True),
        "2566": (95.2, "AA", True),
        "2567": (96.51, "AA", True),
    }
    assert years["2567"]["claims"][0]["line"] == 8
    code, out, _ = run("import", "report", str(doc))
    assert code == 0 and "FY2566 (ita-2566): headline only" in out
    code, _, err = run("import", "report", str(doc), "--save-dir", str(tmp_path / "s"), "--yes")
    assert code == 0 and "FY2567: headline only (total and rating), no score file" in err
    assert not (tmp_path / "s").exists()


def test_check_points_out_a_rating_that_does_not_go_with_the_total(tmp_path: Path):
    doc = tmp_path / "news.txt"
    doc.write_text(NEWS.replace("(ผ่าน) ระดับ AA", "ระดับ ผ่านดีเยี่ยม ระดับ a"), encoding="utf-8")
    code, out, _ = run("check", str(doc))
    assert code == 1
    assert "FY2567: the report claims rating A but its stated total of 96.51" in out


def test_published_figures_go_into_the_saved_file(tmp_path: Path):
    text = REPORT + "แบบวัด IIT (93.10 คะแนน) และแบบวัด EIT (70.00 คะแนน) ปี 2565\n"
    doc = tmp_path / "r.txt"
    doc.write_text(text, encoding="utf-8")
    code, out, _ = run("import", "report", str(doc), "--json")
    assert code == 0
    year = json.loads(out)["years"]["2565"]
    assert year["tools"] == {"IIT": 93.1, "EIT": 70.0}
    assert year["published"]["EIT"] == 70.0 and year["published"]["ind1"] == 95.21
    assert year["published"]["total"] == 90.52
    problems = [p["message"] for p in json.loads(out)["problems"]]
    assert "FY2565: the report claims a EIT score of 70 but its 3 indicator scores (lines 8-10) " \
        "give 78.86" in problems  # fmt: skip
    out_dir = tmp_path / "s"
    run("import", "report", str(doc), "--save-dir", str(out_dir), "--yes", "--year", "2565")
    saved = (out_dir / "เทศบาลตำบลทดสอบ-2565.csv").read_text(encoding="utf-8")
    assert "EIT,70\n" in saved and "total,90.52\n" in saved
    code, out, _ = run("analyze", str(out_dir / "เทศบาลตำบลทดสอบ-2565.csv"), "--json")
    data = json.loads(out)
    # recomputed from the indicators; the file's EIT stays a claim
    assert code == 0 and data["total"] == 90.52
    assert any(m["code"] == "EIT" and m["claimed"] == 70.0 for m in data["consistency"])


@pytest.mark.skipif(not Path("/usr/bin/pdftotext").exists(), reason="no pdftotext")
def test_our_own_analysis_pdf_reads_back_without_a_problem(tmp_path: Path):
    from tests.conftest import EXAMPLES

    pdf = tmp_path / "analysis.pdf"
    code, _, _ = run(
        "report", "analysis", str(EXAMPLES / "bansong-2565.csv"), "-o", str(pdf),
        "-H", str(EXAMPLES / "bansong-2564.csv"), "-H", str(EXAMPLES / "bansong-2563.csv"),
        "--agency", "เทศบาลตำบลบ้านส้อง",
    )  # fmt: skip
    assert code == 0
    code, out, _ = run("import", "report", str(pdf), "--json")
    data = json.loads(out)
    assert code == 0 and data["problems"] == []
    assert {y: v["complete"] for y, v in data["years"].items()} == {
        "2563": True, "2564": True, "2565": True,
    }  # fmt: skip
    assert data["years"]["2565"]["rating"] == "A"
