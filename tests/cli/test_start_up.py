"""The command line starts light: asking for help imports neither the engine's heavy
dependencies nor the web app (docs/decisions/0018-cli-start-up.md). Structural, not timed: a
fresh interpreter runs ``--help`` of every command and lists what got imported."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# What no --help may import: plotting, the web framework, the HTTP client, validation models,
# the PDF shaping, and OpenITA's own engine and documents.
HEAVY = (
    "matplotlib",
    "numpy",
    "django",
    "httpx",
    "pydantic",
    "yaml",
    "uharfbuzz",
    "rich.console",
    "openita.engine",
    "openita.frameworks",
    "openita.documents",
    "openita.web",
)

PROBE = """
import json, sys, contextlib, io
import click
from openita.cli.main import cli

def paths(group, prefix):
    for name in sorted(group.commands):
        cmd = group.commands[name]
        yield [*prefix, name]
        if isinstance(cmd, click.Group):
            yield from paths(cmd, [*prefix, name])

seen = {}
for args in [[], *paths(cli, [])]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = cli.main([*args, "--help"], prog_name="openita", standalone_mode=False)
    seen[" ".join(args) or "(top)"] = {
        "code": code,
        "usage": out.getvalue().startswith("Usage: openita"),
        "modules": sorted(sys.modules),
    }
print(json.dumps(seen))
"""


def _probe() -> dict[str, dict[str, object]]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, check=True
    )
    found: dict[str, dict[str, object]] = json.loads(done.stdout)
    return found


def test_help_of_every_command_imports_nothing_heavy() -> None:
    seen = _probe()
    assert {"(top)", "report plan", "oit check", "frameworks list", "demo"} <= set(seen)
    for command, what in seen.items():
        assert what["code"] == 0, command
        assert what["usage"], command
        modules = what["modules"]
        assert isinstance(modules, list)
        heavy = [m for m in modules if m.startswith(HEAVY)]
        assert heavy == [], f"'openita {command} --help' imported {heavy[:8]}"


def test_a_command_still_imports_what_it_needs(tmp_path: Path) -> None:
    """The other side: running a command (not its help) works from a fresh process."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "openita.cli.main", "frameworks", "show", "ita-2565", "--json"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        cwd=tmp_path,
    )
    assert json.loads(done.stdout)["id"] == "ita-2565"
