"""Bulk import of many agencies' results: preview (check every row, save nothing but the file),
then import in ONE transaction, once, and only what the preview showed.

Who may: site admins everywhere; a national viewer everywhere; a provincial viewer for the
agencies of their provinces. Agencies the file names that are not on file are created from it
(name, code, type, province, district) only when the importer asks for it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction
from django.utils import timezone

from openita.importers import bulk
from openita.importers.scores import FileProblem, InputInvalid
from openita.web.agencies.models import Agency, ProvincialViewer
from openita.web.agencies.selectors import is_national
from openita.web.audit.models import Action, AuditEntry
from openita.web.audit.services import actor_name, record
from openita.web.bulkimport.models import BulkUpload
from openita.web.results import figures
from openita.web.results.models import Assessment
from openita.web.results.services import changed_scores

AnyUser = User | AnonymousUser
BATCH = 500  # rows per INSERT / UPDATE statement
PREVIEW_HOURS = 24  # a preview may be confirmed this long
SOURCE = "นำเข้าหลายหน่วยงาน"  # source_name prefix of results that came in this way


class StalePreview(Exception):
    """The preview cannot be imported: someone else's, or the data changed since."""


# --- who may ----------------------------------------------------------------------------------


def import_provinces(user: AnyUser) -> frozenset[str] | None:
    """The provinces the user may import for: None for all (admins, national viewers), an
    empty set for none."""
    if not user.is_authenticated:
        return frozenset()
    if is_national(user):  # a site admin or a national viewer
        return None
    return frozenset(ProvincialViewer.objects.filter(user=user).values_list("province", flat=True))


def may_import(user: AnyUser) -> bool:
    provinces = import_provinces(user)
    return provinces is None or bool(provinces)


# --- checking ---------------------------------------------------------------------------------


def directory() -> bulk.Directory:
    """Every agency on file, as the checker looks them up (one query)."""
    rows = Agency.objects.values_list("pk", "name", "code", "province", "district", "kind")
    return bulk.Directory(bulk.KnownAgency(*r) for r in rows.iterator(chunk_size=2000))


def scores_hash(framework_id: str, scores: dict[str, float]) -> str:
    """The content hash of imported results: the same figures give the same hash."""
    text = json.dumps([framework_id, sorted(scores.items())], ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


# What an import writes, decided by the check and kept with the preview (JSON), so the
# confirmation writes exactly what was shown without scoring 8,300 rows a second time.
Plan = dict[str, Any]


def plan_of(report: bulk.Report) -> Plan:
    new_index = {id(a): n for n, a in enumerate(report.to_create)}
    rows = []
    for g in report.good:
        known = isinstance(g.agency, bulk.KnownAgency)
        stored = figures.from_batch(g.figures, g.framework)
        assert stored is not None  # a good row has its figures
        rows.append(
            {
                "line": g.line,
                "agency_id": g.agency.id if isinstance(g.agency, bulk.KnownAgency) else None,
                "new": None if known else new_index[id(g.agency)],
                "province": g.agency.province,
                "year": g.fiscal_year,
                "framework": g.framework.id,
                "scores": g.scores,
                "hash": scores_hash(g.framework.id, g.scores),
                "stored": {
                    "total": str(stored.total),
                    "rating": stored.rating,
                    "level": stored.level,
                    "passed": stored.passed,
                    "figures": stored.figures,
                    "key": stored.key,
                },
            }
        )
    agencies = [
        {
            "name": a.name,
            "code": a.code,
            "province": a.province,
            "district": a.district,
            "kind": a.kind,
            "line": a.line,
        }
        for a in report.to_create
    ]
    return {"rows": rows, "agencies": agencies}


def _on_file(plan: Plan) -> dict[tuple[int, int], Assessment]:
    """The results already on file for the known agencies and years of the plan."""
    ids = sorted({r["agency_id"] for r in plan["rows"] if r["agency_id"] is not None})
    years = {r["year"] for r in plan["rows"]}
    found: dict[tuple[int, int], Assessment] = {}
    query = Assessment.objects.filter(fiscal_year__in=years).only(
        "pk", "agency_id", "fiscal_year", "scores", "content_hash", "updated"
    )
    for start in range(0, len(ids), 5000):  # stay under SQLite's parameter limit
        for a in query.filter(agency_id__in=ids[start : start + 5000]):
            found[(a.agency_id, a.fiscal_year)] = a
    return found


def _held(row: dict[str, Any], on_file: dict[tuple[int, int], Assessment]) -> Assessment | None:
    """The result on file that the row would replace."""
    if row["agency_id"] is None:
        return None
    return on_file.get((row["agency_id"], row["year"]))


def _key(file_hash: str, plan: Plan, on_file: dict[tuple[int, int], Assessment]) -> str:
    """What the preview showed, as one hash: the rows, their agencies and what they replace."""
    digest = hashlib.sha256(file_hash.encode())
    digest.update(json.dumps(plan["agencies"], ensure_ascii=False, sort_keys=True).encode())
    for row in plan["rows"]:
        held = _held(row, on_file)
        replaced = f"{held.pk}:{held.content_hash}:{held.updated.isoformat()}" if held else "-"
        agency = row["agency_id"] if row["agency_id"] is not None else f"new{row['new']}"
        digest.update(f"|{row['line']}:{agency}:{row['year']}:{row['hash']}:{replaced}".encode())
    return digest.hexdigest()


@dataclass
class Preview:
    name: str
    report: bulk.Report | None = None
    problems: list[FileProblem] = field(default_factory=list)  # the file cannot be read
    upload: BulkUpload | None = None  # kept for the confirmation when the report is clean
    replaces: int = 0  # results on file the import would overwrite
    unchanged: int = 0  # rows whose figures are already on file as they are

    @property
    def ok(self) -> bool:
        return self.report is not None and self.report.ok and not self.problems


def _check(data: bytes, name: str, provinces: frozenset[str] | None, create: bool) -> bulk.Report:
    rules = bulk.Rules(create_agencies=create, provinces=provinces)
    return bulk.check_bytes(data, name, directory(), rules)


def _counts(plan: Plan, on_file: dict[tuple[int, int], Assessment]) -> tuple[int, int]:
    replaces = unchanged = 0
    for row in plan["rows"]:
        held = _held(row, on_file)
        if held is None:
            continue
        if held.content_hash == row["hash"]:
            unchanged += 1
        else:
            replaces += 1
    return replaces, unchanged


def _expiry() -> dt.datetime:
    return timezone.now() - dt.timedelta(hours=PREVIEW_HOURS)


def bulk_preview(*, user: AnyUser, name: str, data: bytes, create_agencies: bool) -> Preview:
    """Check the file; keep what it would write for the confirmation when every row is good.
    Saves no result and no agency."""
    if not may_import(user):
        raise PermissionError("this user may not import results")
    try:
        report = _check(data, name, import_provinces(user), create_agencies)
    except InputInvalid as exc:
        return Preview(name, problems=list(exc.problems))
    if not report.ok:
        return Preview(name, report)
    plan = plan_of(report)
    on_file = _on_file(plan)
    replaces, unchanged = _counts(plan, on_file)
    file_hash = hashlib.sha256(data).hexdigest()
    # previews never confirmed are dropped after a day (their plans can be large)
    BulkUpload.objects.filter(imported_at__isnull=True, created__lt=_expiry()).delete()
    upload = BulkUpload.objects.create(
        uploaded_by=user if isinstance(user, User) else None,
        name=name[:255],
        size=len(data),
        sha256=file_hash,
        create_agencies=create_agencies,
        plan=plan,
        preview_key=_key(file_hash, plan, on_file),
        rows=report.rows,
    )
    return Preview(name, report, upload=upload, replaces=replaces, unchanged=unchanged)


# --- importing --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Imported:
    upload: BulkUpload | None
    results_created: int
    results_replaced: int
    unchanged: int
    agencies_created: int
    already: bool = False  # a second confirmation of the same preview: nothing done

    @property
    def written(self) -> int:
        return self.results_created + self.results_replaced


def _still_true(plan: Plan, user: AnyUser) -> bool:
    """The agencies the plan names are as they were, and the user may still import them."""
    allowed = import_provinces(user)
    if allowed is not None and any(r["province"] not in allowed for r in plan["rows"]):
        return False
    ids = sorted({r["agency_id"] for r in plan["rows"] if r["agency_id"] is not None})
    there = sum(
        Agency.objects.filter(pk__in=ids[n : n + 5000]).count() for n in range(0, len(ids), 5000)
    )
    if there != len(ids):
        return False
    new = plan["agencies"]
    codes = [a["code"] for a in new if a["code"]]
    names = {(a["name"], a["province"]) for a in new}
    taken_code = any(
        Agency.objects.filter(code__in=codes[n : n + 5000]).exists()
        for n in range(0, len(codes), 5000)
    )
    on_file = Agency.objects.filter(name__in=[a["name"] for a in new]).values_list(
        "name", "province"
    )
    return not taken_code and not any(pair in names for pair in on_file)


@transaction.atomic
def bulk_import(*, upload_id: int, user: AnyUser) -> Imported:
    """Import a previewed file, once, in one transaction; StalePreview when anything the
    preview showed has changed (or the upload is someone else's)."""
    upload = BulkUpload.objects.select_for_update().filter(pk=upload_id).first()
    mine = upload is not None and isinstance(user, User) and upload.uploaded_by_id == user.pk
    if upload is None or not mine:
        raise StalePreview("no such preview")
    if upload.imported_at is not None:
        return Imported(upload, 0, 0, 0, upload.agencies_created, already=True)
    if upload.created < _expiry():
        raise StalePreview("the preview is older than a day; check the file again")
    plan: Plan = upload.plan
    on_file = _on_file(plan)
    if _key(upload.sha256, plan, on_file) != upload.preview_key or not _still_true(plan, user):
        raise StalePreview("the agencies or results changed after the preview; check again")
    done = _write(plan, on_file, user=user, source=upload.name)
    upload.imported_at = timezone.now()
    upload.results_written = done.written
    upload.agencies_created = done.agencies_created
    upload.plan = {}  # imported: the results hold the figures now
    upload.save(update_fields=["imported_at", "results_written", "agencies_created", "plan"])
    return Imported(
        upload, done.results_created, done.results_replaced, done.unchanged, done.agencies_created
    )


@dataclass
class _Written:
    results_created: int = 0
    results_replaced: int = 0
    unchanged: int = 0
    agencies_created: int = 0

    @property
    def written(self) -> int:
        return self.results_created + self.results_replaced


def _stored(data: dict[str, Any]) -> figures.StoredFigures:
    return figures.StoredFigures(
        total=Decimal(data["total"]),
        rating=data["rating"],
        level=data["level"],
        passed=data["passed"],
        figures=data["figures"],
        key=data["key"],
    )


def _write(
    plan: Plan, on_file: dict[tuple[int, int], Assessment], *, user: AnyUser | None, source: str
) -> _Written:
    """Agencies first, then every result, then the audit entries: inside the caller's
    transaction, so an error leaves nothing behind."""
    actor = user if isinstance(user, User) else None
    made = _create_agencies(plan["agencies"], actor)
    now = timezone.now()
    new: list[Assessment] = []
    changed: list[tuple[Assessment, dict[str, float]]] = []
    done = _Written(agencies_created=len(made))
    for row in plan["rows"]:
        agency_id = row["agency_id"] if row["agency_id"] is not None else made[row["new"]]
        held = _held(row, on_file)
        if held is not None and held.content_hash == row["hash"]:
            done.unchanged += 1
            continue
        target = held or Assessment(agency_id=agency_id, fiscal_year=row["year"], created=now)
        before = dict(held.scores) if held is not None else {}
        target.framework_id = row["framework"]
        target.scores = row["scores"]
        target.source_name = f"{SOURCE}: {source}"[:255]
        target.content_hash = row["hash"]
        target.uploaded_by = actor
        target.updated = now
        figures.apply(target, _stored(row["stored"]))
        if held is None:
            new.append(target)
        else:
            changed.append((target, before))
    Assessment.objects.bulk_create(new, batch_size=BATCH)
    fields = [
        "framework_id",
        "scores",
        "source_name",
        "content_hash",
        "uploaded_by",
        "updated",
        *figures.FIELDS,
    ]
    Assessment.objects.bulk_update([t for t, _ in changed], fields, batch_size=BATCH)
    done.results_created, done.results_replaced = len(new), len(changed)
    _audit(new, changed, actor=actor, source=source)
    record(
        actor=actor,
        agency=None,
        action=Action.CREATE,
        object_type="bulkimport.file",
        object_id="",
        summary=(
            f"นำเข้าผลหลายหน่วยงาน {source}: ผลใหม่ {done.results_created} "
            f"แทนที่ {done.results_replaced} หน่วยงานใหม่ {done.agencies_created}"
        ),
        after={
            "file": source,
            "results_created": done.results_created,
            "results_replaced": done.results_replaced,
            "unchanged": done.unchanged,
            "agencies_created": done.agencies_created,
        },
    )
    return done


def _create_agencies(wanted: Sequence[dict[str, Any]], actor: User | None) -> list[int]:
    """Create the agencies; their pks in the plan's order."""
    if not wanted:
        return []
    agencies = [
        Agency(
            name=a["name"],
            code=a["code"],
            kind=a["kind"],
            province=a["province"],
            district=a["district"],
        )
        for a in wanted
    ]
    Agency.objects.bulk_create(agencies, batch_size=BATCH)
    if any(a.pk is None for a in agencies):  # a database that does not return new ids
        pks = {
            (name, province): pk
            for pk, name, province in Agency.objects.filter(
                name__in=[a.name for a in agencies]
            ).values_list("pk", "name", "province")
        }
        for a in agencies:
            a.pk = pks[(a.name, a.province)]
    label = actor_name(actor) if actor else "openita import-results"
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                agency=a,
                actor=actor,
                actor_label=label[:200],
                action=Action.CREATE,
                object_type="agencies.agency",
                object_id=str(a.pk),
                summary=f"หน่วยงาน {a.name} (นำเข้าหลายหน่วยงาน)"[:300],
                after={
                    "kind": a.kind,
                    "province": a.province,
                    "district": a.district,
                    "code": a.code,
                },
            )
            for a in agencies
        ],
        batch_size=BATCH,
    )
    return [int(a.pk) for a in agencies]


def _audit(
    new: Sequence[Assessment],
    changed: Sequence[tuple[Assessment, dict[str, float]]],
    *,
    actor: User | None,
    source: str,
) -> None:
    """One entry per result written, in its agency's log (as a single upload writes one)."""
    label = (actor_name(actor) if actor else "openita import-results")[:200]
    if any(a.pk is None for a in new):
        keys = {(a.agency_id, a.fiscal_year) for a in new}
        pks = {
            (agency, year): pk
            for pk, agency, year in Assessment.objects.filter(
                fiscal_year__in={y for _, y in keys}
            ).values_list("pk", "agency_id", "fiscal_year")
        }
        for a in new:
            a.pk = pks[(a.agency_id, a.fiscal_year)]
    entries = []
    for target, before in [*((a, None) for a in new), *changed]:
        old, after = changed_scores(before or {}, target.scores)
        entries.append(
            AuditEntry(
                agency_id=target.agency_id,
                actor=actor,
                actor_label=label,
                action=Action.CREATE if before is None else Action.CHANGE,
                object_type="results.assessment",
                object_id=str(target.pk),
                summary=f"ผลการประเมินปีงบประมาณ {target.fiscal_year} ({SOURCE}: {source})"[:300],
                before=old if before is not None else None,
                after=after,
            )
        )
    AuditEntry.objects.bulk_create(entries, batch_size=BATCH)


# --- the command line -------------------------------------------------------------------------


@dataclass(frozen=True)
class CommandOutcome:
    report: bulk.Report | None
    problems: list[FileProblem]
    imported: Imported | None

    def as_dict(self) -> dict[str, Any]:
        found: dict[str, Any] = self.report.as_dict() if self.report is not None else {}
        found["file_problems"] = [str(p) for p in self.problems]
        if self.imported is not None:
            found["imported"] = {
                "results_created": self.imported.results_created,
                "results_replaced": self.imported.results_replaced,
                "unchanged": self.imported.unchanged,
                "agencies_created": self.imported.agencies_created,
            }
        return found


@transaction.atomic
def import_file(*, data: bytes, name: str, create_agencies: bool, dry_run: bool) -> CommandOutcome:
    """``openita import-results``: check, and when every row is good (and not a dry run)
    import it all in this one transaction."""
    try:
        report = _check(data, name, None, create_agencies)
    except InputInvalid as exc:
        return CommandOutcome(None, list(exc.problems), None)
    if not report.ok or dry_run:
        return CommandOutcome(report, [], None)
    plan = plan_of(report)
    done = _write(plan, _on_file(plan), user=None, source=name)
    imported = Imported(
        None, done.results_created, done.results_replaced, done.unchanged, done.agencies_created
    )
    return CommandOutcome(report, [], imported)
