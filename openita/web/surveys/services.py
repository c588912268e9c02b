"""Writes for survey campaigns: create, issue codes, start, answer, send, pool, review, close.

What a respondent does is never audit-logged and never timed beyond the day (see
docs/surveys-anonymity.md); what an officer does is.
"""

from __future__ import annotations

import random
import secrets
import time
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from openita import frameworks
from openita.surveys import codes, forms, plausibility, samples
from openita.web.agencies.models import Agency
from openita.web.audit.models import Action
from openita.web.audit.services import record
from openita.web.surveys.models import (
    AccessCode,
    BrowserMark,
    Campaign,
    Draft,
    PendingResponse,
    Response,
    Tool,
    Verdict,
)

POOL = 5  # responses move from the pool to the table together, at least this many
MAX_CODES = 5000


class SurveyRefused(ValueError):
    """A request the campaign cannot take, with the reason to show."""


def framework_for(fiscal_year: int) -> frameworks.Framework:
    fw = frameworks.for_year(fiscal_year)
    if fw is None:
        raise SurveyRefused(f"ไม่มีหลักเกณฑ์การประเมินของปีงบประมาณ {fiscal_year}")
    return fw


def campaign_create(
    *,
    agency: Agency,
    fiscal_year: int,
    tool: str,
    opens: date,
    closes: date,
    title: str = "",
    target: int | None = None,
    eligible: int | None = None,
    series: str = "",
    user: User | None,
) -> Campaign:
    if tool not in Tool.values:
        raise SurveyRefused(f"ไม่รู้จักแบบสำรวจ {tool!r} (IIT หรือ EIT)")
    if closes < opens:
        raise SurveyRefused("วันปิดรับคำตอบต้องไม่ก่อนวันเปิด")
    if eligible is not None and not 1 <= eligible <= MAX_CODES:
        raise SurveyRefused(f"จำนวนบุคลากรต้องอยู่ระหว่าง 1 ถึง {MAX_CODES}")
    fw = framework_for(fiscal_year)
    forms.survey_tool(fw, tool)
    goal = target or samples.target(tool, eligible=eligible, kind=agency.kind)
    if goal < 1:
        raise SurveyRefused("จำนวนคำตอบเป้าหมายต้องมากกว่า 0")
    with transaction.atomic():
        campaign = Campaign.objects.create(
            agency=agency,
            fiscal_year=fiscal_year,
            tool=tool,
            framework_id=fw.id,
            title=title or f"แบบสำรวจ {tool} ปีงบประมาณ {fiscal_year}",
            opens=opens,
            closes=closes,
            target=goal,
            eligible=eligible,
            secret=secrets.token_hex(32),
            slug=secrets.token_urlsafe(12),
            series=series,
            created_by=user,
        )
        record(
            actor=user,
            agency=agency,
            action=Action.CREATE,
            obj=campaign,
            summary=f"รอบสำรวจ {tool} ปีงบประมาณ {fiscal_year}: {campaign.title}",
            after={"opens": str(opens), "closes": str(closes), "target": goal},
        )
    return campaign


def province_campaigns_create(
    *, agencies: list[Agency], user: User | None, **fields: Any
) -> list[Campaign]:
    """One campaign per agency of a province, made together (a provincial office's round)."""
    series = secrets.token_hex(8)
    with transaction.atomic():
        return [campaign_create(agency=a, series=series, user=user, **fields) for a in agencies]


def is_open(campaign: Campaign, today: date | None = None) -> bool:
    day = today or timezone.localdate()
    end = campaign.closed_early or campaign.closes
    return campaign.opens <= day <= end


def codes_issue(*, campaign: Campaign, n: int, spare: bool = False, user: User | None) -> list[str]:
    """New single-use codes, returned once (only their keyed hashes are kept)."""
    if campaign.tool != Tool.IIT:
        raise SurveyRefused("รหัสเข้าตอบใช้กับแบบสำรวจบุคลากร (IIT) เท่านั้น")
    if not 1 <= n <= MAX_CODES:
        raise SurveyRefused(f"ออกรหัสได้ครั้งละ 1 ถึง {MAX_CODES} รหัส")
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        issued = AccessCode.objects.filter(campaign=locked).count()
        if issued + n > MAX_CODES:
            raise SurveyRefused(f"รอบสำรวจนี้ออกรหัสแล้ว {issued} รหัส เกินได้ไม่เกิน {MAX_CODES}")
        batch = (
            AccessCode.objects.filter(campaign=locked)
            .order_by("-batch")
            .values_list("batch", flat=True)
            .first()
            or 0
        ) + 1
        plain = codes.new_codes(n)
        AccessCode.objects.bulk_create(
            [
                AccessCode(
                    campaign=locked, digest=codes.digest(locked.secret, c), spare=spare, batch=batch
                )
                for c in plain
            ]
        )
        record(
            actor=user,
            agency=locked.agency,
            action=Action.CREATE,
            obj=locked,
            summary=f"ออกรหัสเข้าตอบ {n} รหัส (ชุดที่ {batch}{', สำรองแทนรหัสที่หาย' if spare else ''})",
        )
    return plain


def batch_void(*, campaign: Campaign, batch: int, user: User | None) -> int:
    """Withdraw the unused codes of one printing (slips lost or never handed out)."""
    with transaction.atomic():
        n = AccessCode.objects.filter(
            campaign=campaign, batch=batch, used=False, void=False
        ).update(void=True)
        record(
            actor=user,
            agency=campaign.agency,
            action=Action.CHANGE,
            obj=campaign,
            summary=f"ยกเลิกรหัสที่ยังไม่ได้ใช้ของชุดที่ {batch} ({n} รหัส)",
        )
    return n


@dataclass(frozen=True)
class Started:
    draft: Draft
    proof: str  # kept by the browser (signed cookie): the code's digest, or the browser token


def start(*, campaign: Campaign, code: str | None = None, browser: str | None = None) -> Started:
    """Open a respondent's draft: a staff survey needs an unused code; a public one a browser
    that has not answered yet."""
    if not is_open(campaign):
        raise SurveyRefused("รอบสำรวจนี้ไม่ได้เปิดรับคำตอบในวันนี้")
    if campaign.tool == Tool.IIT:
        try:
            digest = codes.digest(campaign.secret, code or "")
        except codes.BadCode as exc:
            raise SurveyRefused(str(exc)) from None
        state = (
            AccessCode.objects.filter(campaign=campaign, digest=digest)
            .values_list("used", "void")
            .first()
        )
        if state is None or state[1]:
            raise SurveyRefused("ไม่พบรหัสนี้ในรอบสำรวจนี้ โปรดตรวจสอบรหัสอีกครั้ง")
        if state[0]:
            raise SurveyRefused("รหัสนี้ใช้ตอบไปแล้ว รหัสหนึ่งตอบได้ครั้งเดียว")
        proof = digest
    else:
        token = browser or secrets.token_urlsafe(16)
        if BrowserMark.objects.filter(
            campaign=campaign, digest=codes.browser_mark(campaign.secret, token)
        ).exists():
            raise SurveyRefused("เบราว์เซอร์นี้ส่งคำตอบของรอบสำรวจนี้แล้ว ขอบคุณที่ร่วมตอบ")
        proof = token
    draft = Draft.objects.create(
        campaign=campaign, answers={}, started=time.time(), touched=timezone.localdate()
    )
    return Started(draft, proof)


def section_save(
    *, draft: Draft, form: forms.Form, section: str, answers: dict[str, str]
) -> list[forms.AnswerProblem]:
    problems = forms.check(form, answers, section=section)
    if problems:
        return problems
    keys = {q.key for s in form.sections if s.indicator == section for q in s.questions}
    merged = {**draft.answers, **{k: v for k, v in answers.items() if k in keys}}
    Draft.objects.filter(pk=draft.pk).update(answers=merged, touched=timezone.localdate())
    draft.answers = merged
    return []


class AlreadySent(SurveyRefused):
    """The draft was sent before (a double submit): the first one stands."""


def send(
    *,
    campaign: Campaign,
    draft_id: str,
    proof: str,
    form: forms.Form,
    last: dict[str, str] | None = None,
) -> Verdict:
    """Turn a finished draft (with ``last``, the answers of the page being sent) into a
    response, spending the code (or marking the browser) in the same transaction; a second send
    of the same draft changes nothing. The pool is moved in that transaction too when it is full:
    its rows then share one write, so none of them points at the code spent in it."""
    with transaction.atomic():
        try:
            draft = Draft.objects.select_for_update().get(pk=draft_id, campaign=campaign)
        except (Draft.DoesNotExist, ValidationError):
            raise AlreadySent("คำตอบนี้ส่งแล้ว ขอบคุณที่ร่วมตอบแบบสำรวจ") from None
        given = {**draft.answers, **(last or {})}
        problems = forms.check(form, given)
        if problems:
            raise SurveyRefused(problems[0].message)
        if not is_open(campaign):
            raise SurveyRefused("รอบสำรวจนี้ปิดรับคำตอบแล้ว")
        answers = forms.as_engine_answers(form, given)
        verdict, reasons = Verdict.COUNTED, tuple[str, ...]()
        if campaign.tool == Tool.IIT:
            spent = AccessCode.objects.filter(
                campaign=campaign, digest=proof, used=False, void=False
            ).update(used=True)
            if spent != 1:
                raise SurveyRefused("รหัสนี้ใช้ตอบไปแล้ว รหัสหนึ่งตอบได้ครั้งเดียว")
        else:
            if not _mark_browser(campaign, proof):
                raise AlreadySent("เบราว์เซอร์นี้ส่งคำตอบของรอบสำรวจนี้แล้ว ขอบคุณที่ร่วมตอบ")
            judged = plausibility.judge(answers, time.time() - draft.started)
            if judged.suspicious:
                verdict, reasons = Verdict.HELD, judged.reasons
        PendingResponse.objects.create(
            campaign=campaign,
            answers=answers,
            day=timezone.localdate(),
            verdict=verdict,
            reasons=list(reasons),
        )
        Draft.objects.filter(pk=draft.pk).delete()
        _move_pool(campaign, force=False)
    return verdict


def _mark_browser(campaign: Campaign, token: str) -> bool:
    """Mark a browser as having answered; False when it had. One statement (ON CONFLICT DO
    NOTHING, in SQLite and PostgreSQL alike) instead of an insert in a savepoint: this runs for
    every public answer."""
    table = BrowserMark._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO "{table}" ("campaign_id", "digest") VALUES (%s, %s) '
            'ON CONFLICT ("campaign_id", "digest") DO NOTHING',
            [campaign.pk, codes.browser_mark(campaign.secret, token)],
        )
        return bool(cursor.rowcount == 1)


def _move_pool(campaign: Campaign, *, force: bool) -> int:
    """Inside a transaction: move the pool to the table in random order when it holds at
    least POOL responses (all of them when ``force``)."""
    pending = list(
        PendingResponse.objects.select_for_update(skip_locked=True).filter(campaign=campaign)
    )
    if not pending or (len(pending) < POOL and not force):
        return 0
    random.SystemRandom().shuffle(pending)
    Response.objects.bulk_create(
        [
            Response(
                campaign=campaign,
                answers=p.answers,
                day=p.day,
                verdict=p.verdict,
                reasons=p.reasons,
            )
            for p in pending
        ]
    )
    PendingResponse.objects.filter(pk__in=[p.pk for p in pending]).delete()
    return len(pending)


def flush(*, campaign: Campaign, force: bool = False) -> int:
    """Move the pool's responses to the table in random order, when there are at least POOL of
    them (or all of them when the campaign closes): returns how many moved."""
    with transaction.atomic():
        return _move_pool(campaign, force=force)


def campaign_close(*, campaign: Campaign, user: User | None) -> int:
    """Close now: no more answers; the pool is emptied into the table."""
    today = timezone.localdate()
    with transaction.atomic():
        Campaign.objects.filter(pk=campaign.pk).update(closed_early=today)
        campaign.closed_early = today
        record(
            actor=user,
            agency=campaign.agency,
            action=Action.CHANGE,
            obj=campaign,
            summary="ปิดรับคำตอบ",
        )
    return flush(campaign=campaign, force=True)


def review(*, campaign: Campaign, response_id: str, count: bool, user: User | None) -> None:
    """A held response counted or set aside by the officer."""
    with transaction.atomic():
        flush(campaign=campaign, force=True)  # a held one may still be in the pool
        found = Response.objects.select_for_update().filter(
            campaign=campaign, pk=response_id, verdict=Verdict.HELD
        )
        verdict = Verdict.COUNTED if count else Verdict.REJECTED
        if found.update(verdict=verdict) != 1:
            raise SurveyRefused("คำตอบนี้ได้รับการพิจารณาไปแล้ว")
        record(
            actor=user,
            agency=campaign.agency,
            action=Action.APPROVE if count else Action.REJECT,
            obj=campaign,
            summary=f"คำตอบที่รอตรวจสอบ: {'นับคะแนน' if count else 'ไม่นับ'}",
        )


def drafts_sweep(*, older_than_days: int = 14) -> int:
    cutoff = timezone.localdate() - timedelta(days=older_than_days)
    return Draft.objects.filter(touched__lt=cutoff).delete()[0]
