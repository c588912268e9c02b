"""Tables and progress bars of the command line, measured in terminal cells.

Thai vowel and tone marks above and below a consonant take no cell of their own, so a column
is padded by the cells its text takes, as rich measures them (``rich.cells.cell_len``), never
by its number of characters. On a terminal, tables are drawn by rich (fitted to the window,
headers in bold) and long work shows a rich progress bar on stderr; into a pipe or a file the
output is plain: columns two spaces apart under a dashed rule, one row a line, for scripts.

rich is imported here only when a table or a bar is drawn: ``openita --help`` never loads it
(docs/decisions/0018-cli-start-up.md).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager


def width(text: str) -> int:
    """The terminal cells a text takes."""
    from rich.cells import cell_len

    return cell_len(text)


def pad(text: str, size: int, right: bool = False) -> str:
    space = " " * max(0, size - width(text))
    return space + text if right else text + space


def short(text: str, limit: int = 60) -> str:
    """The text cut to ``limit`` cells with an ellipsis; a consonant keeps its marks."""
    if width(text) <= limit:
        return text
    from rich.cells import get_character_cell_size

    kept, used = [], 0
    for ch in text:
        size = get_character_cell_size(ch)
        if size and used + size > limit - 1:
            break
        kept.append(ch)
        used += size
    return "".join(kept).rstrip() + "…"


def is_terminal() -> bool:
    """Whether standard output is a terminal (not a pipe, a file or a test's capture)."""
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    numeric: Sequence[int] = (),
    *,
    terminal: bool | None = None,
    columns: int | None = None,
) -> str:
    """A table as text: drawn by rich on a terminal, plain otherwise (``terminal`` forces one;
    ``columns`` is the terminal's width, default its own)."""
    if terminal if terminal is not None else is_terminal():
        return rich_table(headers, rows, numeric, columns=columns)
    return plain_table(headers, rows, numeric)


def plain_table(
    headers: Sequence[str], rows: Sequence[Sequence[str]], numeric: Sequence[int] = ()
) -> str:
    sizes = [max(width(str(r[c])) for r in [headers, *rows]) for c in range(len(headers))]
    lines = ["  ".join(pad(h, sizes[c], c in numeric) for c, h in enumerate(headers)).rstrip()]
    lines.append("  ".join("-" * s for s in sizes))
    for row in rows:
        cells = [pad(str(v), sizes[c], c in numeric) for c, v in enumerate(row)]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def rich_table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    numeric: Sequence[int] = (),
    *,
    columns: int | None = None,
    color: bool = True,
) -> str:
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    drawn = Table(
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        header_style="bold" if color else "",
    )
    for c, header in enumerate(headers):
        drawn.add_column(Text(header), justify="right" if c in numeric else "left")
    for row in rows:
        drawn.add_row(*(Text(str(v)) for v in row))  # Text: no markup read in the data
    console = Console(
        width=columns,
        force_terminal=True,
        no_color=None if color else True,  # None: rich reads NO_COLOR
        color_system="auto" if color else None,
        highlight=False,
    )
    with console.capture() as captured:
        console.print(drawn)
    return "\n".join(line.rstrip() for line in captured.get().rstrip("\n").splitlines())


@contextmanager
def progress_bar(label: str, *, show: bool) -> Iterator[Callable[[int, int], None] | None]:
    """A ``progress(done, total)`` callback drawing a rich bar on stderr while the block runs;
    None when ``show`` is false (stderr is not a terminal): nothing is drawn."""
    if not show:
        yield None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
    )
    task = bar.add_task(label, total=None)

    def advance(done: int, total: int) -> None:
        bar.update(task, completed=done, total=total)

    with bar:
        yield advance
