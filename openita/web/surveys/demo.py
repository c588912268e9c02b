"""Demo data: the demo agency runs an IIT campaign with access codes and an EIT campaign with a
public link for FY2569 (the year of its OIT checklist), with enough answers to show results and
a self-assessed total; one public answer is held for review."""

from __future__ import annotations

import random
import time
from datetime import timedelta

from django.contrib.auth.models import User
from django.utils import timezone

from openita import engine, frameworks
from openita.web.agencies.models import Agency
from openita.web.surveys import selectors, services
from openita.web.surveys.models import Campaign, Draft, Tool

FISCAL_YEAR = 2569


def _answer(
    campaign: Campaign, rng: random.Random, *, code: str = "", hurried: bool = False
) -> None:
    started = services.start(campaign=campaign, code=code or None)
    form = selectors.form_of(campaign)
    fw = frameworks.get(campaign.framework_id)
    keys = engine.answer_keys(fw)
    lean = rng.uniform(0.6, 0.97)  # how well this respondent thinks of the agency
    for section in form.sections:
        answers = {}
        for q in section.questions:
            if not q.options:
                continue
            key = keys[q.key]
            assert key.item.scale is not None
            scale = fw.scale(key.item.scale)
            flip = (
                key.item.reversed
                if key.sub_index is None
                else key.item.sub_item_reversed(key.sub_index)
            )
            ranked = sorted(
                range(len(q.options)), key=lambda i: -scale.points(i, reversed_=flip)
            )  # best first
            step = 0
            while step < len(ranked) - 1 and rng.random() > lean:
                step += 1
            answers[q.key] = str((ranked[0] if hurried else ranked[step]) + 1)
        services.section_save(
            draft=started.draft, form=form, section=section.indicator, answers=answers
        )
    if not hurried:
        Draft.objects.filter(pk=started.draft.pk).update(
            started=time.time() - rng.uniform(240, 900)
        )
    services.send(campaign=campaign, draft_id=str(started.draft.pk), proof=started.proof, form=form)


def load(*, agency: Agency, officer: User) -> None:
    if Campaign.objects.filter(agency=agency, fiscal_year=FISCAL_YEAR).exists():
        return
    rng = random.Random(2569)
    today = timezone.localdate()
    opens, closes = today - timedelta(days=20), today + timedelta(days=25)
    iit = services.campaign_create(
        agency=agency,
        fiscal_year=FISCAL_YEAR,
        tool=Tool.IIT,
        eligible=24,
        user=officer,
        opens=opens,
        closes=closes,
    )
    for code in services.codes_issue(campaign=iit, n=24, user=officer)[:15]:
        _answer(iit, rng, code=code)
    eit = services.campaign_create(
        agency=agency,
        fiscal_year=FISCAL_YEAR,
        tool=Tool.EIT,
        user=officer,
        opens=opens,
        closes=closes,
    )
    for _ in range(22):
        _answer(eit, rng)
    _answer(eit, rng, hurried=True)
    services.flush(campaign=eit, force=True)
    services.flush(campaign=iit, force=True)
