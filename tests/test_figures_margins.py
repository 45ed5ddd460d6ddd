"""The margins a figure reserves for its axes' labels (claimscope.figures.common.fit_margins and text_px).

The browser test ``tests/browser/test_chart_margins.py`` checks that Plotly has nothing to push on the app's pages;
these check the estimate itself: what widens which margin, by how much, and what never shrinks it.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import pytest

from claimscope.figures import common
from claimscope.figures.common import GLYPH_PX, fit_margins, text_px


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", 0.0),
        ("AU", GLYPH_PX["A"] + GLYPH_PX["U"]),
        ("<i>AU</i>", GLYPH_PX["A"] + GLYPH_PX["U"]),  # tags draw nothing
        ("A &amp; U", GLYPH_PX["A"] + 2 * GLYPH_PX[" "] + GLYPH_PX["&"] + GLYPH_PX["U"]),  # an entity is one glyph
        ("AU<br>A", GLYPH_PX["A"] + GLYPH_PX["U"]),  # the widest line
        ("Я", common.OTHER_GLYPH_PX),
        ("…", common.SPECIAL_GLYPH_PX["…"]),
    ],
)
def test_text_px(text, expected):
    assert text_px(text) == pytest.approx(expected)


def test_text_px_scales_with_the_font():
    assert text_px("Korea", font_px=24) == pytest.approx(2 * text_px("Korea"))


def bars(labels: list[str], **layout) -> go.Figure:
    figure = go.Figure(go.Bar(y=labels, x=[3] * len(labels), orientation="h"))
    figure.update_layout(**{"margin": {"l": 10, "r": 10, "t": 10, "b": 10}, **layout})
    return figure


def margins(figure: go.Figure) -> tuple[int, int, int, int]:
    m = fit_margins(figure).layout.margin
    return m.l, m.r, m.t, m.b


@pytest.mark.parametrize(
    ("figure", "left"),
    [
        # the widest category label, whatever its position
        (bars(["AU", "Democratic People's Republic of Korea"]), text_px("Democratic People's Republic of Korea")),
        (bars(["Democratic People's Republic of Korea", "AU"]), text_px("Democratic People's Republic of Korea")),
        # tick texts win over the categories
        (bars(["a", "b"], yaxis={"tickvals": ["a", "b"], "ticktext": ["a long label", "b"]}), text_px("a long label")),
    ],
)
def test_the_left_margin_holds_the_widest_y_label(figure, left):
    assert margins(figure)[0] == round(left + common.Y_LABEL_PAD)


def test_a_y_title_adds_its_row():
    plain, titled = bars(["Korea"]), bars(["Korea"], yaxis={"title": {"text": "speaker country"}})
    assert margins(titled)[0] - margins(plain)[0] == common.Y_TITLE_PX


def test_a_hidden_axis_or_a_larger_margin_is_left_alone():
    hidden = bars(["a very long label indeed"], yaxis={"visible": False})
    assert margins(hidden)[0] == 10
    wide = bars(["Korea"], margin={"l": 500, "r": 10, "t": 10, "b": 200})
    assert margins(wide)[0] == 500 and margins(wide)[3] == 200


def test_numbers_are_labelled_as_plotly_does():
    """A numeric x axis: one row of labels, its last label overhanging on the right; a y axis of counts is as
    wide as its largest count (in thousands past 10,000, whole numbers with ``tickformat="d"``)."""
    figure = go.Figure(go.Bar(x=["a", "b"], y=[12, 48_000]))
    figure.update_layout(margin={"l": 10, "r": 10, "t": 10, "b": 10})
    left, right, _, bottom = margins(go.Figure(figure))
    assert left == round(text_px("48k") + common.Y_LABEL_PAD)
    assert bottom == common.X_LABELS_PX and right == 10  # a category axis does not overhang
    figure.update_yaxes(tickformat="d", range=[0, 52_000])
    assert margins(go.Figure(figure))[0] == round(text_px("52000") + common.Y_LABEL_PAD)
    across = go.Figure(go.Bar(y=["a"], x=[5], orientation="h"), layout={"margin": {"l": 10, "r": 10, "t": 10, "b": 10}})
    assert margins(across)[1] == common.OVERHANG_PX


@pytest.mark.parametrize(
    ("start", "end", "rows"),
    [
        ("2024-06-01", "2024-06-30", 2),
        ("2024-03-01", "2024-06-30", 2),
        ("2023-01-01", "2024-06-30", 1),
        ("2000-01-01", "2024-06-30", 1),
    ],
)
def test_a_short_date_axis_takes_two_rows(start, end, rows):
    """Ticks of days (the year on a second row) under about five months, months and years beyond."""
    dates = pd.to_datetime([start, end])
    figure = go.Figure(go.Scatter(x=dates, y=[1, 2]), layout={"margin": {"l": 10, "r": 10, "t": 10, "b": 10}})
    expected = common.X_LABELS_PX + (common.SECOND_ROW_PX if rows == 2 else 0)
    assert margins(figure)[3] == expected


def test_an_x_title_and_a_legend_at_the_bottom_add_their_rows():
    base = go.Figure(go.Bar(y=["a"], x=[5], orientation="h", name="n"))
    base.update_layout(margin={"l": 10, "r": 10, "t": 10, "b": 10})
    plain = margins(go.Figure(base))[3]
    titled = go.Figure(base).update_layout(xaxis={"title": {"text": "statements"}})
    assert margins(titled)[3] == plain + common.X_TITLE_PX
    legend = {"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom"}
    with_legend = go.Figure(base).update_layout(legend=legend, showlegend=True)  # one entry: shown only when asked
    assert margins(with_legend)[3] == plain + common.LEGEND_ROW_PX
    with_title = go.Figure(base).update_layout(legend={**legend, "title": {"text": "stance"}}, showlegend=True)
    assert margins(with_title)[3] == plain + common.LEGEND_ROW_PX + common.LEGEND_TITLE_PX


def test_a_date_range_of_centuries_is_one_row():
    """Spans past pandas' nanosecond range (about 292 years) are measured as Python datetimes."""
    figure = go.Figure(go.Scatter(x=pd.to_datetime(["2024-01-01", "2024-06-19"]), y=[1, 2]))
    figure.update_layout(
        margin={"l": 10, "r": 10, "t": 10, "b": 10}, xaxis={"type": "date", "range": ["1700-01-01", "2024-06-19"]}
    )
    assert margins(figure)[3] == common.X_LABELS_PX


def test_the_x_axis_counts_when_only_the_y_axis_is_set():
    figure = go.Figure(go.Bar(x=["a", "b"], y=[1, 2]), layout={"margin": {"l": 10, "r": 10, "t": 10, "b": 10}})
    figure.update_yaxes(title={"text": "statements"})
    assert margins(figure)[3] == common.X_LABELS_PX


def test_a_negative_axis_keeps_its_minus_sign():
    figure = go.Figure(go.Bar(x=["a", "b"], y=[-48_000, 2]), layout={"margin": {"l": 10, "r": 10, "t": 10, "b": 10}})
    assert margins(figure)[0] == round(text_px("\u221248k") + common.Y_LABEL_PAD)


def test_fitting_twice_changes_nothing():
    figure = go.Figure([go.Bar(y=["a"], x=[5], orientation="h", name=n) for n in ("support", "oppose")])
    figure.update_layout(
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        xaxis={"title": {"text": "statements"}},
        legend={"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom"},
    )
    once = margins(figure)
    assert margins(figure) == once


def test_a_legend_plotly_does_not_show_takes_no_row():
    """By default Plotly shows a legend for two entries or more."""
    legend = {"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom"}
    one = go.Figure(go.Bar(y=["a"], x=[5], orientation="h"), layout={"legend": legend, "margin": {"b": 10}})
    two = go.Figure([go.Bar(y=["a"], x=[5], orientation="h")] * 2, layout={"legend": legend, "margin": {"b": 10}})
    hidden = go.Figure(two).update_layout(showlegend=False)
    assert margins(two)[3] - margins(one)[3] == common.LEGEND_ROW_PX
    assert margins(hidden)[3] == margins(one)[3]


@pytest.mark.parametrize(
    ("text", "exact"),
    [("Russia (RUS)", True), ("A &amp; U<br>B", True), ("…", True), ("Россия", False), ("日本", False), ("", True)],
)
def test_measured_exactly(text, exact):
    assert common.measured_exactly(text) is exact


@pytest.mark.parametrize(
    ("labels", "automargin"),
    [
        (["Russia (RUS)", "North Korea (PRK)"], False),  # measured to the pixel: no measuring pass in the browser
        (["Россия", "КНДР"], None),  # another script is estimated: the theme's automargin pushes if it must
        (["Türkiye (TUR)", "Russia (RUS)"], False),  # one accented letter: its upper bound's room, no measuring
        (["São Tomé and Príncipe", "Japan"], False),  # three: still within the slack
        (["Ελλάδα", "Russia"], None),  # a word in another script: beyond the slack
        (["<i>context events</i>", "Russia (RUS)"], False),  # italics: bounded a tenth wider than upright
    ],
)
def test_an_axis_measured_exactly_needs_no_automargin(labels, automargin):
    figure = fit_margins(bars(labels))
    assert figure.layout.yaxis.automargin is automargin
    assert figure.layout.xaxis.automargin is None  # an x axis: Plotly may tilt its labels on a narrow screen
    widest = max(map(common.text_px_at_most if automargin is False else text_px, labels))
    assert margins(figure)[0] == round(widest + common.Y_LABEL_PAD)


@pytest.mark.parametrize("text", ["a⸻b", "ﷺ", "a"])  # a three-em dash, a ligature, private use
def test_text_px_at_most_does_not_bound_glyphs_several_ems_wide(text):
    assert common.text_px_at_most(text) == float("inf")
    assert fit_margins(bars([text, "Russia"])).layout.yaxis.automargin is None  # Plotly measures it


@pytest.mark.parametrize(
    ("text", "at_most"),
    [
        ("Russia", None),  # every character listed: the estimate itself
        ("Türkiye", common.UNLISTED_GLYPH_MAX_PX),  # ü counted as one em
        ("日本", 2 * common.UNLISTED_GLYPH_MAX_PX),
        ("Korea 🇰🇷", 2 * common.SYMBOL_GLYPH_MAX_PX),  # a flag is two regional indicators (emoji)
        ("a ★", common.SYMBOL_GLYPH_MAX_PX),
        ("x – y", common.UNLISTED_GLYPH_MAX_PX),  # an en dash: punctuation, at most one em
        ("◽", common.SYMBOL_GLYPH_MAX_PX),  # a math symbol drawn as an emoji
    ],
)
def test_text_px_at_most_bounds_the_unlisted_characters(text, at_most):
    listed = sum(GLYPH_PX.get(ch, 0.0) for ch in text)
    expected = listed + (at_most or 0.0)
    assert common.text_px_at_most(text) == pytest.approx(expected)
    assert common.text_px_at_most(text) >= text_px(text)
    assert common.text_px_at_most(f"<i>{text}</i>") == pytest.approx(expected * common.ITALIC_FACTOR)


@pytest.mark.parametrize(
    "figure",
    [
        go.Figure(go.Bar(x=["a", "b"], y=[0.05, 0.1])),  # numbers Plotly formats itself
        bars(["<b>Russia</b>", "Japan"]),  # bold is wider than measured
        bars(["Russia"], yaxis={"title": {"text": "speaker<br>country"}}),  # a title of two lines
        bars(["Russia"], yaxis={"automargin": True}),  # the figure's own choice
    ],
)
def test_other_axes_keep_their_automargin(figure):
    assert fit_margins(figure).layout.yaxis.automargin in (None, True)
