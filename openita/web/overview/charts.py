"""Charts as inline SVG written on the server: nothing to download, no script, readable when
printed. Labels have fixed places that cannot collide (one label per bar, above it; on the
trend the higher series labels above its point and the lower one below)."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from django.utils.safestring import SafeString, mark_safe

from openita.web.overview.selectors import Bin, YearPoint

FONT = "font-family=\"Sarabun, 'Noto Sans Thai', sans-serif\""
PASS = "#2e7d4f"
FAIL = "#c0612b"
INK = "#1f2933"
GRID = "#d5dbe1"
MEAN = "#3b5b92"


def _svg(width: int, height: int, title: str, body: list[str]) -> SafeString:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" style="max-width:{width}px" role="img" aria-label="{escape(title)}" '
        f'class="chart" {FONT} font-size="12" fill="{INK}"><title>{escape(title)}</title>'
    )
    return mark_safe(head + "".join(body) + "</svg>")  # every text in it is escaped


def _count(n: int) -> str:
    return f"{n:,}"


def histogram(bins: Sequence[Bin], *, title: str, pass_mark: float = 85) -> SafeString:
    """Bars of the number of agencies per band of 5 points, those under the pass mark in
    orange; the count above each bar, the band under it."""
    width, height, left, right, top, bottom = 640, 230, 12, 12, 22, 44
    step = (width - left - right) / max(1, len(bins))
    tallest = max((b.n for b in bins), default=0) or 1
    plot = height - top - bottom
    body = [
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - right}" '
        f'y2="{height - bottom}" stroke="{GRID}"/>'
    ]
    for k, b in enumerate(bins):
        x = left + k * step
        h = plot * b.n / tallest
        colour = PASS if b.low >= pass_mark else FAIL
        y = height - bottom - h
        body.append(
            f'<rect x="{x + 4:.1f}" y="{y:.1f}" width="{step - 8:.1f}" height="{h:.1f}" '
            f'fill="{colour}"><title>{escape(b.label)}: {b.n}</title></rect>'
        )
        centre = x + step / 2
        body.append(
            f'<text x="{centre:.1f}" y="{y - 5:.1f}" text-anchor="middle">{_count(b.n)}</text>'
        )
        body.append(
            f'<text x="{centre:.1f}" y="{height - bottom + 16}" text-anchor="middle">'
            f"{escape(b.label)}</text>"
        )
    marks = [k for k, b in enumerate(bins) if b.low >= pass_mark]
    if marks:
        x = left + marks[0] * step
        body.append(
            f'<line x1="{x:.1f}" y1="{top - 6}" x2="{x:.1f}" y2="{height - bottom + 22}" '
            f'stroke="{INK}" stroke-dasharray="4 3"/>'
        )
        body.append(f'<text x="{x + 4:.1f}" y="{height - 6}">≥ {pass_mark:g}</text>')
    return _svg(width, height, title, body)


def bars(rows: Sequence[tuple[str, int]], *, title: str) -> SafeString:
    """Horizontal bars, one a row: the label left, the count right of its bar."""
    width, label_w, row_h, count_w = 560, 170, 26, 70
    height = row_h * max(1, len(rows)) + 8
    most = max((n for _, n in rows), default=0) or 1
    span = width - label_w - count_w
    body = []
    for k, (label, n) in enumerate(rows):
        y = 4 + k * row_h
        w = span * n / most
        body.append(
            f'<text x="{label_w - 8}" y="{y + 17}" text-anchor="end">{escape(label)}</text>'
        )
        body.append(
            f'<rect x="{label_w}" y="{y + 4}" width="{w:.1f}" height="{row_h - 8}" fill="{MEAN}"/>'
        )
        body.append(f'<text x="{label_w + w + 6:.1f}" y="{y + 17}">{_count(n)}</text>')
    return _svg(width, height, title, body)


def trend(points: Sequence[YearPoint], *, title: str, target: float) -> SafeString:
    """Pass rate (%) and mean total per fiscal year on one 0-100 scale, with the target."""
    width, height, left, right, top, bottom = 640, 250, 44, 20, 24, 40
    shown = [p for p in points if p.mean_total is not None and p.pass_rate is not None]
    values = [v for p in shown for v in (p.mean_total or 0, (p.pass_rate or 0) * 100)]
    # a band of 10 below the lowest point, so the label under it stays above the years
    low = max(0.0, (min([50.0, *values, target * 100]) - 10) // 10 * 10)
    plot_w, plot_h = width - left - right, height - top - bottom
    step = plot_w / max(1, len(shown))

    def y_of(v: float) -> float:
        return top + plot_h * (100 - v) / (100 - low)

    body = []
    for tick in range(int(low), 101, 10):
        y = y_of(tick)
        body.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" '
            f'stroke="{GRID}"/><text x="{left - 6}" y="{y + 4:.1f}" '
            f'text-anchor="end">{tick}</text>'
        )
    ty = y_of(target * 100)
    body.append(
        f'<line x1="{left}" y1="{ty:.1f}" x2="{width - right}" y2="{ty:.1f}" '
        f'stroke="{PASS}" stroke-dasharray="6 4"/>'
    )
    series = {"pass": [], "mean": []}  # type: dict[str, list[tuple[float, float, float]]]
    for k, p in enumerate(shown):
        x = left + step * (k + 0.5)
        rate, mean = (p.pass_rate or 0) * 100, p.mean_total or 0
        series["pass"].append((x, y_of(rate), rate))
        series["mean"].append((x, y_of(mean), mean))
        body.append(
            f'<text x="{x:.1f}" y="{height - bottom + 18}" text-anchor="middle">'
            f"{p.fiscal_year}</text>"
        )
    for name, colour in (("pass", PASS), ("mean", MEAN)):
        coords = " ".join(f"{x:.1f},{y:.1f}" for x, y, _ in series[name])
        if coords:
            body.append(
                f'<polyline points="{coords}" fill="none" stroke="{colour}" stroke-width="2.5"/>'
            )
    for (x, yp, rate), (_, ym, mean) in zip(series["pass"], series["mean"], strict=True):
        upper, lower = ((yp, rate, PASS, "%"), (ym, mean, MEAN, ""))[:: 1 if rate >= mean else -1]
        at_lower = lower[0] + 18
        at_upper = upper[0] - 8
        if at_lower > height - bottom - 4:  # no room under it: above it, the other higher up
            at_lower = lower[0] - 8
            at_upper = min(at_upper, at_lower - 14)
        for (y, value, colour, suffix), ly in ((upper, at_upper), (lower, at_lower)):
            body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>')
            body.append(
                f'<text x="{x:.1f}" y="{ly:.1f}" text-anchor="middle" fill="{colour}">'
                f"{value:.2f}{suffix}</text>"
            )
    return _svg(width, height, title, body)


def pass_colour(rate: float | None, target: float) -> str:
    """A cell's background on the map-like grid: by pass rate against the target."""
    if rate is None:
        return "#eef1f4"
    if rate >= target + (1 - target) / 2:
        return "#9fd5b0"
    if rate >= target:
        return "#cfe9d6"
    if rate >= target - 0.2:
        return "#f6dcb8"
    return "#f2b8a2"
