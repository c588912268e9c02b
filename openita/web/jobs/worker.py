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

    if os.environ.get("OPENITA_WORKER_WARM", "1") != "0":
        warm_up()
    stop = services.reaping()
    print(f"openita worker {services.worker_id()} ready ({settings.OPENITA_TASKS})", flush=True)
    try:
        if settings.OPENITA_TASKS == "rq":
            _rq(burst=burst)
        else:
            _db(burst=burst, interval=interval)
    finally:
        stop()


def warm_up() -> None:
    """Make the example plan's PDF once, before taking work: the first PDF of a process loads
    the fonts and the shaping caches (seconds); the worker's first unit should not wait."""
    from pathlib import Path

    import openita
    from openita.documents import pdf
    from openita.documents.kinds import plan as plan_doc
    from openita.plans.files import load_plan

    example = Path(openita.__file__).resolve().parent / "examples" / "bansong-plan-2566.yaml"
    try:
        pdf.render_pdf(plan_doc.build(load_plan(example)))
    except Exception as e:  # a worker without PDFs still does its other work
        print(f"openita worker: no PDF warm-up ({e})", flush=True)


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
