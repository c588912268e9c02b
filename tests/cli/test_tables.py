"""The command line's tables stay aligned on Thai text: every column starts (numbers: ends) at
the same terminal cell on every row, measured as a terminal does (rich's ``cell_len``: Thai
vowel and tone marks above and below take no cell), drawn by rich on a terminal and plain
into a pipe."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from rich.cells import cell_len

from openita.cli import terminal
from openita.cli.main import cli

HEADERS = ["รหัส/Code", "ตัวชี้วัด/Indicator", "คะแนน/Score"]
ROWS = [
    ["ind1", "การปฏิบัติหน้าที่", "95.21"],
    ["ind6", "คุณภาพการดำเนินงาน", "81.03"],
    ["ind10.2", "มาตรการภายในเพื่อป้องกันการทุจริต", "100.00"],
    ["o1", "โครงสร้าง", "0.00"],
    ["x", "plain ASCII name", "7.50"],
]
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _edges(line: str, cells: list[str]) -> list[tuple[int, int]]:
    """(first cell, cell after the last) of each value on a drawn line."""
    found, at = [], 0
    for value in cells:
        index = line.index(value, at)
        start = cell_len(line[:index])
        found.append((start, start + cell_len(value)))
        at = index + len(value)
    return found


def _assert_aligned(text: str, numeric: set[int]) -> None:
    lines = [ANSI.sub("", line) for line in text.splitlines()]
    drawn = [line for line in lines if line.strip() and set(line.strip()) - set("-─ ")]
    assert len(drawn) == 1 + len(ROWS), text
    edges = [_edges(line, cells) for line, cells in zip(drawn, [HEADERS, *ROWS], strict=True)]
    for column in range(len(HEADERS)):
        side = 1 if column in numeric else 0
        assert len({row[column][side] for row in edges}) == 1, (column, edges, text)


def test_the_rows_are_such_that_counting_characters_would_drift() -> None:
    assert len({len(r[1]) - cell_len(r[1]) for r in ROWS}) > 2


def test_a_plain_table_keeps_thai_columns_aligned() -> None:
    text = terminal.table(HEADERS, ROWS, numeric=(2,), terminal=False)
    _assert_aligned(text, {2})
    assert text.splitlines()[1].startswith("--------  ")  # plain: a dashed rule, for scripts
    assert "\x1b" not in text


def test_a_rich_table_keeps_thai_columns_aligned() -> None:
    text = terminal.rich_table(HEADERS, ROWS, numeric=(2,), columns=120, color=False)
    _assert_aligned(text, {2})
    assert "─" in text  # drawn by rich
    coloured = terminal.table(HEADERS, ROWS, numeric=(2,), terminal=True, columns=120)
    _assert_aligned(coloured, {2})


@pytest.mark.parametrize("limit", [5, 9, 12, 20])
def test_short_cuts_by_cells_and_keeps_marks_with_their_consonant(limit: int) -> None:
    text = "ท่านรู้เกี่ยวกับแผนการใช้จ่ายงบประมาณประจำปี ของหน่วยงานของท่าน"
    cut = terminal.short(text, limit)
    assert cut.endswith("…") and cell_len(cut) <= limit
    kept = cut[:-1]
    assert text.startswith(kept)
    rest = text[len(kept) :].lstrip()
    assert rest and cell_len(rest[0]) == 1  # the next character is a consonant, not a mark


def test_openita_example_prints_aligned_tables_into_a_pipe() -> None:
    result = CliRunner().invoke(cli, ["example"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    start = lines.index("อันดับตัวชี้วัด / Indicators ranked")
    table = lines[start + 1 : start + 13]  # header, rule, ten indicators
    assert table[1].startswith("---------")
    assert len({cell_len(line) for line in table}) == 1, table  # the score column ends together
    assert any(len(line) != cell_len(line) for line in table)  # with Thai marks in it


def test_the_progress_bar_is_drawn_only_when_asked(capsys: pytest.CaptureFixture[str]) -> None:
    with terminal.progress_bar("links", show=False) as progress:
        assert progress is None
    with terminal.progress_bar("links", show=True) as progress:
        assert progress is not None
        for done in range(1, 4):
            progress(done, 3)
    assert "3/3" in capsys.readouterr().err
