"""Charts: valid PNG of the expected size, deterministic bytes, gaps, one year, bad input."""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import matplotlib.image
import pytest

from openita.documents.charts import (
    DPI,
    INDICATOR_HEIGHT_PX,
    TOOL_HEIGHT_PX,
    TREND_HEIGHT_PX,
    WIDTH_PX,
    indicator_chart,
    tool_chart,
    trend_chart,
)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PASS = 85.0

# FY2565 of the seed agency (seed 003) and its totals for FY2563-2565
LABELS = (
    "1. การปฏิบัติหน้าที่",
    "2. การใช้งบประมาณ",
    "3. การใช้อำนาจ",
    "4. การใช้ทรัพย์สินของราชการ",
    "5. การแก้ไขปัญหาการทุจริต",
    "6. คุณภาพการดำเนินงาน",
    "7. ประสิทธิภาพการสื่อสาร",
    "8. การปรับปรุงระบบการทำงาน",
    "9. การเปิดเผยข้อมูล",
    "10. การป้องกันการทุจริต",
)
VALUES = (95.21, 92.11, 94.38, 91.96, 91.82, 81.03, 76.92, 78.64, 94.64, 100.0)
YEARS = ("2563", "2564", "2565")
TOTALS = (59.50, 85.26, 90.52)
SERIES: dict[str, Sequence[float | None]] = {
    "คะแนนรวม": TOTALS,
    "IIT": (None, None, 93.10),
    "EIT": (None, None, 78.86),
    "OIT": (None, None, 97.32),
}
TOOLS = {"IIT": 93.10, "EIT": 78.86, "OIT": 97.32, "คะแนนรวม": 90.52}


def _size(png: bytes) -> tuple[int, int]:
    """(width, height) in pixels of a decoded PNG."""
    assert png.startswith(PNG_SIGNATURE)
    pixels = matplotlib.image.imread(io.BytesIO(png), format="png")
    height, width = pixels.shape[:2]
    return width, height


def _indicators(digits: str = "arabic") -> bytes:
    return indicator_chart(LABELS, VALUES, pass_mark=PASS, title="ตัวชี้วัด 2565", digits=digits)


def _trend(
    series: Mapping[str, Sequence[float | None]] = SERIES,
    years: Sequence[str] = YEARS,
    digits: str = "arabic",
) -> bytes:
    return trend_chart(years, series, pass_mark=PASS, title="แนวโน้ม", digits=digits)


def _tools(digits: str = "arabic") -> bytes:
    return tool_chart(TOOLS, pass_mark=PASS, title="เครื่องมือ 2565", digits=digits)


# --- output ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("draw", "height"),
    [(_indicators, INDICATOR_HEIGHT_PX), (_trend, TREND_HEIGHT_PX), (_tools, TOOL_HEIGHT_PX)],
)
@pytest.mark.parametrize("digits", ["arabic", "thai"])
def test_png_of_a4_text_width_at_200_dpi(
    draw: Callable[..., bytes], height: int, digits: str
) -> None:
    assert _size(draw(digits=digits)) == (WIDTH_PX, height)
    assert DPI == 200
    assert 15.5 <= WIDTH_PX / DPI * 2.54 <= 16.5  # about 16 cm wide
    assert 8 <= height / DPI * 2.54 <= 11


@pytest.mark.parametrize("draw", [_indicators, _trend, _tools])
def test_same_input_same_bytes(draw: Callable[..., bytes]) -> None:
    assert draw() == draw()


@pytest.mark.parametrize("draw", [_indicators, _trend, _tools])
def test_no_software_metadata(draw: Callable[..., bytes]) -> None:
    assert b"matplotlib" not in draw().lower()


def test_white_background() -> None:
    pixels = matplotlib.image.imread(io.BytesIO(_tools()), format="png")
    assert pixels[0, 0, :3].tolist() == [1.0, 1.0, 1.0]
    assert pixels[-1, -1, :3].tolist() == [1.0, 1.0, 1.0]


def test_thai_digits_change_the_picture() -> None:
    assert _indicators("thai") != _indicators("arabic")
    assert _trend(digits="thai") != _trend(digits="arabic")


def test_colour_marks_scores_under_the_pass_mark() -> None:
    passing = indicator_chart(["a", "b"], [90.0, 95.0], pass_mark=PASS, title="t")
    failing = indicator_chart(["a", "b"], [90.0, 80.0], pass_mark=PASS, title="t")
    assert passing != failing


# --- trend edge cases ------------------------------------------------------------------------


def test_trend_with_gaps() -> None:
    series = {"คะแนนรวม": (59.50, None, 90.52), "IIT": (None, None, None)}
    assert _size(_trend(series)) == (WIDTH_PX, TREND_HEIGHT_PX)


def test_trend_of_a_single_year() -> None:
    series = {"คะแนนรวม": (90.52,), "IIT": (93.10,), "EIT": (78.86,), "OIT": (97.32,)}
    assert _size(_trend(series, ("2565",))) == (WIDTH_PX, TREND_HEIGHT_PX)


def test_trend_with_more_series_than_styles() -> None:
    series = {f"s{n}": (50.0 + n, 60.0 + n) for n in range(6)}
    assert _size(_trend(series, ("2564", "2565"))) == (WIDTH_PX, TREND_HEIGHT_PX)


# --- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("labels", "values", "message"),
    [
        ([], [], "no values"),
        (["a", "b"], [90.0], "mismatched lengths"),
        (["a"], [90.0, 91.0], "mismatched lengths"),
        (["a", "b"], [90.0, 100.5], "'b'.*outside 0-100"),
        (["a"], [-1.0], "outside 0-100"),
        (["a"], [float("nan")], "outside 0-100"),
    ],
)
def test_indicator_chart_rejects_bad_input(
    labels: list[str], values: list[float], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        indicator_chart(labels, values, pass_mark=PASS, title="t")


@pytest.mark.parametrize(
    ("years", "series", "message"),
    [
        ([], {"คะแนนรวม": []}, "no years"),
        (["2565"], {}, "no series"),
        (["2564", "2565"], {"คะแนนรวม": [90.0]}, "mismatched lengths.*'คะแนนรวม'"),
        (["2564", "2565"], {"IIT": [90.0, 101.0]}, "'IIT' in 2565.*outside 0-100"),
        (["2565", "2565"], {"IIT": [90.0, 91.0]}, "repeated years"),
    ],
)
def test_trend_chart_rejects_bad_input(
    years: list[str], series: dict[str, list[float | None]], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        trend_chart(years, series, pass_mark=PASS, title="t")


@pytest.mark.parametrize(
    ("tools", "message"),
    [({}, "no values"), ({"IIT": 120.0}, "'IIT'.*outside 0-100")],
)
def test_tool_chart_rejects_bad_input(tools: dict[str, float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        tool_chart(tools, pass_mark=PASS, title="t")


@pytest.mark.parametrize("draw", [indicator_chart, tool_chart, trend_chart])
def test_rejects_bad_pass_mark_and_digits(draw: Callable[..., bytes]) -> None:
    args: tuple[object, ...] = {
        indicator_chart: (LABELS, VALUES),
        tool_chart: (TOOLS,),
        trend_chart: (YEARS, SERIES),
    }[draw]
    with pytest.raises(ValueError, match="pass_mark"):
        draw(*args, pass_mark=150.0, title="t")
    with pytest.raises(ValueError, match="unknown digits"):
        draw(*args, pass_mark=PASS, title="t", digits="roman")


# --- the real figures ------------------------------------------------------------------------


def test_real_figures_render(tmp_path: Path) -> None:
    """The seed agency's figures (the ones looked at by eye when the charts were made)."""
    for name, png in {
        "indicators.png": _indicators(),
        "indicators-thai.png": _indicators("thai"),
        "trend.png": _trend({"คะแนนรวม": TOTALS}),
        "tools.png": _tools(),
    }.items():
        path = tmp_path / name
        path.write_bytes(png)
        assert _size(path.read_bytes())[0] == WIDTH_PX


# --- labels never overlap ------------------------------------------------------------------


def _text_boxes(draw: Callable[[], bytes]) -> list[tuple[str, object]]:
    """The drawn chart's texts and their boxes in pixels (the figure is caught before it is
    encoded)."""
    from matplotlib.text import Text

    from openita.documents import charts

    caught = []
    encode = charts._to_png

    def catch(fig):  # type: ignore[no-untyped-def]
        caught.append(fig)
        return encode(fig)

    charts._to_png = catch
    try:
        draw()
    finally:
        charts._to_png = encode
    fig = caught[0]
    renderer = charts._renderer(fig)
    out = []
    for text in fig.findobj(Text):
        if text.get_visible() and text.get_text().strip():
            out.append((text.get_text(), text.get_window_extent(renderer)))
    return out


CROWDED: dict[str, Sequence[float | None]] = {
    "คะแนนรวม": (84.9, 85.1, 85.0, 90.0),
    "IIT": (85.0, 85.2, 84.8, 90.1),
    "EIT": (84.8, 85.0, 85.1, 89.9),
    "OIT": (85.1, 84.9, 85.2, 90.2),
    "ตัวชี้วัดที่ 5": (85.2, 85.3, 85.0, 90.0),
}


@pytest.mark.parametrize("digits", ["arabic", "thai"])
@pytest.mark.parametrize(
    "draw",
    [
        lambda d: _indicators(d),
        lambda d: _tools(d),
        lambda d: _trend(digits=d),
        lambda d: _trend(CROWDED, ("2562", "2563", "2564", "2565"), digits=d),
        lambda d: indicator_chart(
            LABELS, (85.0,) * 10, pass_mark=PASS, title="ตัวชี้วัดที่คะแนนเท่ากัน", digits=d
        ),
        lambda d: tool_chart(
            {"IIT": 85.0, "EIT": 85.1, "OIT": 84.9, "คะแนนรวม": 85.0},
            pass_mark=PASS,
            title="เครื่องมือ",
            digits=d,
        ),
    ],
    ids=["indicators", "tools", "trend", "crowded-trend", "equal-indicators", "equal-tools"],
)
def test_no_two_labels_overlap(draw: Callable[[str], bytes], digits: str) -> None:
    boxes = _text_boxes(lambda: draw(digits))
    assert len(boxes) > 5
    for k, (a, box_a) in enumerate(boxes):
        for b, box_b in boxes[k + 1 :]:
            overlap_w = min(box_a.x1, box_b.x1) - max(box_a.x0, box_b.x0)  # type: ignore[attr-defined]
            overlap_h = min(box_a.y1, box_b.y1) - max(box_a.y0, box_b.y0)  # type: ignore[attr-defined]
            assert overlap_w <= 0.5 or overlap_h <= 0.5, f"{a!r} overlaps {b!r}"
