"""Writes of the OIT checklist: open a year (carried over from the last one), save an item,
run and record link checks. Every change is in the agency's audit log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from openita import frameworks
from openita.frameworks import mappings
from openita.oit.linkcheck import Link, LinkResult, check_links, url_problem
from openita.web.agencies.models import Agency
from openita.web.audit.models import Action
from openita.web.audit.services import record
from openita.web.oit.models import LinkCheck, OitChecklist, OitEntry, Recheck, Status

AnyUser = User | AnonymousUser


class ChecklistError(Exception):
    """A request that cannot be done; ``message`` is Thai, for the page."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class StaleEntry(Exception):
    def __init__(self, entry: OitEntry) -> None:
        super().__init__(f"{entry.code} was saved by someone else")
        self.entry = entry


def oit_items(framework: frameworks.Framework) -> Sequence[frameworks.Item]:
    tool = next((t for t in framework.tools if t.kind == "checklist"), None)
    return tool.items if tool is not None else ()


def _carry_map(earlier: OitChecklist, framework: frameworks.Framework) -> dict[str, list[str]]:
    """New code -> the earlier checklist's codes it continues, through the reviewed mapping
    between the two frameworks (never by code number alone)."""
    if earlier.framework_id == framework.id:
        return {i.code: [i.code] for i in oit_items(framework)}
    try:
        mapping = mappings.get(earlier.framework_id, framework.id)
    except (mappings.MappingNotFound, frameworks.FrameworkNotFound):
        return {}
    found: dict[str, list[str]] = {}
    for old in oit_items(frameworks.get(earlier.framework_id)):
        for new in mappings.carry(mapping, old.code):
            found.setdefault(new, []).append(old.code)
    return found


@transaction.atomic
def open_checklist(agency: Agency, fiscal_year: int, user: AnyUser) -> OitChecklist:
    """The year's checklist, created on first use from the framework of that year; links,
    units and notes carried over from the latest earlier checklist (to be checked again)."""
    existing = OitChecklist.objects.filter(agency=agency, fiscal_year=fiscal_year).first()
    if existing is not None:
        return existing
    framework = frameworks.for_year(fiscal_year)
    if framework is None:
        raise ChecklistError(
            _("ยังไม่มีหลักเกณฑ์การประเมินของปีงบประมาณ %(year)s") % {"year": fiscal_year}
        )
    earlier = (
        OitChecklist.objects.filter(agency=agency, fiscal_year__lt=fiscal_year)
        .order_by("-fiscal_year")
        .first()
    )
    carry = _carry_map(earlier, framework) if earlier is not None else {}
    old_entries = {e.code: e for e in earlier.entries.all()} if earlier is not None else {}
    checklist = OitChecklist.objects.create(
        agency=agency,
        fiscal_year=fiscal_year,
        framework_id=framework.id,
        carried_from=earlier.fiscal_year if earlier is not None else None,
        created_by=user if isinstance(user, User) else None,
    )
    entries = []
    for item in oit_items(framework):
        sources = [old_entries[c] for c in carry.get(item.code, []) if c in old_entries]
        urls: list[str] = []
        for source in sources:
            urls += [u for u in source.url_list if u not in urls]
        entries.append(
            OitEntry(
                checklist=checklist,
                code=item.code,
                urls="\n".join(urls),
                unit=sources[0].unit if sources else "",
                note=sources[0].note if sources else "",
                carried=(",".join(s.code for s in sources) or "new") if earlier else "",
            )
        )
    OitEntry.objects.bulk_create(entries)
    record(
        actor=user,
        agency=agency,
        action=Action.CREATE,
        obj=checklist,
        summary=f"เปิดรายการตรวจ OIT ปีงบประมาณ {fiscal_year} ({framework.id})"
        + (f" ต่อจากปี {earlier.fiscal_year}" if earlier else ""),
    )
    return checklist


@dataclass(frozen=True)
class EntryData:
    urls: list[str]
    note: str
    unit: str
    due: dt.date | None
    status: str


def url_errors(urls: Sequence[str]) -> list[str]:
    """Thai messages for URLs that cannot be checked (empty when all are fine)."""
    wording = {
        "contains spaces": _("มีช่องว่าง"),
        "is not an http:// or https:// address": _("ไม่ได้ขึ้นต้นด้วย http:// หรือ https://"),
        "has no host name": _("ไม่มีชื่อเว็บไซต์"),
        "has a bad port number": _("หมายเลขพอร์ตไม่ถูกต้อง"),
    }
    out = []
    for url in urls:
        why = url_problem(url)
        if why is not None:
            out.append(_("ลิงก์ %(url)s %(why)s") % {"url": url, "why": wording.get(why, why)})
    return out


@transaction.atomic
def save_entry(entry: OitEntry, data: EntryData, *, revision: int, user: AnyUser) -> OitEntry:
    locked = OitEntry.objects.select_for_update().get(pk=entry.pk)
    if locked.revision != revision:
        raise StaleEntry(locked)
    before = _snapshot(locked)
    locked.urls = "\n".join(data.urls)
    locked.note = data.note
    locked.unit = data.unit
    locked.due = data.due
    locked.status = data.status
    after = _snapshot(locked)
    if before == after:
        return locked
    locked.revision += 1
    locked.updated_by = user if isinstance(user, User) else None
    locked.save()
    changed = {k: v for k, v in after.items() if before.get(k) != v}
    record(
        actor=user,
        agency=locked.checklist.agency,
        action=Action.CHANGE,
        obj=locked,
        summary=f"แก้ไขรายการตรวจ OIT ข้อ {locked.code.upper()} ปีงบประมาณ "
        f"{locked.checklist.fiscal_year}",
        before={k: before[k] for k in changed},
        after=changed,
    )
    return locked


def _snapshot(entry: OitEntry) -> dict[str, object]:
    return {
        "urls": entry.url_list,
        "note": entry.note,
        "unit": entry.unit,
        "due": entry.due.isoformat() if entry.due else None,
        "status": entry.status,
    }


def earlier_hashes(checklist: OitChecklist) -> dict[str, dict[str, str]]:
    """URL -> {earlier fiscal year: SHA-256 of the content then} over the agency's earlier
    checklists: a link whose content has not changed since is reported."""
    found: dict[str, dict[str, str]] = {}
    rows = (
        LinkCheck.objects.filter(
            entry__checklist__agency_id=checklist.agency_id,
            entry__checklist__fiscal_year__lt=checklist.fiscal_year,
            ok=True,
        )
        .exclude(sha256="")
        .values_list("url", "entry__checklist__fiscal_year", "sha256")
    )
    for url, year, digest in rows:
        found.setdefault(url, {})[str(year)] = digest
    return found


def links_of(checklist: OitChecklist) -> list[tuple[OitEntry, Link]]:
    framework = frameworks.get(checklist.framework_id)
    out = []
    for entry in checklist.entries.all():
        item = framework.item(entry.code)
        title = item.text if item is not None and item.title_known else None
        for url in entry.url_list:
            out.append((entry, Link(entry.code, url, title=title, year=checklist.fiscal_year)))
    return out


@transaction.atomic
def store_checks(pairs: Sequence[tuple[OitEntry, LinkResult]]) -> int:
    LinkCheck.objects.bulk_create(
        LinkCheck(
            entry=entry,
            url=result.url[:2000],
            ok=result.ok,
            status=result.status,
            problem=result.problem or "",
            detail=result.detail[:300],
            sha256=result.sha256 or "",
        )
        for entry, result in pairs
    )
    return len(pairs)


def check_now(checklist: OitChecklist) -> int:
    """Check every link of the checklist and store the results (the task's work)."""
    pairs = links_of(checklist)
    results = check_links([link for _, link in pairs], history=earlier_hashes(checklist))
    stored = store_checks([(entry, r) for (entry, _), r in zip(pairs, results, strict=True)])
    OitChecklist.objects.filter(pk=checklist.pk).update(check_finished=timezone.now())
    return stored


def request_check(checklist: OitChecklist, user: AnyUser) -> None:
    """Queue a check of every link (a background job, done once even if a worker dies; the
    page shows its progress, the jobs page its attempts and failures)."""
    from openita.web.jobs import services as jobs

    if not any(e.url_list for e in checklist.entries.all()):
        raise ChecklistError(_("ยังไม่มีลิงก์ให้ตรวจ"))
    OitChecklist.objects.filter(pk=checklist.pk).update(
        check_requested=timezone.now(), check_finished=None
    )
    jobs.start("oit_links", {"checklist_id": checklist.pk}, agency=checklist.agency, user=user)


__all__ = ["Status"]


def set_recheck(checklist: OitChecklist, value: Recheck, user: AnyUser) -> None:
    """The schedule of the automatic recheck (off, daily, weekly)."""
    if checklist.recheck == value:
        return
    before = checklist.recheck
    OitChecklist.objects.filter(pk=checklist.pk).update(recheck=value)
    record(
        actor=user,
        agency=checklist.agency,
        action=Action.CHANGE,
        obj=checklist,
        summary=f"ตั้งการตรวจลิงก์ OIT ซ้ำอัตโนมัติ ปีงบประมาณ {checklist.fiscal_year}: {value.value}",
        before={"recheck": before},
        after={"recheck": value.value},
    )
