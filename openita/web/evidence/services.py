"""Writes about evidence files: keep uploaded files of a measure's round, delete one.

Every upload or delete also saves a new plan version in which the file names are (or are no
longer) in the measure's ``evidence`` of that round, in the same transaction: the round page,
the progress report document and the files never disagree, and every version's document
names exactly the files it had. A file identical (same SHA-256) to one the measure already has
in that round is not stored twice (a double submit adds nothing).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from openita.importers import xlsxguard
from openita.plans import rounds
from openita.plans.schema import Measure, Plan
from openita.web.audit.models import Action
from openita.web.audit.services import actor_name, record
from openita.web.evidence.files import ALLOWED, MAX_BYTES, Checked, FileRefused, check, unique_name
from openita.web.evidence.models import EvidenceFile
from openita.web.plans.content import plan_of
from openita.web.plans.models import MeasuresPlan
from openita.web.plans.services import Saved, plan_save


class EvidenceRefused(Exception):
    """The files cannot be kept or removed; the message says why, for the user."""


def max_bytes() -> int:
    return int(getattr(settings, "OPENITA_EVIDENCE_MAX_BYTES", MAX_BYTES))


def _megabytes(limit: int) -> str:
    return f"{limit / (1024 * 1024):g}"


def refusal(exc: FileRefused, limit: int) -> str:
    """The Thai message for one refused file: its name, what is wrong, and the rule."""
    params = {"name": exc.name, "limit": _megabytes(limit), "allowed": ALLOWED}
    if exc.problem.startswith("size"):
        text = _("ไฟล์ %(name)s ใหญ่เกินกำหนด: ไฟล์หลักฐานแต่ละไฟล์ต้องไม่เกิน %(limit)s MB")
    elif exc.problem == "empty":
        text = _("ไฟล์ %(name)s ว่างเปล่า")
    elif exc.problem.startswith("archive"):
        params["unpacked"] = _megabytes(xlsxguard.MAX_UNCOMPRESSED)
        params["cells"] = f"{xlsxguard.MAX_CELLS:,}"
        text = _("ไฟล์ %(name)s เมื่อแตกออกแล้วใหญ่เกิน %(unpacked)s MB หรือเกิน %(cells)s เซลล์ จึงไม่รับไว้")
    elif exc.problem == "type":
        text = _("ไฟล์ %(name)s ไม่ใช่ชนิดที่รับ: รับเฉพาะ %(allowed)s ไม่เกิน %(limit)s MB")
    else:
        text = _("เนื้อหาของไฟล์ %(name)s ไม่ตรงกับนามสกุลไฟล์: รับเฉพาะ %(allowed)s ไม่เกิน %(limit)s MB")
    return text % params


def checked_uploads(uploads: Iterable[UploadedFile]) -> list[Checked]:
    """Every uploaded file checked (size, extension, content); EvidenceRefused naming every
    refused file when any is, so nothing of the batch is kept."""
    limit = max_bytes()
    kept: list[Checked] = []
    problems: list[str] = []
    for upload in uploads:
        raw = upload.name or ""
        try:
            if (upload.size or 0) > limit:
                raise FileRefused(raw, f"size>{limit}")  # refused before reading it
            upload.seek(0)
            kept.append(check(raw, upload.read(limit + 1), limit=limit))
        except FileRefused as exc:
            problems.append(refusal(exc, limit))
    if problems:
        raise EvidenceRefused(" ".join(problems))
    return kept


def measure_of(plan: Plan, months: int, measure_id: str) -> Measure:
    found = next((m for m in plan.measures if m.id == measure_id and months in m.rounds), None)
    if found is None:
        raise EvidenceRefused(
            _("ไม่พบมาตรการ %(id)s ในรอบ %(n)s เดือนของแผนฉบับปัจจุบัน") % {"id": measure_id, "n": months}
        )
    return found


def with_names(plan: Plan, months: int, names: dict[str, list[str]], today: dt.date) -> Plan:
    """``plan`` with the file names added to each measure's evidence of the round."""
    measures = []
    for m in plan.measures:
        add = names.get(m.id)
        old = m.progress.get(months)  # type: ignore[call-overload]
        if not add or months not in m.rounds:
            measures.append(m)
            continue
        # a round with nothing yet starts from the earlier round's entry (openita.plans.rounds)
        progress = old or rounds.round_progress(m, months).progress
        evidence = list(dict.fromkeys([*progress.evidence, *add]))
        if evidence != progress.evidence:
            progress = progress.model_copy(update={"evidence": evidence, "updated": today})
            m = m.model_copy(update={"progress": {**m.progress, months: progress}})
        measures.append(m)
    return plan.model_copy(update={"measures": measures})


def without_name(plan: Plan, months: int, measure_id: str, name: str, today: dt.date) -> Plan:
    measures = []
    for m in plan.measures:
        old = m.progress.get(months)  # type: ignore[call-overload]
        if m.id == measure_id and old is not None and name in old.evidence:
            evidence = [e for e in old.evidence if e != name]
            progress = old.model_copy(update={"evidence": evidence, "updated": today})
            m = m.model_copy(update={"progress": {**m.progress, months: progress}})
        measures.append(m)
    return plan.model_copy(update={"measures": measures})


def snapshot(file: EvidenceFile) -> dict[str, object]:
    return {
        "name": file.name,
        "measure": file.measure_id,
        "months": file.months,
        "size": file.size,
        "sha256": file.sha256,
    }


def store(
    *,
    plan: MeasuresPlan,
    months: int,
    measure_id: str,
    files: list[Checked],
    user: User | None,
    actor_label: str = "",
) -> list[EvidenceFile]:
    """Keep the files of one measure's round (call inside a transaction that also saves the
    plan version naming them). A file the measure already has (same SHA-256) is reused."""
    existing = list(
        EvidenceFile.objects.filter(plan=plan, months=months, measure_id=measure_id).defer("data")
    )
    by_hash = {f.sha256: f for f in existing}
    taken = {f.name for f in existing}
    label = actor_label or actor_name(user)
    kept: list[EvidenceFile] = []
    for item in files:
        if item.sha256 in by_hash:
            kept.append(by_hash[item.sha256])
            continue
        name = unique_name(item.name, taken)
        taken.add(name)
        row = EvidenceFile.objects.create(
            agency=plan.agency,
            plan=plan,
            months=months,
            measure_id=measure_id,
            name=name,
            stored_name="",
            content_type=item.content_type,
            size=item.size,
            sha256=item.sha256,
            data=item.data,
            uploaded_by=user,
            uploaded_by_label=label[:200],
        )
        row.stored_name = f"evidence-{row.pk}{item.extension}"
        row.save(update_fields=["stored_name"])
        by_hash[item.sha256] = row
        kept.append(row)
        record(
            actor=user,
            agency=plan.agency,
            action=Action.CREATE,
            obj=row,
            summary=f"ไฟล์หลักฐาน {name} มาตรการ {measure_id} รอบ {months} เดือน",
            after=snapshot(row),
            actor_label=actor_label,
        )
    return kept


@transaction.atomic
def evidence_upload(
    *,
    plan: MeasuresPlan,
    months: int,
    measure_id: str,
    files: list[Checked],
    user: User | None,
    actor_label: str = "",
) -> tuple[list[EvidenceFile], Saved]:
    """Keep the files and save a plan version naming them in the measure's evidence."""
    if not files:
        raise EvidenceRefused(_("โปรดเลือกไฟล์อย่างน้อยหนึ่งไฟล์"))
    locked = MeasuresPlan.objects.select_for_update().get(pk=plan.pk)
    current = locked.versions.order_by("-number").first()
    if current is None:
        raise EvidenceRefused(_("แผนนี้ยังไม่มีฉบับใด"))
    content = plan_of(current.content)
    measure_of(content, months, measure_id)
    rows = store(
        plan=locked,
        months=months,
        measure_id=measure_id,
        files=files,
        user=user,
        actor_label=actor_label,
    )
    today = timezone.localdate()
    updated = with_names(content, months, {measure_id: [r.name for r in rows]}, today)
    names = ", ".join(r.name for r in rows)
    saved = plan_save(
        plan=locked,
        user=user,
        content=updated,
        base_version=current.number,
        note=_("ไฟล์หลักฐาน %(id)s: %(names)s") % {"id": measure_id, "names": names},
        actor_label=actor_label,
    )
    return rows, saved


@transaction.atomic
def evidence_delete(*, file: EvidenceFile, user: User) -> Saved:
    """Remove the file and its name from the measure's evidence (a new plan version)."""
    locked = MeasuresPlan.objects.select_for_update().get(pk=file.plan_id)
    current = locked.versions.order_by("-number").first()
    if current is None:
        raise EvidenceRefused(_("แผนนี้ยังไม่มีฉบับใด"))
    before = snapshot(file)
    content = without_name(
        plan_of(current.content), file.months, file.measure_id, file.name, timezone.localdate()
    )
    record(
        actor=user,
        agency=locked.agency,
        action=Action.DELETE,
        obj=file,
        summary=f"ลบไฟล์หลักฐาน {file.name} มาตรการ {file.measure_id} รอบ {file.months} เดือน",
        before=before,
    )
    file.delete()
    return plan_save(
        plan=locked,
        user=user,
        content=content,
        base_version=current.number,
        note=_("ลบไฟล์หลักฐาน %(id)s: %(name)s") % {"id": before["measure"], "name": before["name"]},
    )
