"""Every table of the overview as rows, and those rows as CSV or XLSX (cells made safe by
``ui.cells.safe_cell``: nothing a spreadsheet would run as a formula)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Sequence
from typing import Any

from django.utils.translation import gettext as _

from openita.web.overview import sections, selectors
from openita.web.overview.scope import Scope, Viewer
from openita.web.ui.cells import safe_cell

Table = tuple[list[str], list[list[Any]]]
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# Tables that name agencies: only for viewers who may see the scope by names.
NAMED = frozenset({"movement", "gaps", "overdue", "agencies"})


def _summary(scope: Scope, viewer: Viewer) -> selectors.Summary:
    return selectors.summary(scope, viewer)


def ratings(scope: Scope, viewer: Viewer, asked: str | None = None) -> Table:
    s = _summary(scope, viewer)
    rows: list[list[Any]] = [["rating", k, "", n] for k, n in s.by_rating.items()]
    rows += [["level", k, s.level_labels.get(k, k), n] for k, n in s.by_level.items()]
    return [_("ประเภท"), _("รหัส"), _("ระดับ"), _("จำนวนหน่วยงาน")], rows


def histogram(scope: Scope, viewer: Viewer, asked: str | None = None) -> Table:
    rows: list[list[Any]] = [
        [b.label, b.low, b.high, b.n] for b in _summary(scope, viewer).histogram
    ]
    return [_("ช่วงคะแนน"), _("ตั้งแต่"), _("น้อยกว่า"), _("จำนวนหน่วยงาน")], rows


def _stats(found: Sequence[selectors.IndicatorStat]) -> Table:
    rows: list[list[Any]] = [[i.code, i.name, i.mean, i.below, i.n] for i in found]
    return [_("รหัส"), _("ชื่อ"), _("คะแนนเฉลี่ย"), _("สัดส่วนที่ต่ำกว่า 85"), _("จำนวนหน่วยงาน")], rows


def indicators(scope: Scope, viewer: Viewer, asked: str | None = None) -> Table:
    return _stats(_summary(scope, viewer).weakest_indicators)


def items(scope: Scope, viewer: Viewer, asked: str | None = None) -> Table:
    if _summary(scope, viewer).withheld:
        return _stats([])
    return _stats(selectors.weakest_items(scope, limit=1000))


def _group_table(found: Sequence[selectors.Group]) -> Table:
    rows: list[list[Any]] = [
        [g.label, g.agencies, g.with_results, g.mean_total, g.pass_rate] for g in found
    ]
    heads = [_("พื้นที่"), _("หน่วยงาน"), _("มีผลการประเมิน"), _("คะแนนเฉลี่ย"), _("สัดส่วนที่ผ่านเกณฑ์")]
    return heads, rows


def groups(scope: Scope, viewer: Viewer, asked: str | None = None) -> Table:
    return _group_table(selectors.groups(scope, viewer))


def trend(scope: Scope, viewer: Viewer, asked: str | None = None) -> Table:
    if _summary(scope, viewer).withheld:
        return [_("ปีงบประมาณ")], []
    rows: list[list[Any]] = [
        [p.fiscal_year, p.with_results, p.mean_total, p.pass_rate] for p in selectors.trend(scope)
    ]
    return [_("ปีงบประมาณ"), _("มีผลการประเมิน"), _("คะแนนเฉลี่ย"), _("สัดส่วนที่ผ่านเกณฑ์")], rows


def movement(scope: Scope, viewer: Viewer, asked: str | None = None) -> Table:
    rows: list[list[Any]] = [
        [m.name, m.province, m.district, m.before, m.after, m.change]
        for m in sections.all_moves(scope)
    ]
    heads = [_("หน่วยงาน"), _("จังหวัด"), _("อำเภอ"), _("ปีก่อน"), _("ปีนี้"), _("เปลี่ยนแปลง")]
    return heads, rows


def gaps(scope: Scope, viewer: Viewer, asked: str | None = None) -> Table:
    rows: list[list[Any]] = []
    for gap in sections.GAPS:
        year = sections.plan_years(scope, asked)[0]
        rows += [[str(gap), n, p, d] for _i, n, p, d in sections.gap_rows(scope, gap, year)]
    return [_("เรื่อง"), _("หน่วยงาน"), _("จังหวัด"), _("อำเภอ")], rows


def overdue(scope: Scope, viewer: Viewer, asked: str | None = None) -> Table:
    year = sections.plan_years(scope, asked)[0]
    found = sections.overdue(scope, named=True, today=dt.date.today(), plan_year=year, limit=10**9)
    rows: list[list[Any]] = [[n, p, late] for _i, n, p, late in found.listed]
    return [_("หน่วยงาน"), _("จังหวัด"), _("มาตรการที่เลยกำหนด")], rows


def agencies(scope: Scope, viewer: Viewer, asked: str | None = None) -> Table:
    rows: list[list[Any]] = [
        [r.name, r.kind, r.province, r.district, r.total, r.rating, r.level, r.before, r.change]
        for r in sections.agency_rows(scope)
    ]
    heads = [
        _("หน่วยงาน"),
        _("ประเภท"),
        _("จังหวัด"),
        _("อำเภอ"),
        _("คะแนนรวม"),
        _("ระดับผล"),
        _("ระดับเชิงคุณภาพ"),
        _("ปีก่อน"),
        _("เปลี่ยนแปลง"),
    ]
    return heads, rows


TABLES: dict[str, Callable[[Scope, Viewer, str | None], Table]] = {
    "ratings": ratings,
    "histogram": histogram,
    "indicators": indicators,
    "items": items,
    "groups": groups,
    "trend": trend,
    "movement": movement,
    "gaps": gaps,
    "overdue": overdue,
    "agencies": agencies,
}


def as_csv(table: Table) -> bytes:
    heads, rows = table
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(heads)
    for row in rows:
        writer.writerow([safe_cell(c) for c in row])
    return buffer.getvalue().encode("utf-8-sig")


def as_xlsx(table: Table, title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    heads, rows = table
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title[:31]
    sheet.append(heads)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([safe_cell(c) for c in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def filename(name: str, scope: Scope, fmt: str) -> str:
    parts = ["overview", name, str(scope.fiscal_year)]
    return "-".join(parts) + f".{fmt}"  # ASCII: no place names in the header
