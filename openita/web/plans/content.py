"""The plan document as stored in a version: ``Plan.model_dump(mode="json")`` and back.

JSON keys are text, so the round keys (6, 12) of ``memos``, ``round_forewords`` and of each
measure's ``progress`` come back as "6" and "12"; pydantic does not read those as the literals 6 and
12, so they are turned back into numbers before validating.
"""

from __future__ import annotations

from typing import Any

from openita.plans.schema import Plan


def content_of(plan: Plan) -> dict[str, Any]:
    return plan.model_dump(mode="json")


def _round_keys(value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    return {int(k) if isinstance(k, str) and k.isdigit() else k: v for k, v in value.items()}


def plan_of(content: dict[str, Any]) -> Plan:
    data = dict(content)
    data["memos"] = _round_keys(data.get("memos", {}))
    if "round_forewords" in data:
        data["round_forewords"] = _round_keys(data["round_forewords"])
    data["measures"] = [
        {**m, "progress": _round_keys(m.get("progress", {}))} if isinstance(m, dict) else m
        for m in data.get("measures", [])
    ]
    return Plan.model_validate(data)
