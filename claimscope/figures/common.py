"""What every figure shares: a colour-blind-safe stance palette with a second cue, and the empty state."""

from __future__ import annotations

import datetime as dt
import html
import math
import re
import unicodedata

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from claimscope.schema import STANCES

UNLABELLED = "unlabelled"
STANCE_ORDER: tuple[str, ...] = (*STANCES, UNLABELLED)
#: Okabe–Ito colours: distinguishable with the common colour-vision deficiencies
STANCE_COLOURS = {
    "support": "#0072B2",
    "oppose": "#D55E00",
    "concern": "#E69F00",
    "neutral": "#999999",
    UNLABELLED: "#CC79A7",
}
#: the second cue, so that colour is never the only one
STANCE_SYMBOLS = {"support": "circle", "oppose": "x", "concern": "triangle-up", "neutral": "square", UNLABELLED: "diamond"}
STANCE_PATTERNS = {"support": "", "oppose": "x", "concern": "/", "neutral": ".", UNLABELLED: "-"}
EVENT_COLOUR = "#000000"


def empty_figure(message: str) -> go.Figure:
    """A figure that says why it is empty instead of drawing bare axes."""
    figure = go.Figure()
    figure.add_annotation(text=message, x=0.5, y=0.5, xref="paper", yref="paper", showarrow=False, font={"size": 16})
    figure.update_layout(
        xaxis={"visible": False}, yaxis={"visible": False}, height=240, margin={"l": 10, "r": 10, "t": 30, "b": 10}
    )
    return figure


# --- margins that fit the labels --------------------------------------------------------------------------

#: the width in pixels of each printable ASCII character in the theme's tick font (Source Sans, 12 px), as
#: Chromium measures it; characters not listed count as a wide letter
GLYPH_PX = dict(
    zip(
        " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~",
        [2.4, 3.47, 5.11, 5.96, 5.96, 9.89, 7.31, 2.99, 3.64, 3.64, 5.02, 5.96, 2.99, 3.73, 2.99, 4.2]
        + [5.96] * 10
        + [2.99, 2.99, 5.96, 5.96, 5.96, 5.1, 10.16]
        + [6.52, 7.06, 6.85, 7.38, 6.32, 5.93, 7.4, 7.82, 3.16, 5.75, 6.95, 5.83, 8.72]
        + [7.76, 7.97, 6.79, 7.97, 6.83, 6.41, 6.43, 7.74, 6.18, 9.43, 6.16, 5.71, 6.47]
        + [3.64, 4.2, 3.64, 5.96, 6.0, 6.5]
        + [6.05, 6.64, 5.47, 6.66, 5.95, 3.5, 6.05, 6.53, 2.95, 2.96, 5.94, 3.06, 9.95]
        + [6.56, 6.5, 6.66, 6.66, 4.16, 5.03, 4.06, 6.53, 5.6, 8.63, 5.35, 5.6, 5.1]
        + [3.64, 2.89, 3.64, 5.96],
        strict=True,
    )
)
OTHER_GLYPH_PX = 8.0
#: the most a character that GLYPH_PX does not list may take at 12 px: one em (a CJK glyph is one em, the letters of
#: other alphabets less), and a symbol or an emoji (which the browser takes from another font) a third more; a
#: ligature, a two- or three-em dash and private or unassigned code points are not bounded
UNLISTED_GLYPH_MAX_PX = 12.0
SYMBOL_GLYPH_MAX_PX = 16.0
#: how much wider than estimated a y axis's room may be made so that Plotly need not measure its labels (a label
#: with an accented letter or two: "Türkiye (TUR)"); beyond it (the widest label a word in another script, say) the
#: axis keeps automargin
UNLISTED_SLACK_PX = 16.0
SPECIAL_GLYPH_PX = {"—": 9.6, "…": 11.4, "·": 3.0}
#: what a y axis needs beside its tick labels, and what its title adds (the theme: 14 px, 24 px from the labels)
Y_LABEL_PAD = 28
Y_TITLE_PX = 34
#: what an x axis needs below the plot for one row of tick labels, and what its title adds
X_LABELS_PX = 37
X_TITLE_PX = 34
#: a date axis spanning less than this many days may tick days, labelled on two rows (day and month, then the
#: year); months and years take one row. Plotly ticks days up to about 15 days × 10 ticks: a little over-reserved
TWO_ROW_DAYS = 150
SECOND_ROW_PX = 16
#: a row of a horizontal legend at the bottom of the figure
LEGEND_ROW_PX = 30
#: the legend's title (the theme puts it on a row of its own, above the entries)
LEGEND_TITLE_PX = 18
#: the room a numeric or date x axis's last label overhangs on the right (half of "May 2024")
OVERHANG_PX = 24
TAG = re.compile(r"<(?!br)[^>]*>", re.IGNORECASE)
ITALIC_TAG = re.compile(r"</?i>", re.IGNORECASE)
#: how much wider than upright a label in italics may be drawn (Source Sans's italics are no wider; a margin of safety)
ITALIC_FACTOR = 1.1


def _lines(text: object) -> list[str]:
    """A label's lines (``<br>``), its other tags left out."""
    return re.split(r"<br\s*/?>", TAG.sub("", str(text)), flags=re.IGNORECASE)


def text_px(text: object, font_px: float = 12) -> float:
    """How wide ``text`` is drawn in the theme's font: its widest line (``<br>``), tags left out, entities read."""
    lines = _lines(text)
    widest = max(sum(GLYPH_PX.get(ch, SPECIAL_GLYPH_PX.get(ch, OTHER_GLYPH_PX)) for ch in html.unescape(line)) for line in lines)
    return widest * font_px / 12


def measured_exactly(text: object) -> bool:
    """Whether :func:`text_px` knows every character of ``text`` (tags left out, entities read): ASCII and the few
    listed others; any other character (another script, say) is only estimated."""
    lines = _lines(text)
    return all(ch in GLYPH_PX or ch in SPECIAL_GLYPH_PX for line in lines for ch in html.unescape(line))


def text_px_at_most(text: object, font_px: float = 12) -> float:
    """An upper bound of how wide ``text`` is drawn: :func:`text_px`, with each character it does not list counted
    as :data:`UNLISTED_GLYPH_MAX_PX` (:data:`SYMBOL_GLYPH_MAX_PX` for a symbol or an emoji) instead of estimated,
    and a label in italics (``<i>``) :data:`ITALIC_FACTOR` wider; infinite when it holds a character that may be
    several ems wide (a ligature, a two- or three-em dash) or one private or unassigned."""
    lines = _lines(text)
    widest = max(sum(map(_glyph_px_at_most, html.unescape(line))) for line in lines)
    italic = ITALIC_FACTOR if ITALIC_TAG.search(str(text)) else 1.0
    return widest * italic * font_px / 12


def only_italics(text: object) -> bool:
    """Whether ``text`` holds no markup but italics (``<i>``, which :func:`text_px_at_most` bounds)."""
    return not TAG.search(ITALIC_TAG.sub("", str(text)))


def _glyph_px_at_most(ch: str) -> float:
    known = GLYPH_PX.get(ch, SPECIAL_GLYPH_PX.get(ch))
    if known is not None:
        return known
    category, name = unicodedata.category(ch), unicodedata.name(ch, "")
    if category in ("Co", "Cn") or "LIGATURE" in name or "-EM " in name or name.endswith("-EM DASH"):
        return math.inf  # private or unassigned, and glyphs several ems wide (U+2E3B, U+FDFA): not bounded
    if ord(ch) > 0xFFFF or category[0] == "S":  # emoji and symbols, often drawn from another font
        return SYMBOL_GLYPH_MAX_PX
    return UNLISTED_GLYPH_MAX_PX  # letters, marks, digits, punctuation, spaces


def _number_label(largest: float, layout, negative: bool = False) -> str:
    """The widest tick label Plotly draws on a numeric axis reaching ``largest`` (in size; ``negative``: with a
    minus sign)."""
    tickformat = layout.tickformat or ""
    if "%" in tickformat:
        text = f"{largest * 100:.0f}%"
    elif "d" in tickformat:
        text = f"{largest:.0f}"
    elif largest >= 10_000:
        text = f"{largest / 1000:.0f}k"
    else:
        text = f"{largest:,.1f}"
    return ("\u2212" if negative else "") + (layout.tickprefix or "") + text + (layout.ticksuffix or "")


def _days_between(values: list) -> float | None:
    """The days from the earliest to the latest of dates (as Python datetimes: a span of centuries does not fit
    pandas' nanoseconds); ``None`` without two readable dates."""
    dates = pd.to_datetime(pd.Series(list(values), dtype=object), errors="coerce").dropna()
    if dates.empty:
        return None
    return (dates.max().to_pydatetime() - dates.min().to_pydatetime()).days


def _date_labels(dates: list) -> tuple[list[str], str]:
    """A date axis's widest labels: two rows when it spans under :data:`TWO_ROW_DAYS`, one otherwise."""
    days = _days_between(dates)
    return (["Jun 19", "2024"], "two-row date") if days is not None and days < TWO_ROW_DAYS else (["2024"], "date")


def _axis_labels(figure: go.Figure, axis: str) -> tuple[list[str], str]:
    """The tick labels an axis (``"y"``, ``"x2"``) will draw, and which of ``"text"``, ``"date"`` (one row),
    ``"two-row date"`` and ``"number"`` they are: its tick texts, else its dates, else its categories, else the
    widest number of its range or of the traces on it.

    An estimate for the figures of this package: not for log axes, heatmaps without coordinates, or relative bars.
    """
    layout = figure.layout[axis[0] + "axis" + axis[1:]]
    if layout.visible is False or layout.showticklabels is False:
        return [], ""
    if layout.ticktext is not None:
        return list(dict.fromkeys(str(t) for t in layout.ticktext)), "text"
    if (
        layout.range is not None
        and layout.type not in ("date", "category")
        and all(isinstance(v, int | float) for v in layout.range)
    ):
        return [_number_label(max(abs(v) for v in layout.range), layout, min(layout.range) < 0)], "number"
    if layout.type == "date" and layout.range is not None:  # the range says it all: no need to read the traces
        return _date_labels(layout.range)
    values: list = []
    for trace in figure.data:
        if (getattr(trace, axis[0] + "axis", None) or axis[0]) == axis and getattr(trace, axis[0], None) is not None:
            values.extend(getattr(trace, axis[0]))
    first = next((v for v in values if v is not None), None)
    if layout.type == "date" or isinstance(first, dt.date | np.datetime64):
        return _date_labels(layout.range if layout.range is not None else values)
    texts = [v for v in values if isinstance(v, str)]
    if texts or layout.type == "category":
        return list(dict.fromkeys(str(v) for v in texts or values)), "text"
    numbers = pd.to_numeric(pd.Series(values, dtype=object), errors="coerce").to_numpy(dtype=float)
    numbers = numbers[np.isfinite(numbers)]
    if not len(numbers):
        return ["0"], "number"
    largest = float(np.abs(numbers).max()) * (len(figure.data) if figure.layout.barmode == "stack" else 1)
    return [_number_label(largest, layout, bool(numbers.min() < 0))], "number"


def _has_title(axis_layout) -> bool:
    return bool(axis_layout.title and axis_layout.title.text)


def _legend_at_bottom_px(figure: go.Figure) -> int:
    """What a horizontal legend at the bottom of the figure needs, when Plotly shows it (by default: for two
    entries or more)."""
    legend = figure.layout.legend
    if not (legend.orientation == "h" and legend.yref == "container" and legend.y == 0):
        return 0
    entries = sum(1 for trace in figure.data if trace.showlegend is not False)
    if figure.layout.showlegend is False or (figure.layout.showlegend is None and entries < 2) or not entries:
        return 0
    return LEGEND_ROW_PX + (LEGEND_TITLE_PX if legend.title and legend.title.text else 0)


def fit_margins(figure: go.Figure) -> go.Figure:
    """Widen the margins to what the axes' tick labels and titles (and a legend at the bottom) need, so that
    Plotly draws the figure once.

    The theme lets every axis push its margin to fit its labels (``automargin``); when a push is needed,
    Plotly lays out and draws the whole figure a second time, which roughly doubles the browser's time to draw
    it (the largest part of a chart page in the browser). The labels are known here, so the margins are made
    wide enough from the start (estimated from the font's glyph widths); a label longer than estimated is still
    pushed, as before. A margin already large enough is kept, so that fitting twice changes nothing. Not for
    axes on the top or right, nor for a range slider (it is placed below the margin, so that it pushes whatever
    the margin is). A margin the figure leaves unset counts as the theme's (0 on the sides, 80 at the bottom).

    A y axis whose room is known gets ``automargin`` off (unless the figure set it): labels of text (its tick texts
    or categories, not numbers Plotly formats itself, no markup but italics), each measured exactly (:func:`measured_exactly`)
    or, when a few characters are not (an accented letter), given the room of their upper bound
    (:func:`text_px_at_most`, when the widest is at most :data:`UNLISTED_SLACK_PX` more than estimated); and a title
    of one line.
    Plotly measures every label of an axis with ``automargin`` on, even when it then pushes nothing: at a million
    claims that was over 0.1 s of the Timeline's first draw (``docs/scale.md``, stop 25), and of a cascade's, whose
    59 countries counted "Türkiye" (stop 26). Any other axis keeps the theme's ``automargin``: labels whose bound
    would cost more room (another script), numbers, and x axes, whose labels Plotly may tilt on a narrow screen.
    """
    margin = figure.layout.margin
    left = margin.l if margin.l is not None else 0
    right = margin.r if margin.r is not None else 0
    bottom = margin.b if margin.b is not None else 80
    axes = {axis.plotly_name.replace("axis", "") for axis in [*figure.select_xaxes(), *figure.select_yaxes()]}
    axes |= {trace.xaxis or "x" for trace in figure.data if hasattr(trace, "xaxis")}
    axes |= {trace.yaxis or "y" for trace in figure.data if hasattr(trace, "yaxis")}
    below = 0
    exact: list[str] = []
    for axis in sorted(axes | {"x", "y"}):
        layout = figure.layout[axis[0] + "axis" + axis[1:]]
        if layout.visible is False:
            continue
        labels, kind = _axis_labels(figure, axis)
        if axis.startswith("y") and layout.side != "right":
            widest = max(map(text_px, labels)) if labels else 0
            title = layout.title.text or ""
            plain = all(map(only_italics, labels)) and not re.search(r"<br", title, re.IGNORECASE)
            if kind == "text" and plain and measured_exactly(title):
                # an upper bound for the few characters not measured, when it costs little room (the label's width
                # is then known to be at most this, and Plotly need not measure it)
                at_most = max(map(text_px_at_most, labels)) if labels else 0
                if at_most - widest <= UNLISTED_SLACK_PX:
                    widest = at_most
                    exact.append(axis)
            need = (widest + Y_LABEL_PAD if labels else 0) + (Y_TITLE_PX if _has_title(layout) else 0)
            left = max(left, round(need))
        elif axis.startswith("x") and layout.side != "top":
            need = (X_LABELS_PX if labels else 0) + (SECOND_ROW_PX if kind == "two-row date" else 0)
            below = max(below, need + (X_TITLE_PX if _has_title(layout) else 0))
            if kind in ("number", "date", "two-row date"):
                right = max(right, OVERHANG_PX)
    bottom = max(bottom, below + _legend_at_bottom_px(figure))
    figure.update_layout(margin={"l": left, "b": bottom, "r": right})
    for axis in exact:
        name = axis[0] + "axis" + axis[1:]
        if figure.layout[name].automargin is None:
            figure.update_layout({name: {"automargin": False}})
    return figure
