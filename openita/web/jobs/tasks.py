"""The one background task of the jobs app: "run unit N" (either backend delivers it)."""

from __future__ import annotations

from django_tasks import task


@task()
def run_unit(unit_id: int) -> str:
    from openita.web.jobs import services

    return services.run_unit(unit_id)
