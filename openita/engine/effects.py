"""Did the measures work? The change of what a plan targeted, beside the change of what it
did not target, for one agency; and across agencies, the gains that followed each measure.

This is association, not proof: scores move for many reasons (a new framework, new
respondents, the whole country rising), which is why every targeted change is shown beside
the change of the untargeted items of the same two years, and why figures across agencies
carry the number of agencies behind them and are withheld below ``MIN_AGENCIES``.

Pure: the caller gives both years' scores keyed by the same codes (the later year's codes;
the earlier year translated through the frameworks' item mappings where they differ).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from statistics import fmean

from openita.frameworks import Framework

MIN_AGENCIES = 5


@dataclass(frozen=True)
class CodeChange:
    code: str
    before: float
    after: float

    @property
    def change(self) -> float:
        return self.after - self.before


@dataclass(frozen=True)
class Effect:
    """One plan's targets from the year before it to the year after it."""

    targeted: tuple[CodeChange, ...]  # in the order given; codes missing from a year left out
    missing: tuple[str, ...]  # targeted codes without a score in one of the two years
    untargeted_mean: float | None  # mean change of the comparison codes (None: none scored)
    untargeted_n: int

    @property
    def targeted_mean(self) -> float | None:
        return fmean(c.change for c in self.targeted) if self.targeted else None

    @property
    def difference(self) -> float | None:
        """How much more the targeted codes moved than the untargeted ones, on average."""
        if self.targeted_mean is None or self.untargeted_mean is None:
            return None
        return self.targeted_mean - self.untargeted_mean


def _change(
    code: str, before: Mapping[str, float], after: Mapping[str, float]
) -> CodeChange | None:
    if code in before and code in after:
        return CodeChange(code, float(before[code]), float(after[code]))
    return None


def effect(
    before: Mapping[str, float],
    after: Mapping[str, float],
    targeted: Sequence[str],
    comparison: Iterable[str],
) -> Effect:
    """The change of each ``targeted`` code, and the mean change of the ``comparison`` codes
    the plan did not target (a targeted code in ``comparison`` is left out of it)."""
    seen: list[str] = []
    for code in targeted:
        if code not in seen:
            seen.append(code)
    rows = [_change(c, before, after) for c in seen]
    found = tuple(r for r in rows if r is not None)
    missing = tuple(c for c, r in zip(seen, rows, strict=True) if r is None)
    others = [_change(c, before, after) for c in dict.fromkeys(comparison) if c not in seen]
    changes = [r.change for r in others if r is not None]
    return Effect(found, missing, fmean(changes) if changes else None, len(changes))


@dataclass(frozen=True)
class Observation:
    """One agency's gain after one measure: the mean change of the codes it addressed, and
    that change less the agency's untargeted change (None when it has none)."""

    key: str  # the measure (a catalog entry and measure)
    agency: Hashable
    change: float
    difference: float | None


@dataclass(frozen=True)
class MeasureGain:
    key: str
    n: int  # agencies behind the figures
    mean_change: float | None  # None when withheld (n below the minimum)
    mean_difference: float | None
    n_difference: int  # agencies whose untargeted change is known

    @property
    def shown(self) -> bool:
        return self.mean_change is not None


def gains(observations: Iterable[Observation], *, min_n: int = MIN_AGENCIES) -> list[MeasureGain]:
    """Per measure, over agencies (an agency with the measure in several plans counts once,
    with the mean of its observations): shown ones by the gain beyond the untargeted change,
    largest first, then the withheld ones by their number of agencies."""
    by_key: dict[str, dict[Hashable, list[Observation]]] = {}
    for o in observations:
        by_key.setdefault(o.key, {}).setdefault(o.agency, []).append(o)
    result = []
    for key, agencies in by_key.items():
        n = len(agencies)
        if n < min_n:
            result.append(MeasureGain(key, n, None, None, 0))
            continue
        changes = [fmean(o.change for o in obs) for obs in agencies.values()]
        diffs = [
            fmean(d)
            for obs in agencies.values()
            if (d := [o.difference for o in obs if o.difference is not None])
        ]
        mean_diff = fmean(diffs) if len(diffs) >= min_n else None
        result.append(MeasureGain(key, n, fmean(changes), mean_diff, len(diffs)))
    return sorted(result, key=_order)


def _order(g: MeasureGain) -> tuple[int, float, float, str]:
    if not g.shown:
        return (2, -g.n, 0.0, g.key)
    if g.mean_difference is None:
        return (1, -(g.mean_change or 0.0), 0.0, g.key)
    return (0, -g.mean_difference, -(g.mean_change or 0.0), g.key)


def untargeted(framework: Framework, targeted: Iterable[str]) -> tuple[list[str], list[str]]:
    """The codes to compare with: (items, indicators) of ``framework`` the plan did not
    target, neither themselves nor through the indicator or sub-indicator holding them (an
    indicator is left out when it holds a targeted item)."""
    aimed = set(targeted)
    items: list[str] = []
    indicators: list[str] = []
    for ind in framework.indicators:
        groups = {ind.code} | {s.code for s in ind.sub_indicators}
        codes = [i.code for i in ind.all_items]
        if not (groups | set(codes)) & aimed:
            indicators.append(ind.code)
        for sub in ind.sub_indicators:
            if sub.code in aimed:
                aimed |= {i.code for i in sub.items}
        if ind.code in aimed:
            continue
        items += [c for c in codes if c not in aimed]
    return items, indicators
