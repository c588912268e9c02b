"""A framework that plans the FY2569 way (one focus indicator), built from ita-2568 until the
FY2569 frameworks exist, and scores that make one indicator the lowest."""

from __future__ import annotations

from pathlib import Path

from openita import frameworks
from openita.frameworks import Framework
from openita.frameworks.loader import BUILTIN_DIR
from openita.frameworks.schema import Planning

BASE = "ita-2568"
PLANNING = Planning(approach="focus_indicator", plan_item="o25", report_item="o26")
PLANNING_YAML = (
    "planning:\n  approach: focus_indicator\n  plan_item: o25\n  report_item: o26\n"
    "  status: provisional\n"
)


def focus_framework() -> Framework:
    return frameworks.get(BASE).model_copy(update={"planning": PLANNING})


def install_focus_framework(directory: Path) -> Path:
    """A local copy of ita-2568 that plans on one indicator (a local file replaces the
    built-in one of the same id): for the command line and the web app."""
    text = (BUILTIN_DIR / f"{BASE}.yaml").read_text(encoding="utf-8")
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{BASE}.yaml"
    path.write_text(_without_planning(text) + PLANNING_YAML, encoding="utf-8")
    frameworks.refresh()  # a running process sees local files within a second; this one now
    return path


def _without_planning(text: str) -> str:
    """The framework text without its own top-level ``planning:`` block, if it has one."""
    kept: list[str] = []
    skipping = False
    for line in text.splitlines():
        top_level = bool(line) and not line[0].isspace() and not line.startswith("#")
        if top_level:
            skipping = line.startswith("planning:")
        if not skipping:
            kept.append(line)
    return "\n".join(kept).rstrip("\n") + "\n"


def focus_scores(
    framework: Framework, low: dict[str, float], rest: float = 95.0
) -> dict[str, float]:
    """Every item at ``rest`` except the ``low`` ones (OIT items 100, or 0 when low)."""
    scores: dict[str, float] = {}
    for tool in framework.tools:
        for item in tool.items:
            default = 100.0 if tool.kind == "checklist" else rest
            scores[item.code] = low.get(item.code, default)
    return scores


def write_scores(path: Path, scores: dict[str, float], fiscal_year: int) -> Path:
    rows = ["code,score", f"fiscal_year,{fiscal_year}"]
    rows += [f"{code},{value}" for code, value in scores.items()]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path
