"""A figure as it leaves for the browser (claimscope.figures.browser): the theme in its layout, nothing that makes
plotly.js redraw every mark at Streamlit's second draw."""

from __future__ import annotations

import json
import re
import tomllib

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
from plotly.subplots import make_subplots

from claimscope.figures.browser import (
    FONT_FAMILY,
    GRID,
    SELECTION_MODES,
    TEXT_COLOUR,
    browser_figure,
    read_meta,
    with_defaults,
)
from tests.conftest import ROOT


def figure_of_points(size: int = 50, **layout) -> go.Figure:
    figure = go.Figure(
        go.Scatter(x=np.arange(size), y=np.linspace(0, 1, size), mode="markers", meta={"role": "points", "n": size})
    )
    figure.update_layout(meta={"statements": size}, **layout)
    return figure


@pytest.mark.parametrize(
    ("values", "defaults", "expected"),
    [
        ({}, {"a": 1}, {"a": 1}),
        ({"a": 2}, {"a": 1}, {"a": 2}),
        ({"a": None}, {"a": 1}, {"a": 1}),
        ({"f": {"size": 14}}, {"f": {"size": 12, "color": "red"}}, {"f": {"size": 14, "color": "red"}}),
        ({"f": "x"}, {"f": {"size": 12}}, {"f": "x"}),
        ({"b": [1]}, {"b": [2, 3]}, {"b": [1]}),
    ],
)
def test_defaults_fill_only_what_the_values_lack(values, defaults, expected):
    assert with_defaults(values, defaults) == expected


def test_what_leaves_has_no_template_no_typed_arrays_and_meta_as_text():
    sent = browser_figure(figure_of_points())
    text = json.dumps(sent)
    assert "template" not in sent["layout"]
    assert "bdata" not in text  # plotly.py would send the numpy arrays as typed-array specs
    assert sent["data"][0]["x"] == list(range(50))
    assert isinstance(sent["layout"]["meta"], str) and isinstance(sent["data"][0]["meta"], str)
    assert read_meta(sent)["data"][0]["meta"] == {"role": "points", "n": 50}
    assert read_meta(sent)["layout"]["meta"] == {"statements": 50}
    go.Figure(sent)  # Streamlit builds a figure of it: every property must pass plotly.py's validation


def test_the_theme_is_written_in_and_the_figures_own_values_win():
    figure = figure_of_points(font={"color": "#123456"}, yaxis={"gridcolor": "#ABCDEF"})
    figure.update_traces(marker={"line": {"width": 2}})
    sent = browser_figure(figure)
    layout = sent["layout"]
    assert layout["font"]["family"] == FONT_FAMILY and layout["font"]["color"] == "#123456"
    assert layout["xaxis"]["gridcolor"] == GRID and layout["yaxis"]["gridcolor"] == "#ABCDEF"
    assert layout["title"]["font"]["color"] == TEXT_COLOUR
    assert sent["data"][0]["marker"]["line"]["width"] == 2
    assert browser_figure(figure_of_points())["data"][0]["marker"]["line"]["width"] == 0  # the theme's, for scatter


def test_every_axis_of_subplots_gets_the_theme_and_only_an_axis_with_a_range_selector_its_style():
    figure = make_subplots(rows=2, cols=1)
    figure.add_trace(go.Bar(x=[1, 2], y=[3, 4]), row=1, col=1)
    figure.add_trace(go.Bar(x=[1, 2], y=[5, 6]), row=2, col=1)
    figure.update_layout(xaxis2={"rangeselector": {"buttons": [{"step": "all"}]}})
    layout = browser_figure(figure)["layout"]
    assert {key for key in layout if re.match(r"^[xy]axis\d*$", key)} == {"xaxis", "yaxis", "xaxis2", "yaxis2"}
    assert all(layout[key]["automargin"] is True for key in ("xaxis", "yaxis", "xaxis2", "yaxis2"))
    assert layout["xaxis2"]["rangeselector"]["bordercolor"] == GRID
    assert "rangeselector" not in layout["xaxis"]
    assert "marker" not in browser_figure(figure)["data"][0]  # the theme sets nothing for bars
    go.Figure(browser_figure(figure))


@pytest.mark.parametrize(
    ("layout", "expected"),
    [
        ({}, SELECTION_MODES),
        ({"hovermode": "x"}, {**SELECTION_MODES, "hovermode": "x"}),
        ({"dragmode": "zoom", "clickmode": "event"}, {**SELECTION_MODES, "dragmode": "zoom", "clickmode": "event"}),
    ],
)
def test_a_chart_that_takes_selections_carries_streamlits_modes_unless_it_sets_them(layout, expected):
    sent = browser_figure(figure_of_points(**layout), selectable=True)["layout"]
    assert {key: sent[key] for key in SELECTION_MODES} == expected


def test_a_chart_without_selections_gets_no_modes():
    assert "clickmode" not in browser_figure(figure_of_points())["layout"]


def test_the_data_revision_follows_the_figure():
    first, again = browser_figure(figure_of_points()), browser_figure(figure_of_points())
    other = browser_figure(figure_of_points(size=51))
    assert first["layout"]["datarevision"] == again["layout"]["datarevision"]
    assert first["layout"]["datarevision"] != other["layout"]["datarevision"]
    styled = figure_of_points()
    styled.update_traces(marker={"color": "red"})
    assert browser_figure(styled)["layout"]["datarevision"] != first["layout"]["datarevision"]


def test_the_themes_text_colour_is_the_apps():
    """The theme is written out from .streamlit/config.toml's colours: a change there must come here too."""
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["theme"]["base"] == "light" and config["theme"]["textColor"] == TEXT_COLOUR


def test_pages_draw_charts_only_through_the_helper():
    """``st.plotly_chart`` (or a container's) called directly would send the template and typed arrays again."""
    direct = [
        str(path.relative_to(ROOT))
        for path in [*ROOT.glob("pages/**/*.py"), *ROOT.glob("ui/**/*.py"), ROOT / "app.py"]
        if re.search(r"\.plotly_chart\(", path.read_text()) and path != ROOT / "ui" / "view.py"
    ]
    assert direct == []


def test_series_and_dates_leave_as_json_and_a_changed_point_changes_the_revision():
    """A pandas Series of dates or text stays an array in plotly.py's dict: it must leave as a JSON list, and a
    change anywhere in it (not only at its ends) must change the revision, or plotly.js keeps the old drawing."""
    dates = pd.Series(pd.date_range("2024-01-01", periods=3000, freq="h"))
    names = pd.Series([f"c{i}" for i in range(3000)])

    def sent(days: pd.Series) -> dict:
        return browser_figure(go.Figure(go.Scatter(x=days, y=names, meta={"n": np.int64(7)})))

    first = sent(dates)
    moved = dates.copy()
    moved[1500] = pd.Timestamp("2030-01-01")
    assert isinstance(first["data"][0]["x"], list) and first["data"][0]["x"][0].startswith("2024-01-01")
    assert first["layout"]["yaxis"]["showgrid"] is False  # the names are categories
    assert sent(moved)["layout"]["datarevision"] != first["layout"]["datarevision"]
    assert read_meta(first)["data"][0]["meta"] == {"n": 7}


@pytest.mark.parametrize(
    ("trace", "category"),
    [
        (go.Bar(y=["Russia", "Japan"], x=[1, 2], orientation="h"), True),
        (go.Scatter(y=[0.5, 1.5], x=["2024-06-19", "2024-06-20"]), False),
        (go.Scatter(y=["2024-06-19", "2024-06-20"], x=[1, 2]), False),
        (go.Heatmap(z=[[1, 2], [3, 4]], y=["Russia", "Japan"], x=["a", "b"]), False),
        (go.Bar(y=["1", "2"], x=[1, 2], orientation="h"), False),  # numbers as text: plotly.js reads them as numbers
    ],
)
def test_an_axis_of_categories_keeps_its_grid_and_zero_line_off(trace, category):
    """A layout's own grid colour turns plotly.js's grid on, where a template's does not: on an axis of categories
    (no grid by default) the theme's colour comes with the grid and zero line kept off."""
    y = browser_figure(go.Figure(trace))["layout"]["yaxis"]
    assert y["gridcolor"] == GRID
    assert (y.get("showgrid"), y.get("zeroline")) == ((False, False) if category else (None, None))
    go.Figure(browser_figure(go.Figure(trace)))
