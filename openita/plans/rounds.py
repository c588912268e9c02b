"""The progress of a reporting round, as every reader of a plan must see it (one rule).

A plan records progress per round (6 and 12 months). A later round starts from the earlier
round's status and text: a measure the 6-month round recorded as done is still done in the
12-month report until someone updates it, and the report says the entry was carried forward.
A measure with nothing in this round nor an earlier one is *not reported*, which is not the
same as *not started*: documents print it as such and do not call it overdue.

Used alike by the documents (progress report, memo), the CLI (its warnings), the web round
pages and downloads, reminders and the open data of published plans.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from openita.plans.schema import Measure, Plan, Progress
from openita.text import thai

ROUNDS: tuple[int, ...] = (6, 12)
State = Literal["entered", "carried", "missing"]


@dataclass(frozen=True)
class RoundProgress:
    """A measure's progress in one round and where it comes from."""

    progress: Progress
    state: State  # entered in this round, carried from an earlier one, or nothing at all
    source: int | None = None  # the round it was entered in (None when missing)

    @property
    def carried(self) -> bool:
        return self.state == "carried"

    @property
    def missing(self) -> bool:
        return self.state == "missing"


def _check(months: int) -> None:
    if months not in ROUNDS:
        raise ValueError(f"a reporting round is 6 or 12 months, not {months}")


def is_blank(progress: Progress | None) -> bool:
    """Nothing was entered: the defaults of a fresh Progress."""
    return progress is None or progress == Progress()


def entered(measure: Measure, months: int) -> Progress | None:
    """What was entered for the measure in exactly this round, or None."""
    found = measure.progress.get(months)  # type: ignore[call-overload]
    return None if is_blank(found) else found


def round_progress(measure: Measure, months: int) -> RoundProgress:
    """The measure's progress in the round: its own entry, else the latest earlier round's
    (carried forward), else nothing (missing)."""
    _check(months)
    own = entered(measure, months)
    if own is not None:
        return RoundProgress(own, "entered", months)
    for earlier in sorted((r for r in ROUNDS if r < months), reverse=True):
        found = entered(measure, earlier)
        if found is not None:
            return RoundProgress(found, "carried", earlier)
    return RoundProgress(Progress(), "missing")


def round_end(plan: Plan, months: int) -> dt.date:
    """The last day of the round (31 March or 30 September of the plan's fiscal year)."""
    _check(months)
    return thai.round_period(plan.fiscal_year, months)[1]


def is_overdue(measure: Measure, progress: Progress, end: dt.date) -> bool:
    """Due on or before the round's last day and neither done nor dropped."""
    return measure.deadline <= end and progress.status in ("not_started", "in_progress")


def overdue(measure: Measure, found: RoundProgress, end: dt.date) -> bool:
    """Overdue as the documents mark it: a measure nobody reported on is not called late."""
    return not found.missing and is_overdue(measure, found.progress, end)


def measures_in(plan: Plan, months: int) -> list[Measure]:
    return [m for m in plan.measures if months in m.rounds]


@dataclass(frozen=True)
class RoundSummary:
    """Counts of one round, the same in the report, the memo, the CLI and the web page."""

    months: int
    total: int
    entered: int
    carried: int
    missing: int
    done: int
    overdue: int
    by_status: dict[str, int]  # status -> measures (entered or carried)

    @property
    def nothing_entered(self) -> bool:
        """No measure has anything for this round, not even from an earlier round."""
        return self.total > 0 and self.missing == self.total

    @property
    def nothing_new(self) -> bool:
        """Nothing entered in this round itself (what there is was carried forward)."""
        return self.total > 0 and self.entered == 0


def summary(plan: Plan, months: int) -> RoundSummary:
    end = round_end(plan, months)
    measures = measures_in(plan, months)
    found = [(m, round_progress(m, months)) for m in measures]
    by_status: dict[str, int] = {}
    for _m, f in found:
        if not f.missing:
            by_status[f.progress.status] = by_status.get(f.progress.status, 0) + 1
    return RoundSummary(
        months=months,
        total=len(measures),
        entered=sum(1 for _m, f in found if f.state == "entered"),
        carried=sum(1 for _m, f in found if f.carried),
        missing=sum(1 for _m, f in found if f.missing),
        done=sum(1 for _m, f in found if not f.missing and f.progress.status == "done"),
        overdue=sum(1 for m, f in found if overdue(m, f, end)),
        by_status=by_status,
    )


def round_warnings(plan: Plan, months: int) -> list[str]:
    """What the officer should know before sending the round's report (English, for the CLI;
    the web pages say the same in Thai)."""
    s = summary(plan, months)
    out = []
    if s.nothing_entered:
        out.append(
            f"nothing has been entered for the {months}-month round yet: the report lists "
            f"all {s.total} measures as not reported (fill in 'progress: {months}:' in the plan)"
        )
    elif s.nothing_new:
        out.append(
            f"nothing has been entered for the {months}-month round itself yet: "
            f"{s.carried} measures show their status carried forward from an earlier round"
        )
    if s.missing and not s.nothing_entered:
        out.append(f"{s.missing} of {s.total} measures have no progress entered (not reported)")
    return out


def memo_missing(plan: Plan, months: int) -> list[str]:
    """The memo fields the plan leaves blank (printed as dotted blanks to fill by hand)."""
    _check(months)
    memo = plan.memos.get(months)  # type: ignore[call-overload]
    missing = []
    if memo is None or memo.date is None:
        missing.append("date")
    if memo is None or not memo.reference:
        missing.append("reference")
    return missing


def memo_warnings(plan: Plan, months: int) -> list[str]:
    missing = memo_missing(plan, months)
    if not missing:
        return []
    fields = " and ".join(missing)
    return [
        f"the memo's {fields} {'is' if len(missing) == 1 else 'are'} not in the plan "
        f"(memos: {months}: {', '.join(missing)}): left as a blank to fill in by hand"
    ]
