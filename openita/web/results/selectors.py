"""Reads about results: the engine scores the stored figures each time (no stale copies)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from openita import engine, frameworks
from openita.documents.kinds import analysis as analysis_doc
from openita.documents.model import Document
from openita.engine.rounding import published
from openita.web.agencies.models import Agency
from openita.web.results.models import Assessment, HeadlineResult


@dataclass(frozen=True)
class YearRow:
    assessment: Assessment
    result: engine.Result


def assessments_for(agency: Agency) -> list[Assessment]:
    """The agency's results on file, oldest year first."""
    return list(Assessment.objects.filter(agency=agency).order_by("fiscal_year"))


def assessment_for(agency: Agency, fiscal_year: int) -> Assessment | None:
    return Assessment.objects.filter(agency=agency, fiscal_year=fiscal_year).first()


def result_of(assessment: Assessment) -> engine.Result:
    framework = frameworks.get(assessment.framework_id)
    scores = {str(k): float(v) for k, v in assessment.scores.items()}
    return engine.score(framework, scores, fiscal_year=assessment.fiscal_year)


def years_of(agency: Agency) -> list[YearRow]:
    return [YearRow(a, result_of(a)) for a in assessments_for(agency)]


def headlines_for(agency_id: int, before: int | None = None) -> list[engine.Headline]:
    """Years known only by a stated total (imported announcements), oldest first."""
    found = HeadlineResult.objects.filter(agency_id=agency_id).order_by("fiscal_year")
    if before is not None:
        found = found.filter(fiscal_year__lt=before)
    return [
        engine.Headline(h.fiscal_year, float(h.total), h.rating or None, h.source_name)
        for h in found
    ]


def analysis_for(assessment: Assessment) -> engine.Analysis:
    """The analysis of one year, with the agency's earlier years on file as its history (and
    earlier years known only by a stated total in the trend)."""
    earlier = Assessment.objects.filter(
        agency_id=assessment.agency_id, fiscal_year__lt=assessment.fiscal_year
    ).order_by("fiscal_year")
    heads = headlines_for(assessment.agency_id, assessment.fiscal_year)
    return engine.analyze(result_of(assessment), [result_of(a) for a in earlier], heads)


def framework_label(fw: frameworks.Framework) -> str:
    """A label that tells frameworks apart (they share one Thai title): the id, the fiscal
    years it covers, and whether it was checked against the official documents."""
    years = sorted(fw.fiscal_years)
    span = str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"
    verified = fw.status == "verified"
    status = _("ตรวจกับเอกสารทางการแล้ว") if verified else _("ข้อมูลเบื้องต้น รอตรวจสอบ")
    return _("%(id)s · ปีงบประมาณ %(years)s · %(status)s") % {
        "id": fw.id,
        "years": span,
        "status": status,
    }


def framework_choices() -> list[tuple[str, str]]:
    """(id, label) of every framework that validates, newest first; each label is distinct."""
    found = []
    for framework_id in sorted(frameworks.available(), reverse=True):
        try:
            fw = frameworks.get(framework_id)
        except (frameworks.FrameworkInvalid, frameworks.FrameworkNotFound):
            continue
        found.append((fw.id, framework_label(fw)))
    return found


# --- the result page: rows ready to print, so the template only loops ------------------------

UPLIFT_ROWS = 10


@dataclass(frozen=True)
class Row:
    code: str
    name: str
    score: float
    passed: bool
    extra: float | None = None  # a second figure: weight, gain, change


@dataclass(frozen=True)
class TrendRow:
    year: str
    total: float | None
    change: float | None
    headline: bool = False  # only the total a document stated: never scored
    rating: str | None = None


@dataclass(frozen=True)
class ResultPage:
    assessment: Assessment
    analysis: engine.Analysis
    framework_title: str
    total: float
    band: str
    passed: bool
    qualitative: str | None
    pass_mark: float
    tools: list[Row]
    indicators: list[Row]  # ranked, best first
    below: list[Row]
    zeros: list[Row]
    uplift: list[Row]  # extra = points of the total if raised to 100
    targets: tuple[engine.Target, ...]
    trend: list[TrendRow]
    mismatches: list[str]


def _name(fw: frameworks.Framework, code: str, lang: str) -> str:
    for tool in fw.tools:
        if tool.code == code:
            return tool.name.get(lang)
        for ind in tool.indicators:
            if ind.code == code:
                return ind.name.get(lang)
    item = fw.item(code)
    if item is None:
        return code
    return (item.text_en if lang == "en" and item.text_en else item.text).strip()


def _row(fw: frameworks.Framework, scored: engine.Scored, lang: str) -> Row:
    passed = published(scored.score) >= fw.pass_mark
    return Row(scored.code, _name(fw, scored.code, lang), scored.score, passed)


def _trend_rows(
    analysis: engine.Analysis, ratings: dict[str, str | None] | None = None
) -> list[TrendRow]:
    trend = analysis.trend
    if trend is None:
        total = analysis.result.total
        return [TrendRow(analysis.result.name, total, None)]
    totals = trend.series[engine.TOTAL]
    rows = []
    for n, year in enumerate(trend.years):
        before = totals[n - 1] if n else None
        now = totals[n]
        change = now - before if now is not None and before is not None else None
        head = year in trend.headline_years
        rating = (ratings or {}).get(year) if head else None
        rows.append(TrendRow(year, now, change, head, rating))
    return rows


def _mismatch_text(m: engine.Mismatch, fw: frameworks.Framework, lang: str) -> str:
    """What disagrees with what, in words: the figure on file and the one its parts give."""
    if m.code == engine.TOTAL:
        what = _("คะแนนรวม")
    elif fw.tool(m.code) is not None:
        what = _("คะแนน %(code)s") % {"code": m.code}
    else:
        what = f"{m.code} {_name(fw, m.code, lang)}"
    text = _("ปี %(year)s: %(what)s ที่ระบุไว้ %(claimed)s ไม่ตรงกับที่คำนวณจากองค์ประกอบ %(computed)s")
    return text % {
        "year": m.year,
        "what": what,
        "claimed": f"{m.claimed:.2f}",
        "computed": f"{published(m.computed):.2f}",
    }


def result_page(assessment: Assessment, *, lang: str = "th") -> ResultPage:
    analysis = analysis_for(assessment)
    heads = headlines_for(assessment.agency_id, assessment.fiscal_year)
    result, fw = analysis.result, analysis.result.framework
    tools = [
        Row(t.code, t.name.get(lang), result.scores[t.code], False, t.weight) for t in fw.tools
    ]
    tools = [
        Row(r.code, r.name, r.score, published(r.score) >= fw.pass_mark, r.extra) for r in tools
    ]
    uplift = [
        Row(f.code, _name(fw, f.code, lang), f.score, False, f.gain)
        for f in analysis.uplift.fixes[:UPLIFT_ROWS]
    ]
    return ResultPage(
        assessment=assessment,
        analysis=analysis,
        framework_title=fw.title.get(lang),
        total=result.total,
        band=result.band.code,
        passed=result.passed,
        qualitative=result.qualitative.label.get(lang) if result.qualitative else None,
        pass_mark=fw.pass_mark,
        tools=tools,
        indicators=[_row(fw, s, lang) for s in analysis.ranking],
        below=[_row(fw, s, lang) for s in analysis.below_threshold],
        zeros=[_row(fw, s, lang) for s in analysis.zero_items],
        uplift=uplift,
        targets=analysis.uplift.targets,
        trend=_trend_rows(analysis, {str(h.fiscal_year): h.rating for h in heads}),
        mismatches=[_mismatch_text(m, fw, lang) for m in analysis.mismatches],
    )


def analysis_document(assessment: Assessment) -> Document:
    """The results analysis as a document (for PDF and DOCX downloads), with the section on
    whether the plan before this year worked when there is one (the compare app's data)."""
    from openita.web.compare.selectors import effect_document_data

    return analysis_doc.build(
        analysis_for(assessment),
        agency=assessment.agency.name,
        measures_effect=effect_document_data(assessment),
    )


def latest_by_agency(agencies: list[Agency]) -> list[tuple[Agency, YearRow | None]]:
    """Each agency with its latest year on file (kept in the given order)."""
    latest: dict[int, Assessment] = {}
    for a in Assessment.objects.filter(agency__in=agencies).order_by("fiscal_year"):
        latest[a.agency_id] = a
    return [
        (ag, YearRow(latest[ag.pk], result_of(latest[ag.pk])) if ag.pk in latest else None)
        for ag in agencies
    ]


def template_framework(agency: Agency) -> frameworks.Framework:
    """The framework of the agency's latest year on file, else the default one."""
    latest = Assessment.objects.filter(agency=agency).order_by("-fiscal_year").first()
    if latest is not None:
        try:
            return frameworks.get(latest.framework_id)
        except (frameworks.FrameworkInvalid, frameworks.FrameworkNotFound):
            pass
    return frameworks.default()
