"""Bulk import of many agencies' results: preview (check every row, save nothing but the file),
then import in ONE transaction, once, and only what the preview showed.

Who may: site admins everywhere; a national viewer everywhere; a provincial viewer for the
agencies of their provinces. Agencies the file names that are not on file are created from it
(name, code, type, province, district) only when the importer asks for it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction
from django.utils import timezone

from openita.importers import bulk
from openita.importers.scores import FileProblem, InputInvalid
from openita.web.agencies import models as agency_models
from openita.web.agencies.models import Agency, ProvincialViewer
from openita.web.audit.models import Action, AuditEntry
from openita.web.audit.services import actor_name, record
from openita.web.bulkimport.models import BulkUpload
from openita.web.results import figures
from openita.web.results.models import Assessment
from openita.web.results.services import changed_scores

AnyUser = User | AnonymousUser
BATCH = 500  # rows per INSERT / UPDATE statement
SOURCE = "นำเข้าหลายหน่วยงาน"  # source_name prefix of results that came in this way


class StalePreview(Exception):
    """The preview cannot be imported: someone else's, or the data changed since."""


# --- who may ----------------------------------------------------------------------------------


def _national(user: AnyUser) -> bool:
    """A national viewer (the role is added by the overview app; absent before it lands)."""
    model = getattr(agency_models, "NationalViewer", None)
    return model is not None and bool(model.objects.filter(user=user).exists())


def import_provinces(user: AnyUser) -> frozenset[str] | None:
    """The provinces the user may import for: None for all (admins, national viewers), an
    empty set for none."""
    if not user.is_authenticated:
        return frozenset()
    if getattr(user, "is_superuser", False) or _national(user):
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


def _on_file(good: Sequence[bulk.GoodRow]) -> dict[tuple[int, int], Assessment]:
    """The results already on file for the known agencies and years of the rows."""
    ids = {g.agency.id for g in good if isinstance(g.agency, bulk.KnownAgency)}
    years = {g.fiscal_year for g in good}
    if not ids:
        return {}
    found: dict[tuple[int, int], Assessment] = {}
    query = Assessment.objects.filter(fiscal_year__in=years).only(
        "pk", "agency_id", "fiscal_year", "scores", "content_hash", "updated"
    )
    id_list = sorted(ids)
    for start in range(0, len(id_list), 5000):  # stay under SQLite's parameter limit
        for a in query.filter(agency_id__in=id_list[start : start + 5000]):
            found[(a.agency_id, a.fiscal_year)] = a
    return found


def _agency_key(agency: bulk.KnownAgency | bulk.NewAgency) -> str:
    if isinstance(agency, bulk.KnownAgency):
        return str(agency.id)
    return f"new:{agency.name}:{agency.code}:{agency.province}:{agency.kind}:{agency.district}"


def scores_hash(framework_id: str, scores: dict[str, float]) -> str:
    """The content hash of imported results: the same figures give the same hash."""
    text = json.dumps([framework_id, sorted(scores.items())], ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _held(g: bulk.GoodRow, on_file: dict[tuple[int, int], Assessment]) -> Assessment | None:
    """The result on file that the row would replace."""
    if isinstance(g.agency, bulk.KnownAgency):
        return on_file.get((g.agency.id, g.fiscal_year))
    return None


def _key(file_hash: str, report: bulk.Report, on_file: dict[tuple[int, int], Assessment]) -> str:
    """What the preview showed, as one hash: the rows, their agencies and what they replace."""
    digest = hashlib.sha256(file_hash.encode())
    for g in report.good:
        agency = _agency_key(g.agency)
        held = _held(g, on_file)
        replaced = f"{held.pk}:{held.content_hash}:{held.updated.isoformat()}" if held else "-"
        digest.update(f"|{g.line}:{agency}:{g.fiscal_year}:{replaced}".encode())
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


def _check(
    data: bytes, name: str, user: AnyUser | None, create_agencies: bool
) -> tuple[bulk.Report, dict[tuple[int, int], Assessment]]:
    provinces = import_provinces(user) if user is not None else None
    rules = bulk.Rules(create_agencies=create_agencies, provinces=provinces)
    report = bulk.check_bytes(data, name, directory(), rules)
    return report, _on_file(report.good)


def _counts(report: bulk.Report, on_file: dict[tuple[int, int], Assessment]) -> tuple[int, int]:
    replaces = unchanged = 0
    for g in report.good:
        held = _held(g, on_file)
        if held is None:
            continue
        if held.content_hash == scores_hash(g.result.framework.id, g.scores):
            unchanged += 1
        else:
            replaces += 1
    return replaces, unchanged


def bulk_preview(*, user: AnyUser, name: str, data: bytes, create_agencies: bool) -> Preview:
    """Check the file; keep it for the confirmation when every row is good. Saves no result."""
    if not may_import(user):
        raise PermissionError("this user may not import results")
    try:
        report, on_file = _check(data, name, user, create_agencies)
    except InputInvalid as exc:
        return Preview(name, problems=list(exc.problems))
    replaces, unchanged = _counts(report, on_file)
    preview = Preview(name, report, replaces=replaces, unchanged=unchanged)
    if report.ok:
        file_hash = hashlib.sha256(data).hexdigest()
        preview.upload = BulkUpload.objects.create(
            uploaded_by=user if isinstance(user, User) else None,
            name=name[:255],
            data=data,
            size=len(data),
            sha256=file_hash,
            create_agencies=create_agencies,
            preview_key=_key(file_hash, report, on_file),
            rows=report.rows,
        )
    return preview


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
    data = bytes(upload.data)
    try:
        report, on_file = _check(data, upload.name, user, upload.create_agencies)
    except InputInvalid as exc:  # cannot happen for a stored clean file; refuse all the same
        raise StalePreview(str(exc)) from None
    if not report.ok or _key(upload.sha256, report, on_file) != upload.preview_key:
        raise StalePreview("the agencies or results changed after the preview; check again")
    done = _write(report, on_file, user=user, source=upload.name)
    upload.imported_at = timezone.now()
    upload.results_written = done.written
    upload.agencies_created = done.agencies_created
    upload.data = b""  # imported: the results hold the figures now, the file need not stay
    upload.save(update_fields=["imported_at", "results_written", "agencies_created", "data"])
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


def _write(
    report: bulk.Report,
    on_file: dict[tuple[int, int], Assessment],
    *,
    user: AnyUser | None,
    source: str,
) -> _Written:
    """Agencies first, then every result, then the audit entries: inside the caller's
    transaction, so an error leaves nothing behind."""
    actor = user if isinstance(user, User) else None
    made = _create_agencies(report.to_create, actor)
    now = timezone.now()
    new: list[Assessment] = []
    changed: list[tuple[Assessment, dict[str, float]]] = []
    done = _Written(agencies_created=len(made))
    for g in report.good:
        agency_id = g.agency.id if isinstance(g.agency, bulk.KnownAgency) else made[id(g.agency)]
        held = _held(g, on_file)
        content = scores_hash(g.result.framework.id, g.scores)
        if held is not None and held.content_hash == content:
            done.unchanged += 1
            continue
        target = held or Assessment(agency_id=agency_id, fiscal_year=g.fiscal_year, created=now)
        before = dict(held.scores) if held is not None else {}
        target.framework_id = g.result.framework.id
        target.scores = g.scores
        target.source_name = f"{SOURCE}: {source}"[:255]
        target.content_hash = content
        target.uploaded_by = actor
        target.updated = now
        figures.apply(target, figures.from_result(g.result))
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


def _create_agencies(wanted: Iterable[bulk.NewAgency], actor: User | None) -> dict[int, int]:
    """Create the agencies; id() of each NewAgency -> the new agency's pk."""
    wanted = list(wanted)
    if not wanted:
        return {}
    agencies = [
        Agency(name=a.name, code=a.code, kind=a.kind, province=a.province, district=a.district)
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
    return {id(w): int(a.pk) for w, a in zip(wanted, agencies, strict=True)}


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
        report, on_file = _check(data, name, None, create_agencies)
    except InputInvalid as exc:
        return CommandOutcome(None, list(exc.problems), None)
    if not report.ok or dry_run:
        return CommandOutcome(report, [], None)
    done = _write(report, on_file, user=None, source=name)
    imported = Imported(
        None, done.results_created, done.results_replaced, done.unchanged, done.agencies_created
    )
    return CommandOutcome(report, [], imported)
