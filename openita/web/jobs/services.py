"""Exactly-once background jobs: start, claim, renew, finish, reap, retry (docs/decisions/0019).

Either task backend (the database queue or RQ) only *delivers* messages "run unit N"; this
module decides who may do the unit. A worker claims a unit with one conditional UPDATE (only a
queued unit can be claimed, so two workers given the same message cannot both run it), gets a
fresh token and a lease, and renews the lease from a thread while it works. It finishes with
another conditional UPDATE that names its token, in the same transaction as the unit's output:
an attempt whose lease was taken over commits nothing. A killed worker stops renewing; any
worker's reaper then finds the lease run out and queues the unit again (one reaper wins, again
by a conditional UPDATE), up to MAX_ATTEMPTS. Outputs are written by their natural key, so even
an attempt that wrote outside the transaction would overwrite, never duplicate.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import close_old_connections, connection, transaction
from django.db.models import Count, F, Q
from django.db.utils import DatabaseError, OperationalError
from django.utils import timezone

from openita.web.jobs.models import EXPANSION, JobRun, JobUnit, State

log = logging.getLogger("openita.jobs")

MAX_ATTEMPTS = 3
LOST_MESSAGE_GRACE = dt.timedelta(seconds=60)


class JobError(Exception):
    """A job that cannot be started or retried as asked (the message says why)."""


class LeaseLost(Exception):
    """This attempt's claim was taken over (its lease ran out): it must commit nothing."""


def lease_seconds() -> float:
    """How long a claim lasts without renewal (``OPENITA_JOB_LEASE``, default 30 s). A worker
    renews it every third of that; a killed worker's unit is retried about this long after."""
    return max(0.5, float(os.environ.get("OPENITA_JOB_LEASE", "30")))


def queue_name() -> str:
    return os.environ.get("OPENITA_JOBS_QUEUE", "default")


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


# --- starting ---------------------------------------------------------------------------------


def start(kind: str, arguments: dict[str, Any], *, agency: Any = None, user: Any = None) -> JobRun:
    """Start a job: record it with its expansion unit and queue that unit (after commit)."""
    from openita.web.jobs import kinds

    checked = kinds.get(kind).check(arguments)
    with transaction.atomic():
        run = JobRun.objects.create(
            kind=kind,
            arguments=checked,
            agency=agency,
            created_by=user if user is not None and user.is_authenticated else None,
        )
        unit = JobUnit.objects.create(run=run, key=EXPANSION)
        transaction.on_commit(lambda: enqueue([unit.pk]))
    return run


def _backend() -> str:
    """ "db", "rq" or "other" (immediate...): the backend the default task alias uses now."""
    from django_tasks import task_backends
    from django_tasks_db import DatabaseBackend

    backend = task_backends["default"]
    if isinstance(backend, DatabaseBackend):
        return "db"
    return "rq" if type(backend).__name__ == "RQBackend" else "other"


def enqueue(unit_ids: Iterable[int]) -> int:
    """Send "run unit N" to the configured backend for each unit and remember the message id.
    On the database queue each 500 messages and their ids commit together; on RQ nothing holds
    a database transaction open while Redis is written to."""
    from openita.web.jobs.tasks import run_unit

    task = run_unit.using(queue_name=queue_name())
    sent = 0
    ids = list(unit_ids)
    in_db = _backend() == "db"
    for start_at in range(0, len(ids), 500):
        batch = ids[start_at : start_at + 500]
        with transaction.atomic() if in_db else contextlib.nullcontext():
            for pk in batch:
                result = task.enqueue(pk)
                JobUnit.objects.filter(pk=pk).update(task_id=str(result.id)[:64])
                sent += 1
    return sent


# --- a worker's claim -------------------------------------------------------------------------


@dataclass
class Claim:
    unit_id: int
    token: str
    worker: str
    lost: bool = False

    def renew(self) -> bool:
        until = timezone.now() + dt.timedelta(seconds=lease_seconds())
        kept = JobUnit.objects.filter(pk=self.unit_id, token=self.token, state=State.RUNNING)
        if not kept.update(lease_until=until):
            self.lost = True
        return not self.lost

    def finish(self, result: str = "") -> None:
        """Mark the unit done, if this attempt still holds it; else raise LeaseLost (call it
        inside the transaction that writes the unit's output, so nothing of it commits)."""
        done = JobUnit.objects.filter(pk=self.unit_id, token=self.token, state=State.RUNNING)
        if not done.update(
            state=State.DONE, finished_at=timezone.now(), lease_until=None, result=result[:200]
        ):
            self.lost = True
            raise LeaseLost(f"unit {self.unit_id}: the claim was taken over")

    def fail(self, reason: str) -> None:
        JobUnit.objects.filter(pk=self.unit_id, token=self.token, state=State.RUNNING).update(
            state=State.FAILED, finished_at=timezone.now(), lease_until=None, reason=reason
        )


def claim(unit_id: int, worker: str | None = None) -> Claim | None:
    """Take the unit if it is queued (one conditional UPDATE: at most one worker wins). A
    busy database (a locked SQLite file) is tried again for a while: a message whose claim
    failed is consumed, and its unit would wait for the reaper's safety net."""
    token = uuid.uuid4().hex
    who = worker or worker_id()
    for attempt in range(8):
        now = timezone.now()
        try:
            won = JobUnit.objects.filter(pk=unit_id, state=State.QUEUED).update(
                state=State.RUNNING,
                token=token,
                worker=who[:100],
                attempts=F("attempts") + 1,
                started_at=now,
                lease_until=now + dt.timedelta(seconds=lease_seconds()),
            )
        except OperationalError:
            if attempt == 7:
                raise
            time.sleep(0.1 * 2**attempt)
            continue
        return Claim(unit_id, token, who) if won else None
    return None  # pragma: no cover (the loop returns or raises)


@contextlib.contextmanager
def renewing(held: Claim) -> Iterator[Claim]:
    """Renew the claim's lease from a thread while the body runs."""
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(lease_seconds() / 3):
                try:
                    if not held.renew():
                        return
                except DatabaseError as e:  # a locked SQLite file: try again next beat
                    log.warning("lease renewal of unit %s: %s", held.unit_id, e)
        finally:
            connection.close()

    thread = threading.Thread(target=beat, name=f"lease-{held.unit_id}", daemon=True)
    thread.start()
    try:
        yield held
    finally:
        stop.set()
        thread.join()


def run_unit(unit_id: int) -> str:
    """What a worker does with the message "run unit N": claim it, do it, finish it."""
    from openita.web.jobs import kinds

    if not connection.in_atomic_block:
        # A worker between messages: drop a connection the server has closed or that is past
        # CONN_MAX_AGE. Never inside a transaction (the immediate backend in a request or a
        # test): closing there would end the caller's transaction.
        close_old_connections()
    held = claim(unit_id)
    if held is None:
        return "not claimed"  # done, running elsewhere, or retried by another message
    unit = JobUnit.objects.select_related("run").get(pk=unit_id)
    with renewing(held):
        _test_gate(unit, held)
        try:
            if unit.key == EXPANSION:
                return _expand(unit, held)
            kind = kinds.get(unit.run.kind)
            write = kind.prepare(unit.run, unit.key)
            with transaction.atomic():
                held.finish()  # first: the fence, and the write lock on SQLite
                result = write()
                JobUnit.objects.filter(pk=unit_id).update(result=result[:200])
            return result
        except LeaseLost:
            return "lease lost"
        except Exception as e:  # any failure of the work is the unit's reason
            held.fail(f"{type(e).__name__}: {e}")
            log.warning("unit %s failed: %s", unit_id, e)
            return "failed"


def _expand(unit: JobUnit, held: Claim) -> str:
    from openita.web.jobs import kinds

    run = unit.run
    keys = kinds.get(run.kind).keys(run)
    JobUnit.objects.bulk_create(
        [JobUnit(run=run, key=k) for k in keys], ignore_conflicts=True, batch_size=1000
    )
    waiting = run.units.filter(state=State.QUEUED, task_id="").exclude(key=EXPANSION)
    sent = enqueue(waiting.values_list("pk", flat=True).order_by("pk"))
    held.finish(f"{len(keys)} units, {sent} queued")
    return f"{len(keys)} units"


def _test_gate(unit: JobUnit, held: Claim) -> None:
    """Tests only (``OPENITA_JOBS_GATE`` names a directory): say which process claimed which
    unit, then wait until the test opens the gate, so a test can kill a worker mid-unit."""
    gate = os.environ.get("OPENITA_JOBS_GATE")
    if not gate or unit.key == EXPANSION:
        return
    import pathlib
    import time

    folder = pathlib.Path(gate)
    (folder / f"claimed-{unit.key}-{os.getpid()}-{held.token}").touch()
    while not (folder / "open").exists():
        time.sleep(0.05)


# --- the reaper -------------------------------------------------------------------------------


def reap(now: dt.datetime | None = None) -> int:
    """Queue again each unit whose worker stopped renewing its lease (killed, out of memory,
    machine gone), or fail it after MAX_ATTEMPTS; queue units whose message was never sent.
    Any number of reapers may run: each change is a conditional UPDATE one of them wins."""
    now = now or timezone.now()
    requeued: list[int] = []
    expired = JobUnit.objects.filter(state=State.RUNNING, lease_until__lt=now)
    for pk, token, attempts, worker, task_id in expired.values_list(
        "pk", "token", "attempts", "worker", "task_id"
    ):
        mine = JobUnit.objects.filter(pk=pk, token=token, state=State.RUNNING)
        lost = f"attempt {attempts} lost: worker {worker} stopped renewing its lease"
        if attempts >= MAX_ATTEMPTS:
            mine.update(
                state=State.FAILED, lease_until=None, finished_at=now, reason=lost + " (gave up)"
            )
        elif mine.update(
            state=State.QUEUED, token="", worker="", lease_until=None, task_id="", reason=lost
        ):
            _forget_message(task_id, lost)
            requeued.append(pk)
    unsent = JobUnit.objects.filter(
        state=State.QUEUED, task_id="", queued_at__lt=now - LOST_MESSAGE_GRACE
    )
    requeued += unsent.values_list("pk", flat=True)
    requeued += _spent_messages()
    if requeued:
        log.warning("reaper: queueing %d unit(s) again: %s", len(requeued), requeued)
        enqueue(requeued)
    return len(requeued)


def _spent_messages(limit: int = 1000) -> list[int]:
    """Queued units whose message the queue no longer holds: it ran, or failed, without
    claiming the unit (its claim met a database error), or it is gone. Each is taken back
    (task_id cleared, a conditional UPDATE) so that one reaper sends it again."""
    waiting = dict(
        JobUnit.objects.filter(state=State.QUEUED)
        .exclude(task_id="")
        .order_by("pk")
        .values_list("task_id", "pk")[:limit]
    )
    if not waiting:
        return []
    backend = _backend()
    spent: set[str] = set()
    if backend == "db":
        from django.core.exceptions import ValidationError
        from django_tasks_db.models import DBTaskResult

        try:
            pending = set(
                str(i)
                for i in DBTaskResult.objects.filter(
                    id__in=list(waiting), status__in=["READY", "RUNNING"]
                ).values_list("id", flat=True)
            )
        except ValidationError:
            return []
        spent = {t for t in waiting if _uuid_text(t) not in pending}
    elif backend == "rq":
        import django_rq
        from rq.job import Job, JobStatus

        ids = list(waiting)
        jobs = Job.fetch_many(ids, connection=django_rq.get_connection(queue_name()))
        live = {JobStatus.QUEUED, JobStatus.STARTED, JobStatus.SCHEDULED, JobStatus.DEFERRED}
        spent = {
            t for t, job in zip(ids, jobs, strict=True)
            if job is None or job.get_status(refresh=False) not in live
        }  # fmt: skip
    taken = []
    for task_id in spent:
        pk = waiting[task_id]
        if JobUnit.objects.filter(pk=pk, state=State.QUEUED, task_id=task_id).update(task_id=""):
            taken.append(pk)
    return taken


def _uuid_text(value: str) -> str:
    try:
        return str(uuid.UUID(value))
    except ValueError:
        return value


def _forget_message(task_id: str, reason: str) -> None:
    """The database queue leaves a killed worker's task RUNNING for ever: mark it failed, so
    the queue's own records tell the truth. (RQ moves its abandoned job to the failed registry
    itself once the job's timeout has passed; the unit is already queued again by then.)"""
    from django.core.exceptions import ValidationError
    from django_tasks import task_backends
    from django_tasks_db import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    if not task_id or not isinstance(task_backends["default"], DatabaseBackend):
        return

    with contextlib.suppress(DatabaseError, ValidationError):
        DBTaskResult.objects.filter(id=task_id, status="RUNNING").update(
            status="FAILED",
            finished_at=timezone.now(),
            exception_class_path="openita.web.jobs.services.LeaseLost",
            traceback=reason,
        )


def reaping(every: float | None = None) -> Callable[[], None]:
    """Run the reaper in a daemon thread every ``every`` seconds; returns a stop function."""
    stop = threading.Event()
    interval = every if every is not None else max(0.25, lease_seconds() / 3)

    def loop() -> None:
        try:
            while not stop.wait(interval):
                try:
                    reap()
                except Exception:  # the reaper must outlive any one bad round
                    log.exception("reaper")
                    connection.close()
        finally:
            connection.close()

    threading.Thread(target=loop, name="jobs-reaper", daemon=True).start()
    return stop.set


# --- retry and progress -----------------------------------------------------------------------


def retry(run: JobRun, user: Any = None) -> int:
    """Queue the run's failed units again (with fresh attempts); returns how many."""
    failed = list(run.units.filter(state=State.FAILED).values_list("pk", flat=True))
    if not failed:
        raise JobError(f"job {run.pk} has no failed part to retry")
    who = getattr(user, "username", "") or "command line"
    JobUnit.objects.filter(pk__in=failed, state=State.FAILED).update(
        state=State.QUEUED, attempts=0, token="", task_id="", finished_at=None,
        reason=f"retried by {who}",
    )  # fmt: skip
    transaction.on_commit(lambda: enqueue(failed))
    return len(failed)


@dataclass(frozen=True)
class Progress:
    total: int
    done: int
    failed: int
    running: int
    expanded: bool
    expansion_failed: bool

    @property
    def state(self) -> str:
        if self.expansion_failed:
            return State.FAILED
        if not self.expanded:
            return State.QUEUED
        if self.done == self.total:
            return State.DONE
        if self.done + self.failed == self.total:
            return State.FAILED
        return State.RUNNING

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else (100 if self.expanded else 0)


def progress_of(runs: Iterable[JobRun]) -> dict[int, Progress]:
    """Progress of each run, from its units, in one query."""
    ids = [r.pk for r in runs]
    rows = (
        JobUnit.objects.filter(run_id__in=ids)
        .values("run_id")
        .annotate(
            total=Count("pk", filter=~Q(key=EXPANSION)),
            done=Count("pk", filter=~Q(key=EXPANSION) & Q(state=State.DONE)),
            failed=Count("pk", filter=~Q(key=EXPANSION) & Q(state=State.FAILED)),
            running=Count("pk", filter=~Q(key=EXPANSION) & Q(state=State.RUNNING)),
            expanded=Count("pk", filter=Q(key=EXPANSION) & Q(state=State.DONE)),
            expansion_failed=Count("pk", filter=Q(key=EXPANSION) & Q(state=State.FAILED)),
        )
    )
    found = {
        r["run_id"]: Progress(
            total=r["total"],
            done=r["done"],
            failed=r["failed"],
            running=r["running"],
            expanded=bool(r["expanded"]),
            expansion_failed=bool(r["expansion_failed"]),
        )
        for r in rows
    }
    empty = Progress(0, 0, 0, 0, expanded=False, expansion_failed=False)
    return {pk: found.get(pk, empty) for pk in ids}
