"""`openita plan draft` and `openita report ...`: files written, formats, bad input."""

from __future__ import annotations

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
