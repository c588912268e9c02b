"""The website crawl of a checklist: run as a background task, its proposals stored per item
for the officer to confirm (the URL joins the item's links) or reject (kept, never proposed
again)."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from openita import frameworks
from openita.oit import crawl as crawler
from openita.oit.linkcheck import url_problem
from openita.web.agencies.selectors import settings_of
from openita.web.audit.models import Action
from openita.web.audit.services import record
from openita.web.oit.models import OitChecklist, OitEntry, Proposal, ProposalState
from openita.web.oit.services import AnyUser, ChecklistError


def start_url(checklist: OitChecklist, given: str = "") -> str:
    """The address to crawl: the one given, else the agency's website from its settings."""
    url = given.strip() or settings_of(checklist.agency).website.strip()
    if not url:
        raise ChecklistError(
            _("ยังไม่ได้ระบุเว็บไซต์ของหน่วยงาน โปรดกรอกที่อยู่เว็บไซต์ หรือบันทึกไว้ในการตั้งค่าหน่วยงาน")
        )
    if "://" not in url:
        url = "https://" + url
    if url_problem(url) is not None:
        raise ChecklistError(_("ที่อยู่เว็บไซต์ %(url)s ใช้ไม่ได้") % {"url": url})
    return url


def request_crawl(checklist: OitChecklist, user: AnyUser, given: str = "") -> str:
    """Queue a crawl of the agency's website (a background task); returns the start URL."""
    from openita.web.oit.tasks import crawl_checklist_site

    url = start_url(checklist, given)
    OitChecklist.objects.filter(pk=checklist.pk).update(
        crawl_start=url, crawl_requested=timezone.now(), crawl_finished=None, crawl_note=""
    )
    record(
        actor=user,
        agency=checklist.agency,
        action=Action.CHANGE,
        obj=checklist,
        summary=f"ค้นหาหน้าเว็บสำหรับรายการตรวจ OIT ปีงบประมาณ {checklist.fiscal_year} จาก {url}",
    )
    transaction.on_commit(lambda: crawl_checklist_site.enqueue(checklist.pk))
    return url


def crawl_now(checklist: OitChecklist, limits: crawler.CrawlLimits | None = None) -> int:
    """Crawl the website and store the new proposals; returns how many are new. A URL already
    proposed for an item (confirmed, rejected or waiting) or already among its links is not
    proposed again."""
    framework = frameworks.get(checklist.framework_id)
    url = checklist.crawl_start or start_url(checklist)
    try:
        found = crawler.crawl(url, limits or crawler.CrawlLimits())
    except Exception as exc:  # a site that cannot be reached: say so on the page
        OitChecklist.objects.filter(pk=checklist.pk).update(
            crawl_finished=timezone.now(), crawl_note=f"error: {exc}"[:300]
        )
        return 0
    if not found.pages:
        why = found.errors[0][1] if found.errors else "robots.txt"
        OitChecklist.objects.filter(pk=checklist.pk).update(
            crawl_finished=timezone.now(), crawl_note=f"error: {why}"[:300]
        )
        return 0
    proposals = crawler.propose(found, crawler.oit_items(framework), year=checklist.fiscal_year)
    links = {e.code: set(e.url_list) for e in checklist.entries.all()}
    known = set(checklist.proposals.values_list("code", "url"))
    new = [
        Proposal(
            checklist=checklist,
            code=p.code,
            url=p.url[:2000],
            score=p.score,
            reasons=list(p.reasons),
            link_text=p.link_text[:500],
            found_on=p.found_on[:2000],
        )
        for code, props in proposals.items()
        for p in props
        if (code, p.url) not in known and p.url not in links.get(code, set())
    ]
    with transaction.atomic():
        Proposal.objects.bulk_create(new, ignore_conflicts=True)
        note = f"{len(found.pages)} pages" + (" (truncated)" if found.truncated else "")
        OitChecklist.objects.filter(pk=checklist.pk).update(
            crawl_finished=timezone.now(), crawl_note=note
        )
    return len(new)


@transaction.atomic
def decide(proposal: Proposal, *, accept: bool, user: AnyUser) -> Proposal:
    """Confirm (the URL joins the item's links) or reject a waiting proposal."""
    locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if locked.state != ProposalState.PROPOSED:
        raise ChecklistError(_("ข้อเสนอนี้ได้รับการพิจารณาไปแล้ว"))
    entry = OitEntry.objects.select_for_update().get(
        checklist_id=locked.checklist_id, code=locked.code
    )
    locked.state = ProposalState.CONFIRMED if accept else ProposalState.REJECTED
    locked.decided = timezone.now()
    locked.decided_by = user if isinstance(user, User) else None
    locked.save()
    before = entry.url_list
    if accept and locked.url not in before:
        entry.urls = "\n".join([*before, locked.url])
        entry.revision += 1
        entry.updated_by = locked.decided_by
        entry.save()
    verb = "ยืนยัน" if accept else "ปฏิเสธ"
    record(
        actor=user,
        agency=entry.checklist.agency,
        action=Action.CHANGE,
        obj=entry,
        summary=f"{verb}หน้าเว็บที่ระบบเสนอสำหรับข้อ {entry.code.upper()} ปีงบประมาณ "
        f"{entry.checklist.fiscal_year}: {locked.url}",
        before={"urls": before} if accept else None,
        after={"urls": entry.url_list} if accept else {"rejected": locked.url},
    )
    return locked
