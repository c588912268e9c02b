"""Reading and writing plan files (YAML, real UTF-8), with problems named by field and line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from openita.plans.schema import Agency, Plan
from openita.yamlsource import duplicate_keys, locate, pydantic_message, read


class PlanInvalid(Exception):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def _read(path: Path) -> tuple[Any, yaml.Node | None]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise PlanInvalid([f"{path}: cannot be read ({exc.strerror})"]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise PlanInvalid(
            [f"{path}:{line}: not UTF-8 text (byte {exc.start}); save it as UTF-8"]
        ) from None
    try:
        root, data = read(text)
        return data, root
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 0
        raise PlanInvalid(
            [f"{path}:{line}: not valid YAML: {getattr(exc, 'problem', None) or exc}"]
        ) from None


def _problems(path: Path, root: yaml.Node | None, exc: ValidationError) -> list[str]:
    out = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        out.append(f"{path}:{locate(root, loc)}: {pydantic_message(err)}")
    return out


def _no_duplicate_keys(path: Path, root: yaml.Node | None) -> None:
    found = duplicate_keys(root)
    if found:
        raise PlanInvalid([f"{path}:{line}: {message}" for line, message in found])


def load_plan(path: Path) -> Plan:
    data, root = _read(path)
    _no_duplicate_keys(path, root)
    if not isinstance(data, dict):
        raise PlanInvalid(
            [f"{path}:1: a plan file is a mapping with agency, fiscal_year and measures"]
        )
    try:
        return Plan.model_validate(data)
    except ValidationError as exc:
        raise PlanInvalid(_problems(path, root, exc)) from None


def load_agency(path: Path) -> Agency:
    data, root = _read(path)
    if isinstance(data, dict) and "agency" in data and isinstance(data["agency"], dict):
        data = data["agency"]  # a plan file works as an agency file too
    try:
        return Agency.model_validate(data)
    except ValidationError as exc:
        raise PlanInvalid(_problems(path, root, exc)) from None


class _Dumper(yaml.SafeDumper):
    pass


def _date(dumper: yaml.SafeDumper, value: dt.date) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:timestamp", value.isoformat())


_Dumper.add_representer(dt.date, _date)


def dump_plan(plan: Plan) -> str:
    data = plan.model_dump(mode="python", exclude_defaults=False, exclude_none=True)
    header = (
        "# OpenITA plan file (docs/plan-format.md). Edit freely; 'openita report plan' checks it.\n"
    )
    return header + yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)


def save_plan(plan: Plan, path: Path) -> None:
    """Write atomically: a half-written plan file never replaces a good one."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(dump_plan(plan), encoding="utf-8")
    tmp.replace(path)
