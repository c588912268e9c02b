"""`openita plan draft` and `openita report ...`: files written, formats, bad input."""

from __future__ import annotations

import re
import shutil

import docx
import pytest
from click.testing import CliRunner

from openita.cli.main import cli
from tests.conftest import EXAMPLES, docx_plain

PLAN = str(EXAMPLES / "bansong-plan-2566.yaml")
SCORES = str(EXAMPLES / "bansong-2565.csv")
needs_chromium = pytest.mark.skipif(
    shutil.which("chromium") is None, reason="Chromium missing: run scripts/setup.sh as root"
)


def run(*args: str):
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["analysis", SCORES, "--agency", "เทศบาลตำบลบ้านส้อง"],
        ["plan", PLAN],
        ["progress", PLAN, "--round", "6"],
        ["memo", PLAN, "--round", "12"],
    ],
)
@pytest.mark.parametrize("ext", ["docx", "html"])
def test_report_formats(tmp_path, args, ext):
    out = tmp_path / f"doc.{ext}"
    code, _, err = run("report", *args, "-o", str(out))
    assert code == 0, err
    assert out.stat().st_size > 1000
    if ext == "docx":
        text = docx_plain("\n".join(p.text for p in docx.Document(str(out)).paragraphs))
        assert "เทศบาลตำบลบ้านส้อง" in text or "บันทึกข้อความ" in text
    else:
        assert "เทศบาลตำบลบ้านส้อง" in out.read_text(encoding="utf-8")


@needs_chromium
def test_report_pdf_and_format_option(tmp_path):
    out = tmp_path / "plan.bin"
    code, _, err = run("report", "plan", PLAN, "-o", str(out), "--format", "pdf")
    assert code == 0, err
    assert out.read_bytes().startswith(b"%PDF")


def test_unknown_extension(tmp_path):
    code, _, err = run("report", "plan", PLAN, "-o", str(tmp_path / "plan.txt"))
    assert code == 2 and "use .pdf, .docx or .html" in err


def test_bad_plan_file_names_the_field(tmp_path):
    bad = tmp_path / "plan.yaml"
    text = (EXAMPLES / "bansong-plan-2566.yaml").read_text(encoding="utf-8")
    bad.write_text(text.replace("percent: 50", "percent: 150", 1), encoding="utf-8")
    out = tmp_path / "p.docx"
    code, _, err = run("report", "progress", str(bad), "--round", "6", "-o", str(out))
    assert code == 2
    assert "percent" in err and "less than or equal to 100" in err and f"{bad}:" in err
    assert not out.exists()  # nothing half-written


def test_plan_draft_writes_a_plan_that_reports(tmp_path):
    out = tmp_path / "draft.yaml"
    code, _, err = run(
        "plan",
        "draft",
        SCORES,
        "--agency-file",
        str(EXAMPLES / "bansong-agency.yaml"),
        "-o",
        str(out),
    )
    assert code == 0, err
    assert "fiscal year 2566" in err
    code, _, err = run("plan", "draft", SCORES, "--agency", "x", "-o", str(out))
    assert code == 2 and "--force" in err  # never overwrites silently
    code, _, err = run("report", "plan", str(out), "-o", str(tmp_path / "plan.docx"))
    assert code == 0, err


def test_plan_draft_needs_an_agency(tmp_path):
    code, _, err = run("plan", "draft", SCORES, "-o", str(tmp_path / "x.yaml"))
    assert code == 2 and "--agency" in err


def test_memo_without_signers(tmp_path):
    bare = tmp_path / "plan.yaml"
    text = (EXAMPLES / "bansong-plan-2566.yaml").read_text(encoding="utf-8")
    start = text.index("  signers:")
    end = text.index("fiscal_year:")
    bare.write_text(text[:start] + text[end:], encoding="utf-8")
    code, _, err = run("report", "memo", str(bare), "--round", "6", "-o", str(tmp_path / "m.docx"))
    assert code == 2 and "agency.signers" in err


# Facts: carried rounds, memo blanks, official figures (issue 10)


def _plain(path) -> str:
    """The HTML preview's text: word spans and no-break spaces undone."""
    text = re.sub(r"<[^>]+>", "", path.read_text(encoding="utf-8"))
    return text.replace("\xa0", " ")


def test_progress_and_memo_of_round_12_warn_and_carry(tmp_path):
    out = tmp_path / "progress-12.html"
    code, _, err = run("report", "progress", PLAN, "--round", "12", "-o", str(out))
    assert code == 0, err
    assert "warning: nothing has been entered for the 12-month round itself" in err
    page = _plain(out)
    assert "ยกมาจากรอบ" in page and "ยังไม่ได้รายงานผล" in page
    memo = tmp_path / "memo-12.html"
    code, _, err = run("report", "memo", PLAN, "--round", "12", "-o", str(memo))
    assert code == 0, err
    assert "memo's date and reference are not in the plan" in err
    assert "...................." in _plain(memo)
    code, _, err = run("report", "memo", PLAN, "--round", "6", "-o", str(memo))
    # round 6 is complete: the only warning left is the example's missing emblem
    assert code == 0
    assert [w for w in err.splitlines() if w.startswith("warning") and "emblem" not in w] == []


def test_empty_round_is_a_warning(tmp_path):
    text = (EXAMPLES / "bansong-plan-2566.yaml").read_text(encoding="utf-8")
    empty = tmp_path / "plan.yaml"
    # every measure's progress removed: nothing entered in any round
    kept = []
    skipping = False
    for line in text.splitlines():
        if line.startswith("  progress:"):
            skipping = True
            continue
        if skipping and (line.startswith("    ") or not line.strip()):
            continue
        skipping = False
        kept.append(line)
    empty.write_text("\n".join(kept) + "\n", encoding="utf-8")
    out = tmp_path / "p.html"
    code, _, err = run("report", "progress", str(empty), "--round", "6", "-o", str(out))
    assert code == 0, err
    assert "nothing has been entered for the 6-month round yet" in err
    assert "เลยกำหนด" not in _plain(out)


def test_analysis_prints_published_figures_and_warns_on_a_difference(tmp_path):
    scores = tmp_path / "scores.csv"
    lines = (EXAMPLES / "bansong-2565.csv").read_text(encoding="utf-8").splitlines()
    scores.write_text(
        "\n".join("ind5,95.00" if ln.startswith("ind5,") else ln for ln in lines) + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "a.html"
    code, _, err = run("report", "analysis", str(scores), "--agency", "ทดสอบ", "-o", str(out))
    assert code == 0, err
    assert "warning: 2565 ind5: the document prints the given 95.00" in err
    page = _plain(out)
    assert "95.00" in page and "OpenITA" not in page
    code, _, err = run("report", "analysis", SCORES, "--agency", "ทดสอบ", "-o", str(out))
    assert code == 0 and "warning" not in err
    page = _plain(out)
    assert "91.82" in page and "93.10" in page


def test_analysis_options_cover_and_recommendations(tmp_path):
    recs = tmp_path / "recs.txt"
    recs.write_text("หน่วยงานควรเผยแพร่ข้อมูลสถิติการร้องเรียน\n\n", encoding="utf-8")
    out = tmp_path / "a.html"
    code, _, err = run(
        "report", "analysis", SCORES, "--agency", "ทดสอบ", "--recommendations", str(recs),
        "--issuer", "สำนักปลัด", "--cover", "-o", str(out),
    )  # fmt: skip
    assert code == 0, err
    page = _plain(out)
    assert "หน่วยงานควรเผยแพร่ข้อมูลสถิติการร้องเรียน" in page and "ผู้จัดทำ สำนักปลัด" in page
    code, _, err = run(
        "report", "analysis", SCORES, "--agency", "ทดสอบ", "--recommendations",
        str(tmp_path / "missing.txt"), "-o", str(out),
    )  # fmt: skip
    assert code == 2 and "--recommendations" in err and "missing.txt" in err


def test_analysis_foreword_and_issued_date(tmp_path):
    foreword = tmp_path / "foreword.txt"
    foreword.write_text("ย่อหน้าแรกของคำนำ\nต่อบรรทัด\n\nย่อหน้าที่สอง\n", encoding="utf-8")
    out = tmp_path / "a.docx"
    code, _, err = run(
        "report", "analysis", SCORES, "--agency", "ทดสอบ", "--foreword", str(foreword),
        "--issued", "2023-02-01", "-o", str(out),
    )  # fmt: skip
    assert code == 0, err
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs).replace("\xa0", " ")
    text = docx_plain(text)
    assert "ย่อหน้าแรกของคำนำ ต่อบรรทัด" in text and "ย่อหน้าที่สอง" in text
    assert "กุมภาพันธ์ 2566" in text
    code, _, err = run(
        "report", "analysis", SCORES, "--agency", "ทดสอบ", "--issued", "1/2/2566", "-o", str(out)
    )
    assert code == 2 and "--issued" in err
