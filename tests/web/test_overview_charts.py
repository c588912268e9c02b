"""The overview's SVG charts: every number is drawn, and no two labels overlap."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from itertools import combinations

import pytest

from openita.web.overview import charts
from openita.web.overview.selectors import Bin, YearPoint

SVG = "{http://www.w3.org/2000/svg}"
CHAR_W, CHAR_H = 7.2, 12.0  # an upper bound for Sarabun 12 px digits and Latin letters


def boxes(svg: str) -> list[tuple[str, float, float, float, float]]:
    root = ET.fromstring(svg)
    found = []
    for t in root.iter(f"{SVG}text"):
        text = "".join(t.itertext())
        x, y = float(t.get("x", 0)), float(t.get("y", 0))
        width = CHAR_W * len(text)
        anchor = t.get("text-anchor", "start")
        left = x - width / 2 if anchor == "middle" else x - width if anchor == "end" else x
        found.append((text, left, y - CHAR_H, left + width, y))
    return found


def overlaps(svg: str) -> list[tuple[str, str]]:
    clash = []
    for a, b in combinations(boxes(svg), 2):
        if a[1] < b[3] and b[1] < a[3] and a[2] < b[4] and b[2] < a[4]:
            clash.append((a[0], b[0]))
    return clash


def test_histogram_draws_every_count_without_overlap() -> None:
    bins = [
        Bin(0, 50, 12),
        *(
            Bin(lo, lo + 5, n)
            for lo, n in zip(
                range(50, 100, 5), [3, 5, 9, 40, 120, 300, 900, 2500, 3300, 1111], strict=True
            )
        ),
    ]
    svg = str(charts.histogram(bins, title="t"))
    texts = [b[0] for b in boxes(svg)]
    assert "3,300" in texts and "<50" in texts and "95–100" in texts
    assert overlaps(svg) == []


@pytest.mark.parametrize(
    "points",
    [
        # pass rate and mean total a hair apart, then crossing
        [
            YearPoint(2564 + k, 100, m, r)
            for k, (m, r) in enumerate(
                [(93.82, 0.9417), (94.1, 0.939), (92.0, 0.9201), (85.0, 0.85), (70.0, 0.4)]
            )
        ],
        [YearPoint(y, 8300, 99.99, 1.0) for y in range(2560, 2570)],  # ten years at the top
        [YearPoint(2567, 3, 0.0, 0.0), YearPoint(2568, 3, 3.0, 0.0)],  # at the very bottom
        [YearPoint(2567, 3, 100.0, 1.0), YearPoint(2568, 3, 97.0, 0.99)],  # at the very top
    ],
)
def test_trend_labels_never_overlap(points: list[YearPoint]) -> None:
    svg = str(charts.trend(points, title="t", target=0.8))
    assert overlaps(svg) == []
    for p in points:
        assert f">{(p.pass_rate or 0) * 100:.2f}%<" in svg and f">{p.mean_total:.2f}<" in svg


def test_bars_and_the_overlap_check_itself() -> None:
    svg = str(charts.bars([("ผ่านดีเยี่ยม", 4000), ("ต้องปรับปรุงโดยด่วน", 3)], title="t"))
    assert overlaps(svg) == []
    bad = (
        '<svg xmlns="http://www.w3.org/2000/svg"><text x="10" y="10">12345</text>'
        '<text x="20" y="12">9</text></svg>'
    )
    assert overlaps(bad) == [("12345", "9")]


def test_text_is_escaped() -> None:
    svg = str(charts.bars([("<script>", 1)], title="a & b"))
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    ET.fromstring(svg)
