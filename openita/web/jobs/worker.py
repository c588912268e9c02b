"""``openita worker``: the worker of the configured queue, with the jobs reaper beside it.

* database queue (default): django-tasks-db's worker (``db_worker``). It claims a task row
  with ``SELECT ... FOR UPDATE SKIP LOCKED`` (PostgreSQL) or inside an exclusive transaction
  (SQLite) and marks it RUNNING; it never looks at a RUNNING row again, so a killed worker's
  task would stay RUNNING for ever without the reaper.
* RQ (``OPENITA_TASKS=rq``): rq's ``SimpleWorker`` (the job runs in the worker process, as on
  the database queue: a killed worker is a killed job, and no forked child is left running
  on its own). rq notices an abandoned job only after its timeout plus a minute, and retries
  it only if asked; the reaper queues the unit again within a lease.

Both run ``services.reaping`` in a thread: any live worker re-queues the units of dead ones.
"""

from __future__ import annotations

import os

from django.conf import settings


def run(*, burst: bool = False, interval: float = 1.0) -> None:
    """Run until stopped (or, with ``burst``, until the queue is empty)."""
    from openita.web.jobs import services

    stop = services.reaping()
    try:
        if settings.OPENITA_TASKS == "rq":
            _rq(burst=burst)
        else:
            _db(burst=burst, interval=interval)
    finally:
        stop()


def _db(*, burst: bool, interval: float) -> None:
    from django.core.management import call_command

    call_command(
        "db_worker",
        interval=interval,
        batch=burst,
        reload=False,
        queue_name="*",
        worker_id=services_worker_id(),
        verbosity=int(os.environ.get("OPENITA_WORKER_VERBOSITY", "1")),
    )


def _rq(*, burst: bool) -> None:
    import django_rq
    from rq.worker import SimpleWorker

    worker = django_rq.get_worker(
        *settings.RQ_QUEUES,
        job_class="django_tasks_rq.backend.Job",
        worker_class=SimpleWorker,  # type: ignore[arg-type]
        name=services_worker_id().replace(":", "-"),
    )
    worker.work(burst=burst, with_scheduler=False, logging_level="WARNING")


def services_worker_id() -> str:
    from openita.web.jobs.services import worker_id

    return worker_id()[:64]
