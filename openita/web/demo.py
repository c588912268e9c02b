"""Demo data: one fictional province, four fictional agencies, three years of results each,
and one login per role. ``load_demo()`` is idempotent (run it again: nothing doubles)."""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

from openita import engine, frameworks, importers
from openita.web.agencies.demo import load_settings as load_agency_settings
from openita.web.agencies.models import Agency, AgencyKind, Role
from openita.web.agencies.services import membership_grant, provincial_viewer_grant
from openita.web.approvals import demo as approvals_demo
from openita.web.oit import demo as oit_demo
from openita.web.publishing import demo as publishing_demo
from openita.web.results.models import Assessment
from openita.web.results.services import given_figures
from openita.web.surveys import demo as surveys_demo
from openita.web.unitlinks import demo as unitlinks_demo

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
PROVINCE = "ตัวอย่าง"  # stored without the word จังหวัด, as pages prefix it
YEARS = (2563, 2564, 2565)

# name, kind, district, offset added to every score (the first agency is the example itself)
AGENCIES = (
    ("เทศบาลตำบลตัวอย่าง", AgencyKind.TAMBON, "เมืองตัวอย่าง", 0.0),
    ("องค์การบริหารส่วนตำบลทดลอง", AgencyKind.SAO, "ทดลอง", -6.5),
    ("เทศบาลเมืองสาธิต", AgencyKind.TOWN, "สาธิต", 3.0),
    ("องค์การบริหารส่วนตำบลบ้านจำลอง", AgencyKind.SAO, "ทดลอง", -12.0),
)
PARENT = ("องค์การบริหารส่วนจังหวัดตัวอย่าง", AgencyKind.PAO, "เมืองตัวอย่าง")


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    what: str


LOGINS = (
    DemoLogin("officer", "demo-officer-2568", "เจ้าหน้าที่ เทศบาลตำบลตัวอย่าง (แก้ไขได้)"),
    DemoLogin("executive", "demo-executive-2568", "ผู้บริหาร เทศบาลตำบลตัวอย่าง"),
    DemoLogin("viewer", "demo-viewer-2568", "ผู้ดูข้อมูล อบต.ทดลอง (อ่านอย่างเดียว)"),
    DemoLogin("provincial", "demo-provincial-2568", f"ทุกหน่วยงานในจังหวัด{PROVINCE} (อ่านอย่างเดียว)"),
    DemoLogin("admin", "demo-admin-2568", "ผู้ดูแลระบบ (ทุกหน่วยงาน, Django admin)"),
)


def _example(year: int) -> dict[str, float]:
    with (EXAMPLES / f"bansong-{year}.csv").open(encoding="utf-8") as fh:
        return {
            r["code"]: float(r["score"]) for r in csv.DictReader(fh) if r["code"] != "fiscal_year"
        }


def perturbed(scores: dict[str, float], offset: float, seed: str) -> dict[str, float]:
    """Deterministic variation: the offset plus a small per-code wobble, kept in 0-100."""
    out = {}
    for code, value in scores.items():
        wobble = int(hashlib.sha256(f"{seed}:{code}".encode()).hexdigest()[:4], 16) % 600 / 100 - 3
        changed = value if offset == 0 else value + offset + wobble
        out[code] = round(min(100.0, max(0.0, changed)), 2)
    return out


def _given(year: int, scores: dict[str, float]) -> tuple[str, dict[str, float]]:
    framework = frameworks.for_year(year) or frameworks.default()
    # Claimed figures that no longer fit the perturbed items would be flagged; drop them.
    kept = {c: v for c, v in scores.items() if c != engine.TOTAL}
    result = engine.score(framework, kept, fiscal_year=year)
    return framework.id, given_figures(result)


def _user(login: DemoLogin, *, superuser: bool = False) -> object:
    users = get_user_model()
    user, _ = users.objects.get_or_create(
        username=login.username, defaults={"email": f"{login.username}@example.invalid"}
    )
    user.set_password(login.password)
    user.is_superuser = user.is_staff = superuser
    user.save()
    return user


@transaction.atomic
def load_demo() -> list[DemoLogin]:
    """Create (or bring back) the demo agencies, results and logins; return the logins."""
    parent, _ = Agency.objects.get_or_create(
        name=PARENT[0], province=PROVINCE, defaults={"kind": PARENT[1], "district": PARENT[2]}
    )
    agencies = []
    for name, kind, district, offset in AGENCIES:
        agency, _ = Agency.objects.get_or_create(
            name=name,
            province=PROVINCE,
            defaults={"kind": kind, "district": district, "parent": parent},
        )
        agencies.append(agency)
        for year in YEARS:
            framework_id, given = _given(year, perturbed(_example(year), offset, f"{name}{year}"))
            Assessment.objects.update_or_create(
                agency=agency,
                fiscal_year=year,
                defaults={
                    "framework_id": framework_id,
                    "scores": given,
                    "source_name": f"demo-{year}.csv",
                    "content_hash": hashlib.sha256(
                        repr(sorted(given.items())).encode()
                    ).hexdigest(),
                },
            )
    officer, executive, viewer, provincial, _admin = (
        _user(login, superuser=login.username == "admin") for login in LOGINS
    )
    membership_grant(user=officer, agency=agencies[0], role=Role.OFFICER)  # type: ignore[arg-type]
    membership_grant(user=executive, agency=agencies[0], role=Role.EXECUTIVE)  # type: ignore[arg-type]
    membership_grant(user=viewer, agency=agencies[1], role=Role.VIEWER)  # type: ignore[arg-type]
    provincial_viewer_grant(user=provincial, province=PROVINCE)  # type: ignore[arg-type]
    load_agency_settings(agency=agencies[0])  # before any plan is drafted: it carries them
    # before the approvals demo, which records the 6-month progress and submits it
    unitlinks_demo.load(agency=agencies[0], officer=officer)  # type: ignore[arg-type]
    approvals_demo.load(agency=agencies[0], officer=officer, executive=executive)  # type: ignore[arg-type]
    publishing_demo.load(agency=agencies[0], officer=officer, executive=executive)  # type: ignore[arg-type]
    oit_demo.load(agency=agencies[0], officer=officer)  # type: ignore[arg-type]
    surveys_demo.load(agency=agencies[0], officer=officer)  # type: ignore[arg-type]
    return list(LOGINS)


def check_example_figures() -> float:
    """The first demo agency's FY2565 total (90.52, seed 003), for a quick sanity check."""
    return importers.load_result([EXAMPLES / "bansong-2565.csv"]).total
