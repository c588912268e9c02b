"""Target samples and the privacy floor, as data (``samples.yaml``, provisional)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

DATA = Path(__file__).with_name("samples.yaml")


@dataclass(frozen=True)
class Rules:
    status: str
    source: str
    privacy_floor: int
    iit_min: int
    iit_share: float
    eit_default: int
    eit_by_kind: dict[str, int]


@cache
def rules() -> Rules:
    raw = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    return Rules(
        status=raw["status"],
        source=raw["source"],
        privacy_floor=int(raw["privacy_floor"]),
        iit_min=int(raw["iit"]["min"]),
        iit_share=float(raw["iit"]["min_share"]),
        eit_default=int(raw["eit"]["default"]),
        eit_by_kind={str(k): int(v) for k, v in (raw["eit"].get("by_kind") or {}).items()},
    )


def target(tool: str, *, eligible: int | None = None, kind: str | None = None) -> int:
    """The number of answers a campaign aims for."""
    r = rules()
    if tool.upper() == "IIT":
        if not eligible or eligible < 1:
            return r.iit_min
        return min(eligible, max(r.iit_min, math.ceil(eligible * r.iit_share)))
    return r.eit_by_kind.get(kind or "", r.eit_default)


def privacy_floor() -> int:
    return rules().privacy_floor
