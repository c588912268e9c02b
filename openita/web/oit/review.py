"""The auditor's review of a checklist: a verdict per item (pass or fail with a comment), the
preliminary score, one dispute round (the agency answers each failed item, the auditor
confirms or changes), and the confirmed OIT item scores (100/0) written into that year's
results through the results service (its audit entry and content hash). Every verdict is in
the agency's audit log.

Who audits: a superuser, a member of the agency with the auditor role, or a provincial
auditor (``ProvincialAuditor``) of the agency's province."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from openita import engine, frameworks
from openita.web.agencies.models import Agency, Membership, Role
from openita.web.audit.models import Action
from openita.web.audit.services import record
from openita.web.oit.models import Mark, OitChecklist, OitEntry, ProvincialAuditor, Stage, Verdict
from openita.web.oit.services import AnyUser, ChecklistError, oit_items
from openita.web.results.models import Assessment
from openita.web.results.services import Confirmation, StalePreview, assessment_save

SOURCE_MARK = "auditor-confirmed"  # the mark of OIT figures written by a confirmed review
# The results' source name gets this suffix: where its OIT figures came from.
SOURCE_SEP = " + "
SOURCE_LABEL = "คะแนน OIT ยืนยันโดยผู้ตรวจประเมิน"


def can_audit(user: AnyUser, agency: Agency) -> bool:
    if not user.is_authenticated:
        return False
    if getattr(user, "is_superuser", False):
        return True
    if Membership.objects.filter(user=user, agency=agency, role=Role.AUDITOR).exists():
        return True
    return ProvincialAuditor.objects.filter(user=user, province=agency.province).exists()


def agency_for_auditor(user: AnyUser, agency_id: int) -> Agency:
    """The agency, if this user may audit it; else 404 (as agency_for_user)."""
    agency = Agency.objects.filter(pk=agency_id).first()
    if agency is None or not can_audit(user, agency):
        raise Http404("no such agency")
    return agency


def audited_agencies(user: AnyUser) -> list[Agency]:
    """Agencies this user may audit (for the auditor's list)."""
    if not user.is_authenticated:
        return []
    if getattr(user, "is_superuser", False):
        return list(Agency.objects.order_by("name"))
    provinces = ProvincialAuditor.objects.filter(user=user).values("province")
    own = Membership.objects.filter(user=user, role=Role.AUDITOR).values("agency")
    return list(
        Agency.objects.filter(pk__in=own).union(Agency.objects.filter(province__in=provinces))
    )


def verdicts_of(checklist: OitChecklist) -> dict[str, Verdict]:
    return {v.entry.code: v for v in Verdict.objects.filter(entry__checklist=checklist)}


def _score(checklist: OitChecklist, passed: Mapping[str, bool]) -> float:
    from openita.oit.predict import predict

    return predict(frameworks.get(checklist.framework_id), passed).oit


def preliminary_score(checklist: OitChecklist) -> float:
    verdicts = verdicts_of(checklist)
    return _score(checklist, {c: v.preliminary == Mark.PASS for c, v in verdicts.items()})


def final_marks(checklist: OitChecklist) -> dict[str, str]:
    """The final verdict of each item: the changed one, else the preliminary one."""
    return {c: v.final or v.preliminary for c, v in verdicts_of(checklist).items()}


def final_score(checklist: OitChecklist) -> float:
    return _score(checklist, {c: m == Mark.PASS for c, m in final_marks(checklist).items()})


def _require(checklist: OitChecklist, *stages: Stage) -> None:
    if checklist.stage not in stages:
        raise ChecklistError(_("ขั้นตอนการตรวจประเมินไม่อนุญาตให้ทำรายการนี้แล้ว"))


@dataclass(frozen=True)
class Marking:
    mark: str  # "pass", "fail" or "" (not yet)
    comment: str


def _entry(checklist: OitChecklist, code: str) -> OitEntry:
    entry = checklist.entries.filter(code=code).first()
    if entry is None:
        raise ChecklistError(_("ไม่มีข้อ %(code)s ในรายการตรวจนี้") % {"code": code.upper()})
    return entry


@transaction.atomic
def save_preliminary(checklist: OitChecklist, marks: Mapping[str, Marking], user: AnyUser) -> int:
    """Record preliminary verdicts (stage self/preliminary); returns how many changed."""
    checklist = OitChecklist.objects.select_for_update().get(pk=checklist.pk)
    _require(checklist, Stage.SELF, Stage.PRELIMINARY)
    changed = 0
    for code, m in marks.items():
        if m.mark not in ("", Mark.PASS, Mark.FAIL):
            raise ChecklistError(_("ผลการตรวจต้องเป็นผ่านหรือไม่ผ่าน"))
        entry = _entry(checklist, code)
        verdict, _new = Verdict.objects.get_or_create(entry=entry)
        if (verdict.preliminary, verdict.comment) == (m.mark, m.comment):
            continue
        before = {"preliminary": verdict.preliminary, "comment": verdict.comment}
        verdict.preliminary, verdict.comment = m.mark, m.comment
        verdict.updated_by = user if isinstance(user, User) else None
        verdict.save()
        changed += 1
        record(
            actor=user,
            agency=checklist.agency,
            action=Action.CHANGE,
            obj=verdict,
            summary=f"ผลตรวจเบื้องต้น OIT ข้อ {code.upper()} ปีงบประมาณ "
            f"{checklist.fiscal_year}: {m.mark or '-'}",
            before=before,
            after={"preliminary": m.mark, "comment": m.comment},
        )
    if changed and checklist.stage == Stage.SELF:
        checklist.stage = Stage.PRELIMINARY
        checklist.save(update_fields=["stage"])
    return changed


@transaction.atomic
def send_preliminary(checklist: OitChecklist, user: AnyUser) -> float:
    """Close the preliminary verdicts and open the one dispute round; every item needs one."""
    checklist = OitChecklist.objects.select_for_update().get(pk=checklist.pk)
    _require(checklist, Stage.PRELIMINARY)
    verdicts = verdicts_of(checklist)
    missing = [i.code.upper() for i in oit_items(frameworks.get(checklist.framework_id))
               if not (verdicts.get(i.code) and verdicts[i.code].preliminary)]  # fmt: skip
    if missing:
        raise ChecklistError(_("ยังไม่ได้ตรวจข้อ %(codes)s") % {"codes": ", ".join(missing)})
    checklist.stage = Stage.DISPUTE
    checklist.save(update_fields=["stage"])
    score = preliminary_score(checklist)
    record(
        actor=user,
        agency=checklist.agency,
        action=Action.SUBMIT,
        obj=checklist,
        summary=f"แจ้งผลตรวจเบื้องต้น OIT ปีงบประมาณ {checklist.fiscal_year}: "
        f"คะแนน {score:.2f} หน่วยงานชี้แจงข้อที่ไม่ผ่านได้หนึ่งรอบ",
        after={"stage": Stage.DISPUTE.value, "preliminary_score": round(score, 2)},
    )
    return score


@transaction.atomic
def save_answers(checklist: OitChecklist, answers: Mapping[str, str], user: AnyUser) -> int:
    """The agency's answers to failed items (the dispute round)."""
    checklist = OitChecklist.objects.select_for_update().get(pk=checklist.pk)
    _require(checklist, Stage.DISPUTE)
    verdicts = verdicts_of(checklist)
    changed = 0
    for code, answer in answers.items():
        verdict = verdicts.get(code)
        if verdict is None or verdict.preliminary != Mark.FAIL:
            raise ChecklistError(_("ชี้แจงได้เฉพาะข้อที่ไม่ผ่าน (ข้อ %(code)s)") % {"code": code.upper()})
        if verdict.answer == answer:
            continue
        before = verdict.answer
        verdict.answer = answer
        verdict.updated_by = user if isinstance(user, User) else None
        verdict.save()
        changed += 1
        record(
            actor=user,
            agency=checklist.agency,
            action=Action.CHANGE,
            obj=verdict,
            summary=f"หน่วยงานชี้แจงผลตรวจ OIT ข้อ {code.upper()} ปีงบประมาณ {checklist.fiscal_year}",
            before={"answer": before},
            after={"answer": answer},
        )
    return changed


@transaction.atomic
def confirm(checklist: OitChecklist, finals: Mapping[str, Marking], user: AnyUser) -> float:
    """The auditor's final verdicts (a failed item may be changed after the agency's answer;
    no mark keeps the preliminary one), the confirmed score, and the OIT items into results."""
    checklist = OitChecklist.objects.select_for_update().get(pk=checklist.pk)
    _require(checklist, Stage.DISPUTE)
    verdicts = verdicts_of(checklist)
    for code, m in finals.items():
        verdict = verdicts.get(code)
        if verdict is None:
            raise ChecklistError(_("ไม่มีข้อ %(code)s ในรายการตรวจนี้") % {"code": code.upper()})
        if m.mark not in ("", Mark.PASS, Mark.FAIL):
            raise ChecklistError(_("ผลการตรวจต้องเป็นผ่านหรือไม่ผ่าน"))
        final = m.mark or verdict.preliminary
        if (verdict.final, verdict.final_comment) == (final, m.comment):
            continue
        before = {"final": verdict.final or verdict.preliminary}
        verdict.final, verdict.final_comment = final, m.comment
        verdict.updated_by = user if isinstance(user, User) else None
        verdict.save()
        record(
            actor=user,
            agency=checklist.agency,
            action=Action.CHANGE,
            obj=verdict,
            summary=f"ผลตรวจ OIT ข้อ {code.upper()} ปีงบประมาณ {checklist.fiscal_year} "
            f"(ยืนยัน): {final}",
            before=before,
            after={"final": final, "comment": m.comment},
        )
    for verdict in verdicts.values():  # items not mentioned keep their preliminary verdict
        if not verdict.final:
            verdict.final = verdict.preliminary
            verdict.save(update_fields=["final"])
    checklist.stage = Stage.CONFIRMED
    checklist.confirmed = timezone.now()
    checklist.save(update_fields=["stage", "confirmed"])
    score = final_score(checklist)
    record(
        actor=user,
        agency=checklist.agency,
        action=Action.APPROVE,
        obj=checklist,
        summary=f"ยืนยันผลตรวจ OIT ปีงบประมาณ {checklist.fiscal_year}: คะแนน {score:.2f}",
        after={
            "stage": Stage.CONFIRMED.value,
            "score": round(score, 2),
            "verdicts": final_marks(checklist),
        },
    )
    write_results(checklist, user)
    return score


def oit_figures(checklist: OitChecklist) -> dict[str, float]:
    """The confirmed item scores: 100 for a pass, 0 for a fail (all-or-nothing)."""
    return {c: 100.0 if m == Mark.PASS else 0.0 for c, m in final_marks(checklist).items()}


def merged_scores(
    framework: frameworks.Framework, scores: Mapping[str, float], oit: Mapping[str, float]
) -> dict[str, float]:
    """The year's figures with the OIT ones replaced by ``oit``: the survey tools' figures are
    kept as they are; OIT figures at any level and claimed totals (which spoke of the old OIT)
    are dropped."""
    keep: set[str] = set()
    for tool in framework.tools:
        if tool.kind == "checklist":
            continue
        keep |= {tool.code, *(i.code for i in tool.indicators), *(i.code for i in tool.items)}
    return {**{c: v for c, v in scores.items() if c in keep}, **oit}


def write_results(checklist: OitChecklist, user: AnyUser) -> bool:
    """Write the confirmed OIT item scores into the year's results (the results service keeps
    the audit entry and content hash right). A year without results is left alone: the
    confirmed scores wait on the review page and are written once results exist (this is
    called again then). Returns True when written."""
    if checklist.stage != Stage.CONFIRMED:
        return False
    on_file = Assessment.objects.filter(
        agency=checklist.agency, fiscal_year=checklist.fiscal_year
    ).first()
    if on_file is None:
        return False
    if on_file.framework_id != checklist.framework_id:
        raise ChecklistError(
            _("ผลการประเมินของปีนี้ใช้หลักเกณฑ์ %(fw)s ไม่ตรงกับรายการตรวจ OIT")
            % {"fw": on_file.framework_id}
        )
    framework = frameworks.get(checklist.framework_id)
    scores = merged_scores(framework, on_file.scores, oit_figures(checklist))
    engine.score(framework, scores)  # never store what cannot score
    base = on_file.source_name.split(SOURCE_SEP)[0]
    content = json.dumps({"framework": checklist.framework_id, "scores": scores}, sort_keys=True)
    confirmation = Confirmation(
        agency_id=checklist.agency_id,
        fiscal_year=checklist.fiscal_year,
        framework_id=checklist.framework_id,
        scores=scores,
        source_name=(base + SOURCE_SEP + SOURCE_LABEL)[:255],
        content_hash=hashlib.sha256(content.encode()).hexdigest(),
        replaces_hash=on_file.content_hash,
    )
    try:
        assessment_save(
            agency=checklist.agency,
            confirmation=confirmation,
            user=user if isinstance(user, User) else None,
        )
    except StalePreview as exc:
        raise ChecklistError(_("ผลการประเมินของปีนี้เพิ่งถูกแก้ไข โปรดลองอีกครั้ง")) from exc
    OitChecklist.objects.filter(pk=checklist.pk).update(results_written=timezone.now())
    return True


def oit_source(agency: Agency, fiscal_year: int) -> str:
    """Where the year's OIT figures come from: auditor-confirmed or self-assessment."""
    confirmed = OitChecklist.objects.filter(
        agency=agency, fiscal_year=fiscal_year, stage=Stage.CONFIRMED
    ).exclude(results_written=None)
    return SOURCE_MARK if confirmed.exists() else "self-assessment"
