"""`openita check`: the slips of the seeds, and a clean document."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from openita.cli.main import cli
from openita.importers.slips import plan_year_slips

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"


def run(*args: str):
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.skipif(not SEEDS.is_dir(), reason="shared/seeds is not beside the checkout")
@pytest.mark.parametrize(
    ("seed", "expected"),
    [
        ("001_5235fc7e27f8526d.txt", ["fiscal year 2565 here, but of 2566", "หัว้าทอง"]),
        ("002_58b09bd43b1b796f.txt", ["องค์การบริหารส่วนตำบลดงบัง"]),
        ("003_905485496033a3c9.txt", [":42: FY2564: the report claims a total of 85.29"]),
    ],
)
def test_seed_slips(seed, expected):
    code, out, _ = run("check", str(SEEDS / seed))
    assert code == 1
    for part in expected:
        assert part in out, out


YEAR_CASES = [
    (
        "มาตรการส่งเสริมคุณธรรมและความโปร่งใส ประจำปีงบประมาณ พ.ศ. 2566\n"
        "ผลตามมาตรการส่งเสริมคุณธรรมฯ ประจำปีงบประมาณ พ.ศ. 2566\n",
        [],
    ),
    (
        "มาตรการส่งเสริมคุณธรรมและความโปร่งใส ประจำปีงบประมาณ พ.ศ. ๒๕๖๖\n"
        "มาตรการส่งเสริมคุณธรรมและความโปร่งใส ประจำปี ๒๕๖๕\n"
        "มาตรการส่งเสริมคุณธรรม ปีงบประมาณ 2566\n",
        [2],
    ),
]


@pytest.mark.parametrize(("text", "lines"), YEAR_CASES)
def test_plan_year_slips(text, lines):
    assert [s.line for s in plan_year_slips(text)] == lines


def test_clean_document_exit_0(tmp_path):
    doc = tmp_path / "clean.txt"
    doc.write_text(
        "มาตรการส่งเสริมคุณธรรมและความโปร่งใส เทศบาลตำบลตัวอย่าง ประจำปีงบประมาณ พ.ศ. 2566\n"
        "เทศบาลตำบลตัวอย่าง ได้คะแนนรวม 90.52 คะแนน\n",
        encoding="utf-8",
    )
    code, out, err = run("check", str(doc))
    assert code == 0 and out == "" and "no slips found" in err


def test_unreadable_document_exit_2(tmp_path):
    doc = tmp_path / "x.pdf"
    doc.write_bytes(b"%PDF-1.4 broken")
    code, _, err = run("check", str(doc))
    assert code == 2 and "error:" in err
