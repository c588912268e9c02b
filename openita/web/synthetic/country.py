"""A synthetic country: agencies over the 77 provinces and item-level results, from a seed.

Everything here is fictional and says so: agency and district names are made up (every
province's central district is called เมือง<province>, the others are generated), agency codes
start with ``SYN-``. The mix of agency types is data (``mix.yaml``, provisional). No Django
here: ``load.py`` writes what this makes into the database.

Distributions (plausible, not measured): each agency has a hidden weakness drawn from a
skewed distribution (most agencies near the top, a long tail of weak ones) that drifts a
little from year to year, so an agency's years are correlated; IIT is the strongest tool and
EIT the weakest; OIT items are all-or-nothing (0 or 100) in every year; graded items have two
decimals. Same seed, same country (NumPy's seeded generator, one stream per purpose).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import numpy.typing as npt
import yaml

from openita import frameworks, geography
from openita.engine import batch
from openita.frameworks import Framework

MIX_FILE = Path(__file__).with_name("mix.yaml")
CODE_PREFIX = "SYN-"  # every synthetic agency's code: found (and replaced) by it
BANGKOK = "กรุงเทพมหานคร"
LAST_YEAR = 2569

KIND_PREFIX = {
    "sao": "องค์การบริหารส่วนตำบล",
    "tambon": "เทศบาลตำบล",
    "town": "เทศบาลเมือง",
    "city": "เทศบาลนคร",
}
OTHER_NAMES = (
    "โรงพยาบาล{place}",
    "สำนักงานสาธารณสุขอำเภอ{district}",
    "ที่ทำการปกครองอำเภอ{district}",
    "สำนักงานที่ดินจังหวัด{province} สาขา{district}",
    "โรงเรียน{place}วิทยา",
    "สำนักงานเกษตรอำเภอ{district}",
)
# Syllables for made-up place names (บ้าน + หนอง + แดง ...): fictional on purpose.
FIRST = (
    "บ้าน", "หนอง", "โนน", "ดอน", "นา", "ห้วย", "บึง", "โคก", "ทุ่ง", "วัง",
    "ท่า", "บาง", "คลอง", "เขา", "ป่า", "สระ", "หัว", "ลำ", "แม่", "โพน",
)  # fmt: skip
MIDDLE = (
    "ใหญ่", "น้อย", "แดง", "ขาม", "สูง", "ทอง", "งาม", "ยาง", "ม่วง", "ไผ่",
    "กลาง", "ตะเคียน", "โพธิ์", "ไทร", "มะขาม", "แก้ว", "ศรี", "สะอาด", "หิน", "ทราย",
    "บัว", "จาน", "เตย", "คำ", "เกลือ", "พลับ", "ขี้เหล็ก", "สำโรง", "กระทุ่ม", "ยอ",
)  # fmt: skip
LAST = ("", "", "", "ทอง", "ศรี", "พัฒนา", "เจริญ", "ใหม่", "เหนือ", "ใต้", "ตะวันออก")


@dataclass(frozen=True)
class Mix:
    source: str
    status: str
    total: int
    kinds: dict[str, int]


@cache
def mix() -> Mix:
    raw = yaml.safe_load(MIX_FILE.read_text(encoding="utf-8"))
    return Mix(
        source=str(raw["source"]),
        status=str(raw["status"]),
        total=int(raw["total"]),
        kinds={str(k): int(v) for k, v in raw["kinds"].items()},
    )


@dataclass(frozen=True)
class SynAgency:
    code: str
    name: str
    kind: str
    province: str
    district: str
    weakness: float  # hidden: 0 the best agency, toward 1 the weakest


def kind_counts(n: int) -> dict[str, int]:
    """The mix scaled to ``n`` agencies (largest remainders; at most one อบจ. a province)."""
    m = mix()
    exact = {k: v * n / m.total for k, v in m.kinds.items()}
    counts = {k: int(v) for k, v in exact.items()}
    order = sorted(exact, key=lambda k: exact[k] - counts[k], reverse=True)
    for k in order[: n - sum(counts.values())]:
        counts[k] += 1
    provinces = sum(1 for p in geography.provinces() if p.th != BANGKOK)
    if counts.get("pao", 0) > provinces:
        counts["other"] = counts.get("other", 0) + counts["pao"] - provinces
        counts["pao"] = provinces
    return counts


def _place(rng: np.random.Generator) -> str:
    return (
        FIRST[rng.integers(len(FIRST))]
        + MIDDLE[rng.integers(len(MIDDLE))]
        + LAST[rng.integers(len(LAST))]
    )


def _districts(province: str, rng: np.random.Generator) -> list[str]:
    count = int(rng.integers(4, 20))
    names = [f"เมือง{province}"]
    while len(names) < count:
        name = _place(rng)
        if name not in names:
            names.append(name)
    return names


def agencies(n: int, seed: int) -> list[SynAgency]:
    """``n`` fictional agencies over the 77 provinces, in the mix of ``mix.yaml``."""
    rng = np.random.default_rng([seed, 1])
    provinces = [p.th for p in geography.provinces()]
    local = [p for p in provinces if p != BANGKOK]
    districts = {p: _districts(p, rng) for p in provinces}
    # Provinces differ in size: seeded weights (more local agencies in some than others).
    weight = rng.gamma(4.0, 1.0, len(local))
    weight /= weight.sum()
    counts = kind_counts(n)
    made: list[tuple[str, str, str, str]] = []  # kind, name, province, district
    taken: set[tuple[str, str]] = set()

    def add(kind: str, name: str, province: str, district: str) -> None:
        base, k = name, 2
        while (name, province) in taken:
            name, k = f"{base} {k}", k + 1
        taken.add((name, province))
        made.append((kind, name, province, district))

    for province in local[: counts.get("pao", 0)]:
        add("pao", f"องค์การบริหารส่วนจังหวัด{province}", province, f"เมือง{province}")
    for kind in ("city", "town", "tambon", "sao"):
        for p in rng.choice(len(local), size=counts.get(kind, 0), p=weight):
            province = local[p]
            options = districts[province]
            district = (
                options[0] if kind in ("city", "town") else options[rng.integers(len(options))]
            )
            add(kind, KIND_PREFIX[kind] + _place(rng), province, district)
    for _ in range(counts.get("other", 0)):
        province = provinces[rng.integers(len(provinces))]
        district = districts[province][rng.integers(len(districts[province]))]
        template = OTHER_NAMES[rng.integers(len(OTHER_NAMES))]
        add(
            "other",
            template.format(place=_place(rng), district=district, province=province),
            province,
            district,
        )
    # Hidden weakness: most near 0 (near the top), a long tail; towns and cities a little
    # stronger, อบต. a little weaker.
    weakness = rng.beta(1.3, 7.0, len(made))
    shift = {"city": -0.03, "town": -0.02, "pao": -0.02, "sao": 0.01}
    order = rng.permutation(len(made))  # codes not in the order made
    return [
        SynAgency(
            code=f"{CODE_PREFIX}{order[i] + 1:07d}",
            name=name,
            kind=kind,
            province=province,
            district=district,
            weakness=float(np.clip(weakness[i] + shift.get(kind, 0.0), 0.0, 0.95)),
        )
        for i, (kind, name, province, district) in enumerate(made)
    ]


def years(count: int, last: int = LAST_YEAR) -> list[int]:
    """``count`` fiscal years ending with ``last``, oldest first."""
    return list(range(last - count + 1, last + 1))


def framework_of(year: int) -> Framework:
    framework = frameworks.for_year(year)
    if framework is None:
        raise ValueError(f"no ITA framework covers fiscal year {year}")
    return framework


def year_items(
    country: list[SynAgency], year: int, seed: int
) -> tuple[Framework, npt.NDArray[np.float64]]:
    """Item scores of every agency for one year: (framework, rows x batch.item_codes)."""
    framework = framework_of(year)
    codes = batch.item_codes(framework)
    n = len(country)
    # The drift of each agency's weakness: a per-agency walk over the years (seeded by the
    # agency's place in the list and the seed only, so a year does not depend on the others).
    walk = np.random.default_rng([seed, 2]).normal(0.0, 0.025, (n, 12)).cumsum(axis=1)
    step = (year - 2560) % 12
    weakness = np.array([a.weakness for a in country])
    w = np.clip(weakness + walk[:, step] - 0.008 * (year - 2565), 0.0, 0.97)[:, None]
    rng = np.random.default_rng([seed, 3, year])
    items = np.empty((n, len(codes)), dtype=np.float64)
    tool_of = [framework.tool_of(c) for c in codes]
    # Items differ in difficulty, the same way for every agency of the year.
    difficulty = rng.normal(0.0, 1.0, len(codes))
    for tool in framework.tools:
        cols = [j for j, t in enumerate(tool_of) if t == tool.code]
        if tool.kind == "checklist" or tool.scoring == "all_or_nothing":
            p = 1.0 - 1.25 * w - 0.02 + 0.03 * difficulty[cols]
            hit = rng.random((n, len(cols))) < np.clip(p, 0.02, 0.995)
            items[:, cols] = np.where(hit, 100.0, 0.0)
            continue
        top, spread = (97.0, 40.0) if tool.code == "IIT" else (92.0, 55.0)  # EIT the weakest
        noise = rng.normal(0.0, 2.5, (n, len(cols)))
        raw = top - spread * w + 2.0 * difficulty[cols] + noise
        items[:, cols] = np.round(np.clip(raw, 0.0, 100.0), 2)
    return framework, items
