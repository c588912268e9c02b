"""The command reference in docs/cli.md, generated from the commands' own help.

``python -m openita.cli.docs --write`` refreshes it; a test fails when it is out of date.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from openita.cli.main import cli

DOC = Path(__file__).resolve().parents[2] / "docs" / "cli.md"
BEGIN = "<!-- BEGIN GENERATED: python -m openita.cli.docs --write -->"
END = "<!-- END GENERATED -->"


def _commands(group: click.Group, prefix: str) -> list[tuple[str, click.Command]]:
    found: list[tuple[str, click.Command]] = []
    for name in sorted(group.commands):
        cmd = group.commands[name]
        path = f"{prefix} {name}"
        found.append((path, cmd))
        if isinstance(cmd, click.Group):
            found += _commands(cmd, path)
    return found


def reference() -> str:
    parts = []
    for path, cmd in [("openita", cli), *_commands(cli, "openita")]:
        with click.Context(
            cmd,
            info_name=path,
            max_content_width=100,
            terminal_width=100,
            help_option_names=["-h", "--help"],
        ) as ctx:
            text = cmd.get_help(ctx)
        parts.append(f"### `{path}`\n\n```text\n{text}\n```\n")
    return "\n".join(parts)


def refreshed(current: str) -> str:
    head, _, rest = current.partition(BEGIN)
    _, _, tail = rest.partition(END)
    return f"{head}{BEGIN}\n\n{reference()}\n{END}{tail}"


if __name__ == "__main__":
    text = DOC.read_text(encoding="utf-8")
    if "--write" in sys.argv:
        DOC.write_text(refreshed(text), encoding="utf-8")
    else:
        sys.stdout.write(reference())
