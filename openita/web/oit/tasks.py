"""Background tasks of the OIT checklist (django-tasks: the database queue by default)."""

from __future__ import annotations

from django_tasks import task

from openita.web.oit.models import OitChecklist


@task()
def check_checklist_links(checklist_id: int) -> int:
    """Check every link of one checklist; returns how many were checked. Idempotent enough to
    retry: a second run adds a second, equally true, row of history."""
    from openita.web.oit.services import check_now

    checklist = OitChecklist.objects.filter(pk=checklist_id).first()
    if checklist is None:
        return 0
    return check_now(checklist)


@task()
def crawl_checklist_site(checklist_id: int) -> int:
    """Crawl the agency's website and store the proposals; returns how many are new."""
    from openita.web.oit.crawling import crawl_now

    checklist = OitChecklist.objects.filter(pk=checklist_id).first()
    if checklist is None:
        return 0
    return crawl_now(checklist)
