"""Load the synthetic country (``country.py``) into the app's database: ``openita demo --national``.

Bulk inserts in batches (no save per row); each result's stored figures come from the batch
scorer (``engine.batch``) through ``figures.apply``. Plans are drafted with the plan drafting
code (``openita.plans.draft``) for a share of agencies, some with 6- and 12-month progress.
Loading again replaces the synthetic country (agencies whose code starts with ``SYN-``) and
leaves every other agency alone.
"""

from __future__ import annotations

import copy
import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from django.contrib.auth import get_user_model
from django.db import transaction

from openita import engine
from openita.engine import batch
from openita.plans.draft import draft_plan
from openita.plans.schema import Agency as PlanAgency
from openita.plans.schema import Plan, Progress
from openita.web.agencies.models import Agency, ProvincialViewer
from openita.web.plans.content import content_of
from openita.web.plans.models import MeasuresPlan, PlanVersion
from openita.web.results import figures
from openita.web.results.models import Assessment
from openita.web.synthetic import country

BATCH = 1000
DEFAULT_AGENCIES = 8300
DEFAULT_YEARS = 5
DEFAULT_SEED = 1
PLAN_SHARE = 0.05  # agencies with a drafted plan for the year after the last results


@dataclass(frozen=True)
class NationalLogin:
    username: str
    password: str
    what: str


@dataclass
class Loaded:
    agencies: int = 0
    results: int = 0
    plans: int = 0
    progress_rounds: int = 0
    logins: list[NationalLogin] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)


def _users_province(made: list[country.SynAgency]) -> str:
    """The province the provincial login sees: the one with the most synthetic agencies."""
    counts: dict[str, int] = {}
    for a in made:
        counts[a.province] = counts.get(a.province, 0) + 1
    return max(sorted(counts), key=lambda p: counts[p])


def _login(username: str, password: str) -> object:
    users = get_user_model()
    user, _ = users.objects.get_or_create(
        username=username, defaults={"email": f"{username}@example.invalid"}
    )
    user.set_password(password)
    user.is_superuser = user.is_staff = False
    user.save()
    return user


def _grant_national(user: object) -> bool:
    """Make ``user`` a national viewer when the national role exists (agencies/0004)."""
    from django.apps import apps

    try:
        model = apps.get_model("agencies", "NationalViewer")
    except LookupError:
        return False
    model.objects.get_or_create(user=user)
    return True


def _clear() -> None:
    synthetic = Agency.objects.filter(code__startswith=country.CODE_PREFIX)
    PlanVersion.objects.filter(plan__agency__in=synthetic).delete()
    MeasuresPlan.objects.filter(agency__in=synthetic).delete()
    Assessment.objects.filter(agency__in=synthetic).delete()
    synthetic.delete()


def _hash(scores: dict[str, float]) -> str:
    return hashlib.sha256(repr(sorted(scores.items())).encode()).hexdigest()


def _progress(plan: Plan, rounds: tuple[int, ...], rng: np.random.Generator) -> Plan:
    """The plan with progress entered for ``rounds`` (6, then 12), as an officer would."""
    done = copy.deepcopy(plan)
    for measure in done.measures:
        for months in rounds:
            if months not in measure.rounds:
                continue
            roll = rng.random()
            percent = 100 if months == 12 and roll < 0.7 else int(rng.integers(2, 10)) * 10
            status = "done" if percent == 100 else ("in_progress" if roll < 0.9 else "not_started")
            measure.progress[months] = Progress(  # type: ignore[index]
                status=status,
                done="ดำเนินการตามแผน (ข้อมูลสังเคราะห์)" if status != "not_started" else "",
                percent=percent if status != "not_started" else 0,
                updated=measure.deadline,
            )
    return done


def _plans(
    chosen: list[country.SynAgency],
    ids: dict[str, int],
    results: dict[tuple[str, int], engine.Result],
    fiscal_years: list[int],
    seed: int,
    *,
    plan_year: int | None = None,
) -> tuple[int, int]:
    """Draft the plan of ``plan_year`` (default: the year after the last results) of each
    chosen agency from the results of the year before it (history: the years before that);
    half of them with 6-month progress, some with 12-month progress too. A plan of a year
    already on file (the years between results) has both rounds reported, as a past plan has,
    so whether its measures worked can be read from the years around it."""
    year = plan_year if plan_year is not None else fiscal_years[-1] + 1
    rng = np.random.default_rng([seed, 5, year])
    last = max(y for y in fiscal_years if y < year)
    past = year <= fiscal_years[-1]
    plans: list[MeasuresPlan] = []
    drafted: list[tuple[Plan, int]] = []  # plan, rounds with progress
    for a in chosen:
        result = results.get((a.code, last))
        if result is None:
            continue
        history = [r for y in fiscal_years if y < last and (r := results.get((a.code, y)))]
        plan = draft_plan(
            engine.analyze(result, history),
            agency=PlanAgency(
                name=a.name, type=None, district=a.district or None, province=a.province
            ),
            fiscal_year=year,
        )
        roll = rng.random()
        rounds = 2 if past else (0 if roll < 0.5 else (1 if roll < 0.8 else 2))
        plans.append(MeasuresPlan(agency_id=ids[a.code], fiscal_year=year))
        drafted.append((plan, rounds))
    MeasuresPlan.objects.bulk_create(plans, batch_size=BATCH)
    plan_ids = dict(
        MeasuresPlan.objects.filter(
            agency_id__in=[p.agency_id for p in plans], fiscal_year=year
        ).values_list("agency_id", "id")
    )
    versions: list[PlanVersion] = []
    entered = 0
    for mp, (plan, rounds) in zip(plans, drafted, strict=True):
        pid = plan_ids[mp.agency_id]
        versions.append(
            PlanVersion(
                plan_id=pid,
                number=1,
                content=content_of(plan),
                note=f"ร่างจากผลการประเมินปีงบประมาณ {last} (ข้อมูลสังเคราะห์)",
            )
        )
        for n in range(rounds):
            months = (6, 12)[: n + 1]
            versions.append(
                PlanVersion(
                    plan_id=pid,
                    number=n + 2,
                    content=content_of(_progress(plan, months, rng)),
                    note=f"ผลการดำเนินงานรอบ {months[-1]} เดือน (ข้อมูลสังเคราะห์)",
                )
            )
            entered += 1
    PlanVersion.objects.bulk_create(versions, batch_size=BATCH)
    return len(plans), entered


def load_national(
    *,
    agencies: int = DEFAULT_AGENCIES,
    years: int = DEFAULT_YEARS,
    seed: int = DEFAULT_SEED,
    plan_share: float = PLAN_SHARE,
    echo: Callable[[str], None] | None = None,
) -> Loaded:
    """Replace the synthetic country with ``agencies`` agencies and ``years`` fiscal years
    (ending FY2569) made from ``seed``; returns what was loaded and how long each step took."""
    if agencies < 1:
        raise ValueError(f"--agencies must be at least 1, not {agencies}")
    if not 1 <= years <= 10:
        raise ValueError(f"--years must be between 1 and 10, not {years}")
    loaded = Loaded()
    clock = time.perf_counter()

    def lap(step: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        loaded.seconds[step] = round(now - clock, 3)
        clock = now
        if echo is not None:
            echo(f"  {step}: {loaded.seconds[step]:.1f} s")

    made = country.agencies(agencies, seed)
    fiscal_years = country.years(years)
    with transaction.atomic():
        _clear()
        lap("clear")
        Agency.objects.bulk_create(
            [
                Agency(
                    name=a.name,
                    code=a.code,
                    kind=a.kind,
                    province=a.province,
                    district=a.district,
                )
                for a in made
            ],
            batch_size=BATCH,
        )
        ids = dict(
            Agency.objects.filter(code__startswith=country.CODE_PREFIX).values_list("code", "id")
        )
        loaded.agencies = len(made)
        lap("agencies")
        # Results kept in memory only for the agencies whose plan is drafted.
        pick = np.random.default_rng([seed, 4]).random(len(made)) < plan_share
        chosen = [a for a, p in zip(made, pick.tolist(), strict=True) if p]
        chosen_codes = {a.code for a in chosen}
        results: dict[tuple[str, int], engine.Result] = {}
        for year in fiscal_years:
            framework, items = country.year_items(made, year, seed)
            codes = batch.item_codes(framework)
            scored = batch.score_matrix(framework, items, fiscal_year=year)
            objs = []
            for a, row, fig in zip(made, items.tolist(), scored, strict=True):
                scores = dict(zip(codes, row, strict=True))
                obj = Assessment(
                    agency_id=ids[a.code],
                    fiscal_year=year,
                    framework_id=framework.id,
                    scores=scores,
                    source_name=f"synthetic-seed{seed}-{year}.csv",
                    content_hash=_hash(scores),
                )
                figures.apply(obj, figures.from_batch(fig, framework))
                objs.append(obj)
                if a.code in chosen_codes:
                    results[(a.code, year)] = engine.score(framework, scores, fiscal_year=year)
            Assessment.objects.bulk_create(objs, batch_size=BATCH)
            loaded.results += len(objs)
            lap(f"results {year}")
        loaded.plans, loaded.progress_rounds = _plans(chosen, ids, results, fiscal_years, seed)
        if len(fiscal_years) >= 3:  # a past plan between two years on file
            more, rounds = _plans(
                chosen, ids, results, fiscal_years, seed, plan_year=fiscal_years[-2]
            )
            loaded.plans += more
            loaded.progress_rounds += rounds
        lap("plans")
        province = _users_province(made)
        national = _login("national", "demo-national-2568")
        provincial = _login("provincial-national", "demo-provincial-national-2568")
        ProvincialViewer.objects.get_or_create(user=provincial, province=province)
        is_national = _grant_national(national)
        loaded.logins = [
            NationalLogin(
                "national",
                "demo-national-2568",
                "ระดับประเทศ (อ่านอย่างเดียว)"
                if is_national
                else "ระดับประเทศ: ยังไม่มีบทบาทระดับประเทศ ให้สิทธิ์เพิ่มภายหลัง",
            ),
            NationalLogin(
                "provincial-national",
                "demo-provincial-national-2568",
                f"ทุกหน่วยงานในจังหวัด{province} (อ่านอย่างเดียว)",
            ),
        ]
        lap("logins")
    return loaded
