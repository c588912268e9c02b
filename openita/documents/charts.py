"""Charts for the documents: indicators, tools and the trend over fiscal years, as PNG bytes.

Drawn with matplotlib's object-oriented API (``Figure`` and the Agg canvas, no pyplot, so no
global state) in the Thai face Sarabun from ``openita.documents.fonts``; matplotlib shapes the
Thai text (vowels and tone marks) with libraqm. The output is print-friendly (greys and one
accent colour, muted red for scores under the pass mark), 16 cm wide at 200 dpi, and
deterministic: the same input gives the same bytes.

Every function takes ``digits="arabic"`` (0-9) or ``digits="thai"`` (๐-๙); with Thai digits
every text on the chart (values, axis ticks, labels, title, legend) shows Thai digits.
"""

from __future__ import annotations

import math
import struct
import zlib
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any, Final

import numpy as np
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.legend import Legend
from matplotlib.text import Text
from matplotlib.transforms import Bbox, ScaledTranslation
from PIL import Image as PILImage

from openita.documents.fonts import sarabun_path
from openita.engine.rounding import published
from openita.text.thai import format_score, thai_digits

__all__ = [
    "DPI",
    "INDICATOR_HEIGHT_PX",
    "TOOL_HEIGHT_PX",
    "TREND_HEIGHT_PX",
    "WIDTH_PX",
    "indicator_chart",
    "tool_chart",
    "trend_chart",
]

DPI: Final = 200
WIDTH_PX: Final = 1260  # 16.0 cm at 200 dpi: A4 text width
INDICATOR_HEIGHT_PX: Final = 840  # 10.7 cm
TREND_HEIGHT_PX: Final = 720  # 9.1 cm
TOOL_HEIGHT_PX: Final = 640  # 8.1 cm

SCORE_MIN: Final = 0.0
SCORE_MAX: Final = 100.0
SCORE_TICKS: Final = (0, 20, 40, 60, 80, 100)
DIGIT_STYLES: Final = ("arabic", "thai")

INK: Final = "#222222"
MUTED: Final = "#666666"
GRID: Final = "#dddddd"
ACCENT: Final = "#2f5d8a"  # calm blue: scores at or above the pass mark, the main series
BELOW: Final = "#b5524a"  # muted red: scores under the pass mark
PASS_LINE: Final = "#333333"
# (colour, line style, marker) per trend series: the first in the accent, the others in greys
SERIES_STYLES: Final = (
    (ACCENT, "-", "o"),
    ("#4d4d4d", "--", "s"),
    ("#6e6e6e", "-.", "^"),
    ("#8a8a8a", ":", "D"),
)

TITLE_SIZE: Final = 11.0
TEXT_SIZE: Final = 9.0
VALUE_SIZE: Final = 8.5
PAD_IN: Final = 3 / 72  # space between the parts and around them (constrained layout's pad)
PNG_SIGNATURE: Final = b"\x89PNG\r\n\x1a\n"
PNG_COMPRESSION: Final = 3  # zlib level: unfiltered rows of flat colour compress well and fast
POINT_LABEL_GAP_PT: Final = 10.0  # least vertical distance between point labels of one year
PASS_LABEL: Final = "เกณฑ์ผ่าน"
SCORE_LABEL: Final = "คะแนน"
YEAR_LABEL: Final = "ปีงบประมาณ"


# --- public ----------------------------------------------------------------------------------


def indicator_chart(
    labels: Sequence[str],
    values: Sequence[float],
    *,
    pass_mark: float,
    title: str,
    digits: str = "arabic",
) -> bytes:
    """Horizontal bars of the indicators, the first on top, with values at the bar ends."""
    _check_common("indicator_chart", pass_mark, digits)
    _check_bars("indicator_chart", labels, values)
    fig, ax = _new_figure(INDICATOR_HEIGHT_PX)
    positions = list(range(len(values)))
    colours = [_bar_colour(v, pass_mark) for v in values]
    ax.barh(positions, values, height=0.62, color=colours, zorder=2)
    ax.set_ylim(len(values) - 0.5, -0.5)  # the first indicator on top
    ax.set_yticks(positions, labels=[_text(s, digits) for s in labels], fontproperties=_font())
    ax.tick_params(axis="y", length=0)
    ax.set_xlim(SCORE_MIN, SCORE_MAX)
    ax.set_xticks(SCORE_TICKS, labels=_score_ticks(digits), fontproperties=_font())
    ax.set_xlabel(SCORE_LABEL, fontproperties=_font(), color=INK)
    ax.grid(axis="x", color=GRID, linewidth=0.6)
    for y, value in zip(positions, values, strict=True):
        _value_label(ax, value, y, format_score(value, digits=digits), horizontal=True)
    _pass_line_vertical(ax, pass_mark, digits)
    _lay_out(fig, ax, _title(fig, title, digits))
    return _to_png(fig)


def tool_chart(
    tools: Mapping[str, float],
    *,
    pass_mark: float,
    title: str,
    digits: str = "arabic",
) -> bytes:
    """Vertical bars of the tools (IIT, EIT, OIT) and the total, in the mapping's order."""
    _check_common("tool_chart", pass_mark, digits)
    labels, values = list(tools), list(tools.values())
    _check_bars("tool_chart", labels, values)
    fig, ax = _new_figure(TOOL_HEIGHT_PX)
    positions = list(range(len(values)))
    colours = [_bar_colour(v, pass_mark) for v in values]
    ax.bar(positions, values, width=0.55, color=colours, zorder=2)
    ax.set_xticks(positions, labels=[_text(s, digits) for s in labels], fontproperties=_font())
    ax.tick_params(axis="x", length=0)
    ax.set_xlim(-0.6, len(values) - 0.4)
    _score_axis_y(ax, digits)
    for x, value in zip(positions, values, strict=True):
        _value_label(ax, x, value, format_score(value, digits=digits), horizontal=False)
    _pass_line_horizontal(ax, pass_mark, digits)
    _lay_out(fig, ax, _title(fig, title, digits))
    return _to_png(fig)


def trend_chart(
    years: Sequence[str],
    series: Mapping[str, Sequence[float | None]],
    *,
    pass_mark: float,
    title: str,
    digits: str = "arabic",
) -> bytes:
    """Lines over fiscal years, oldest first; None is a gap. The first series is the accent."""
    _check_common("trend_chart", pass_mark, digits)
    _check_trend(years, series)
    fig, ax = _new_figure(TREND_HEIGHT_PX)
    xs = list(range(len(years)))
    for index, (name, values) in enumerate(series.items()):
        colour, style, marker = SERIES_STYLES[index % len(SERIES_STYLES)]
        ys = [math.nan if v is None else v for v in values]  # NaN breaks the line
        ax.plot(
            xs,
            ys,
            color=colour,
            linestyle=style,
            marker=marker,
            markersize=5,
            linewidth=2.0 if index == 0 else 1.4,
            label=_text(name, digits),
            zorder=3,
        )
    ax.set_xticks(xs, labels=[_text(y, digits) for y in years], fontproperties=_font())
    ax.set_xlim(-0.5, len(years) - 0.5)
    ax.set_xlabel(_text(YEAR_LABEL, digits), fontproperties=_font(), color=INK)
    _score_axis_y(ax, digits)
    _pass_line_horizontal(ax, pass_mark, digits)
    legend = fig.legend(
        loc="lower center",
        bbox_to_anchor=(WIDTH_PX / DPI / 2, PAD_IN),  # in inches: PAD_IN above the bottom
        bbox_transform=fig.dpi_scale_trans,
        borderaxespad=0,
        ncols=len(series),
        frameon=False,
        prop=_font().copy(),  # the legend keeps its own (texts copy theirs)
    )
    heading = _title(fig, title, digits)
    _lay_out(fig, ax, heading, legend)
    labels = _point_labels(fig, ax, series, digits)
    if _make_room(fig, ax, heading, labels):
        # the axes shrank: the labels are spread again at the new scale, or they would
        # come closer than their height and overlap
        for label in labels:
            label.remove()
        _point_labels(fig, ax, series, digits)
    return _to_png(fig)


# --- input checks ----------------------------------------------------------------------------


def _check_common(where: str, pass_mark: float, digits: str) -> None:
    if digits not in DIGIT_STYLES:
        raise ValueError(f"{where}: unknown digits {digits!r}; expected one of {DIGIT_STYLES}")
    _check_score(where, "pass_mark", pass_mark)


def _check_score(where: str, name: str, value: float) -> None:
    if not math.isfinite(value) or not SCORE_MIN <= value <= SCORE_MAX:
        raise ValueError(f"{where}: {name} = {value!r} is outside 0-100")


def _check_bars(where: str, labels: Sequence[str], values: Sequence[float]) -> None:
    if not values:
        raise ValueError(f"{where}: no values to draw")
    if len(labels) != len(values):
        raise ValueError(
            f"{where}: mismatched lengths, {len(labels)} labels but {len(values)} values"
        )
    for label, value in zip(labels, values, strict=True):
        _check_score(where, f"value of {label!r}", value)


def _check_trend(years: Sequence[str], series: Mapping[str, Sequence[float | None]]) -> None:
    where = "trend_chart"
    if not years:
        raise ValueError(f"{where}: no years to draw")
    if len(set(years)) != len(years):
        raise ValueError(f"{where}: repeated years in {list(years)}")
    if not series:
        raise ValueError(f"{where}: no series to draw")
    for name, values in series.items():
        if len(values) != len(years):
            raise ValueError(
                f"{where}: mismatched lengths, series {name!r} has {len(values)} values "
                f"for {len(years)} years"
            )
        for year, value in zip(years, values, strict=True):
            if value is not None:
                _check_score(where, f"value of {name!r} in {year}", value)


# --- figure and fonts ------------------------------------------------------------------------


@cache
def _font_files() -> tuple[str, str]:
    """The Sarabun regular and bold files, registered with matplotlib once."""
    regular, bold = str(sarabun_path("Regular")), str(sarabun_path("Bold"))
    for path in (regular, bold):
        font_manager.fontManager.addfont(path)
    return regular, bold


@cache
def _font(size: float = TEXT_SIZE, *, bold: bool = False) -> FontProperties:
    """Shared by the texts: matplotlib copies a text's font properties, never changes these."""
    regular, heavy = _font_files()
    return FontProperties(fname=heavy if bold else regular, size=size)


def _new_figure(height_px: int) -> tuple[Figure, Axes]:
    fig = Figure(figsize=(WIDTH_PX / DPI, height_px / DPI), dpi=DPI, facecolor="white")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.set_facecolor("white")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color(MUTED)
    ax.tick_params(colors=MUTED, labelcolor=INK, length=3)
    ax.set_axisbelow(True)
    return fig, ax


def _renderer(fig: Figure) -> RendererAgg:
    """The figure's Agg renderer (kept by its canvas: measuring and drawing share it)."""
    canvas = fig.canvas
    assert isinstance(canvas, FigureCanvasAgg)
    renderer: RendererAgg = canvas.get_renderer()  # type: ignore[no-untyped-call]
    return renderer


def _pixels(fig: Figure) -> np.ndarray[Any, np.dtype[np.uint8]]:
    """Draw the figure: its RGBA pixels, top row first."""
    canvas = fig.canvas
    assert isinstance(canvas, FigureCanvasAgg)
    canvas.draw()  # type: ignore[no-untyped-call]
    return np.asarray(canvas.buffer_rgba())  # type: ignore[no-untyped-call]


def _lay_out(fig: Figure, ax: Axes, title: Text, legend: Legend | None = None) -> None:
    """Place the axes so that the title on top, the legend at the bottom and the axes'
    decorations (tick and axis labels, value and pass-line labels) fit in the figure, PAD_IN
    apart and from the edges: the spacing of matplotlib's constrained layout, from one
    measurement (the decorations stick out of the axes by the same amount wherever the axes
    are) instead of its repeated layout passes."""
    renderer = _renderer(fig)
    pad = PAD_IN * DPI
    inner, outer = ax.bbox, ax.get_tightbbox(renderer)
    if outer is None:  # pragma: no cover - the axes always have ticks
        outer = inner
    top = pad + title.get_window_extent(renderer).height + 2 * pad + outer.y1 - inner.y1
    bottom = pad + inner.y0 - outer.y0
    if legend is not None:
        bottom += legend.get_window_extent(renderer).height + 2 * pad
    left = pad + inner.x0 - outer.x0
    right = pad + outer.x1 - inner.x1
    width, height = fig.bbox.width, fig.bbox.height
    ax.set_position(
        (left / width, bottom / height, 1 - (left + right) / width, 1 - (top + bottom) / height)
    )


def _make_room(fig: Figure, ax: Axes, title: Text, texts: Sequence[Text]) -> bool:
    """Shrink the axes if any of ``texts`` (placed after the layout) would cross the right
    edge or come within 2 PAD_IN of the title; whether it did."""
    if not texts:
        return False
    renderer = _renderer(fig)
    pad = PAD_IN * DPI
    extent = Bbox.union([text.get_window_extent(renderer) for text in texts])
    right_limit = fig.bbox.width - pad
    top_limit = title.get_window_extent(renderer).y0 - 2 * pad
    over_right = max(0.0, extent.x1 - right_limit)
    over_top = max(0.0, extent.y1 - top_limit)
    if over_right or over_top:
        x0, y0, w, h = ax.get_position().bounds
        ax.set_position((x0, y0, w - over_right / fig.bbox.width, h - over_top / fig.bbox.height))
        return True
    return False


def _to_png(fig: Figure) -> bytes:
    """Draw the figure once and encode it as an 8-bit RGB PNG.

    Written here rather than by ``savefig``: the rows go unfiltered into zlib at level 3,
    which takes about a sixth of the time of Pillow's adaptive filtering at level 6 for a
    smaller file on these flat-coloured pictures, and an RGB PNG (no alpha: the background is
    opaque white) goes into the native PDF as it is, without decoding. Deterministic."""
    rgba = _pixels(fig)
    height, width = rgba.shape[:2]
    rgb = PILImage.frombuffer("RGBA", (width, height), rgba, "raw", "RGBA", 0, 1).convert("RGB")
    rows = np.empty((height, 1 + 3 * width), dtype=np.uint8)
    rows[:, 0] = 0  # filter type None
    rows[:, 1:] = np.frombuffer(rgb.tobytes(), dtype=np.uint8).reshape(height, 3 * width)
    per_metre = round(DPI / 0.0254)
    return b"".join(
        (
            PNG_SIGNATURE,
            _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)),
            _chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1)),
            _chunk(b"IDAT", zlib.compress(rows.data, PNG_COMPRESSION)),
            _chunk(b"IEND", b""),
        )
    )


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _title(fig: Figure, title: str, digits: str) -> Text:
    return fig.suptitle(
        _text(title, digits),
        fontproperties=_font(TITLE_SIZE, bold=True),
        color=INK,
        y=1 - PAD_IN * DPI / fig.bbox.height,
        va="top",
    )


# --- parts -----------------------------------------------------------------------------------


def _text(text: str, digits: str) -> str:
    return thai_digits(text) if digits == "thai" else text


def _score_ticks(digits: str) -> list[str]:
    return [_text(str(tick), digits) for tick in SCORE_TICKS]


def _score_axis_y(ax: Axes, digits: str) -> None:
    ax.set_ylim(SCORE_MIN, SCORE_MAX)
    ax.set_yticks(SCORE_TICKS, labels=_score_ticks(digits), fontproperties=_font())
    ax.set_ylabel(SCORE_LABEL, fontproperties=_font(), color=INK)
    ax.grid(axis="y", color=GRID, linewidth=0.6)


def _bar_colour(value: float, pass_mark: float) -> str:
    return BELOW if published(value) < pass_mark else ACCENT


def _pass_text(pass_mark: float, digits: str) -> str:
    mark = str(int(pass_mark)) if float(pass_mark).is_integer() else format_score(pass_mark)
    return _text(f"{PASS_LABEL} {mark}", digits)


def _pass_line_vertical(ax: Axes, pass_mark: float, digits: str) -> None:
    ax.axvline(pass_mark, color=PASS_LINE, linestyle="--", linewidth=1.0, zorder=2.5)
    ax.annotate(
        _pass_text(pass_mark, digits),
        xy=(pass_mark, 1.0),
        xycoords=("data", "axes fraction"),
        xytext=(0, 3),
        textcoords="offset points",
        ha="center",
        va="bottom",
        color=PASS_LINE,
        fontproperties=_font(VALUE_SIZE),
    )


def _pass_line_horizontal(ax: Axes, pass_mark: float, digits: str) -> None:
    ax.axhline(pass_mark, color=PASS_LINE, linestyle="--", linewidth=1.0, zorder=2.5)
    ax.annotate(
        _pass_text(pass_mark, digits),
        xy=(1.0, pass_mark),
        xycoords=("axes fraction", "data"),
        xytext=(4, 0),
        textcoords="offset points",
        ha="left",
        va="center",
        color=PASS_LINE,
        fontproperties=_font(VALUE_SIZE),
    )


def _value_label(ax: Axes, x: float, y: float, text: str, *, horizontal: bool) -> None:
    """A bar's value just past its end, on white so the pass line does not cross it."""
    ax.annotate(
        text,
        xy=(x, y),
        xytext=(4, 0) if horizontal else (0, 3),
        textcoords="offset points",
        ha="left" if horizontal else "center",
        va="center" if horizontal else "bottom",
        color=INK,
        fontproperties=_font(VALUE_SIZE),
        bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5},
        zorder=4,
        annotation_clip=False,
    )


def _point_labels(
    fig: Figure, ax: Axes, series: Mapping[str, Sequence[float | None]], digits: str
) -> list[Text]:
    """Each point's value to its right; labels of one year spread apart so none overlap."""
    points_per_unit = ax.get_position().height * fig.get_figheight() * 72 / (SCORE_MAX - SCORE_MIN)
    gap = max(POINT_LABEL_GAP_PT, _label_height_pt(fig) + 1.0) / points_per_unit
    columns = [list(column) for column in zip(*series.values(), strict=True)]
    texts = []
    for x, column in enumerate(columns):
        known = sorted((v, i) for i, v in enumerate(column) if v is not None)
        spread = _spread([v for v, _ in known], gap)
        for (value, index), label_y in zip(known, spread, strict=True):
            colour = SERIES_STYLES[index % len(SERIES_STYLES)][0]
            text = format_score(value, digits=digits)
            texts.append(_point_label(fig, ax, x, label_y, text, colour))
    return texts


_LABEL_HEIGHT_PT: dict[float, float] = {}


def _label_height_pt(fig: Figure) -> float:
    """The height of a value label, in points (Sarabun's marks make it taller than its size);
    measured once per process."""
    found = _LABEL_HEIGHT_PT.get(fig.dpi)
    if found is None:
        probe = fig.text(0, 0, "0.0", fontproperties=_font(VALUE_SIZE))
        found = float(probe.get_window_extent(_renderer(fig)).height * 72 / fig.dpi)
        probe.remove()
        _LABEL_HEIGHT_PT[fig.dpi] = found
    return found


def _point_label(fig: Figure, ax: Axes, x: float, y: float, text: str, colour: str) -> Text:
    shift = ScaledTranslation(7 / 72, 0, fig.dpi_scale_trans)
    return ax.text(
        x,
        y,
        text,
        transform=ax.transData + shift,
        ha="left",
        va="center",
        color=colour,
        fontproperties=_font(VALUE_SIZE),
        bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5},
        zorder=4,
    )


def _spread(targets: Sequence[float], gap: float) -> list[float]:
    """Positions as near as may be to ``targets`` (ascending), at least ``gap`` apart.

    Overlapping labels merge into a cluster centred on the mean of its targets.
    """
    clusters: list[list[float]] = []
    for target in targets:
        clusters.append([target])
        while len(clusters) > 1 and _overlap(clusters[-2], clusters[-1], gap):
            last = clusters.pop()
            clusters[-1].extend(last)
    return [_start(c, gap) + n * gap for c in clusters for n in range(len(c))]


def _start(cluster: Sequence[float], gap: float) -> float:
    return sum(cluster) / len(cluster) - (len(cluster) - 1) * gap / 2


def _overlap(lower: Sequence[float], upper: Sequence[float], gap: float) -> bool:
    return _start(upper, gap) < _start(lower, gap) + len(lower) * gap
