"""Who sees which jobs, and each job's progress and failures for the page and the CLI."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from openita.web.agencies.models import Membership, Role
from openita.web.jobs import kinds
from openita.web.jobs.models import EXPANSION, JobRun, JobUnit, State
from openita.web.jobs.services import Progress, progress_of

PAGE = 50


def is_site_staff(user: Any) -> bool:
    return bool(user.is_authenticated and (user.is_staff or user.is_superuser))


def runs_for(user: Any) -> QuerySet[JobRun]:
    """Site staff see every job; an agency's officers see that agency's jobs; others none."""
    runs = JobRun.objects.select_related("agency", "created_by")
    if is_site_staff(user):
        return runs
    if not user.is_authenticated:
        return runs.none()
    mine = Membership.objects.filter(user=user, role=Role.OFFICER).values("agency_id")
    return runs.filter(agency_id__in=mine)


def latest_runs(limit: int = PAGE) -> list[JobRun]:
    return list(JobRun.objects.select_related("agency")[:limit])


@dataclass(frozen=True)
class Failure:
    key: str
    attempts: int
    reason: str


@dataclass(frozen=True)
class Row:
    run: JobRun
    progress: Progress
    failures: list[Failure]
    attempts: int  # attempts over all parts (more than the parts: some were retried)

    @property
    def label(self) -> str:
        kind = kinds.KINDS.get(self.run.kind)
        return str(kind.label) if kind else self.run.kind

    @property
    def arguments_text(self) -> str:
        return ", ".join(f"{k}={v}" for k, v in self.run.arguments.items() if v not in (None, ""))

    def as_dict(self) -> dict[str, Any]:
        p = self.progress
        return {
            "id": self.run.pk,
            "kind": self.run.kind,
            "arguments": self.run.arguments,
            "agency": self.run.agency_id,
            "state": str(p.state),
            "done": p.done,
            "total": p.total,
            "failed": p.failed,
            "running": p.running,
            "attempts": self.attempts,
            "created": self.run.created.isoformat(),
            "failures": [f.__dict__ for f in self.failures],
        }


def rows(runs: list[JobRun], *, failures: bool = True, max_failures: int = 20) -> list[Row]:
    """Each run with its progress (one query) and its first failures (one query per run
    that has any)."""
    progress = progress_of(runs)
    from django.db.models import Sum

    attempts = dict(
        JobUnit.objects.filter(run__in=runs)
        .exclude(key=EXPANSION)
        .values("run_id")
        .annotate(n=Sum("attempts"))
        .values_list("run_id", "n")
    )
    out = []
    for run in runs:
        p = progress[run.pk]
        found: list[Failure] = []
        if failures and (p.failed or p.expansion_failed):
            found = [
                Failure(u.key or "*", u.attempts, u.reason)
                for u in run.units.filter(state=State.FAILED).order_by("pk")[:max_failures]
            ]
        out.append(Row(run, p, found, int(attempts.get(run.pk) or 0)))
    return out


def can_retry(user: Any, run: JobRun) -> bool:
    return runs_for(user).filter(pk=run.pk).exists()
