"""``openita stats``: the figures of the overview across agencies from the web app's database
(``DATABASE_URL`` or the default SQLite), as text or as the JSON of ``Summary.as_dict``."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any


class StatsRefused(ValueError):
    """An unknown year, province, region, district or type (exit status 2)."""


def stats(
    *,
    year: int,
    region: str | None = None,
    province: str | None = None,
    district: str | None = None,
    kind: str | None = None,
) -> dict[str, Any]:
    from openita.web.reminders.cli import setup

    setup()
    from openita.web.overview.scope import ScopeInvalid, resolve
    from openita.web.overview.selectors import summary

    try:
        scope = resolve(year=year, region=region, province=province, district=district, kind=kind)
    except ScopeInvalid as exc:
        raise StatsRefused(str(exc)) from None
    return summary(scope).as_dict()


def _pct(rate: float | None) -> str:
    return "-" if rate is None else f"{rate * 100:.2f}%"


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def print_text(found: dict[str, Any], echo: Callable[[str], None] = print) -> None:
    where = " / ".join(
        str(found[k]) for k in ("region", "province", "district", "kind") if found.get(k)
    )
    echo(f"Fiscal year {found['fiscal_year']}: {where or 'the whole country'}")
    echo(f"  agencies          {found['agencies']:>8,}")
    echo(f"  with results      {found['with_results']:>8,}")
    echo(f"  mean total        {_num(found['mean_total']):>8}")
    echo(f"  pass rate (85+)   {_pct(found['pass_rate']):>8}  (target {_pct(found['target'])})")
    echo("  by rating         " + ", ".join(f"{k} {v}" for k, v in found["by_rating"].items()))
    if found["by_level"]:
        echo("  by level          " + ", ".join(f"{k} {v}" for k, v in found["by_level"].items()))
    echo("  weakest indicators")
    for i in found["weakest_indicators"][:5]:
        echo(f"    {i['code']:<6} {i['mean']:>6.2f}  under 85: {_pct(i['below'])}  n={i['n']}")
    for name, g in (found.get("by_province") or {}).items():
        echo(
            f"  {name:<20} {g['agencies']:>6} {g['with_results']:>6} "
            f"{_num(g['mean_total']):>7} {_pct(g['pass_rate']):>8}"
        )


def dump(found: dict[str, Any]) -> str:
    return json.dumps(found, ensure_ascii=False, indent=2)
