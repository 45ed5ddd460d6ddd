"""A figure as the browser gets it: the theme in its own layout, so that Streamlit's second draw costs nothing.

Streamlit 1.67's chart element draws every chart twice. It keeps the figure as a JSON copy and draws it; once
mounted, it makes a new JSON copy of that state (after plotly.js has written into it), sets the width it measured,
and hands that copy to ``Plotly.react`` again. plotly.js compares the two figures to decide what to redraw, and on
a figure of a thousand marks it redraws every one of them (0.08–0.19 s a chart at a million claims) unless all of
these hold (``bench/figure_draw_times.py --second-draw``; ``docs/scale.md``, stop 25):

- no ``template`` (a template is an object, new in each copy): the theme is written into the figure's layout and
  traces instead (:data:`THEME_LAYOUT`, :data:`THEME_TRACES`), and the chart is drawn with ``theme=None``;
- no ``meta`` object (the same): ``meta`` is sent as JSON text, which plotly.js compares by value;
- plain lists, not plotly.py's typed-array specs (decoded anew in each copy);
- a ``layout.datarevision`` (a digest of the figure: the same figure, the same revision), which tells plotly.js
  that arrays of the same revision have not changed;
- on a chart that takes point selections, the click, hover and drag modes Streamlit would otherwise write into
  its copy.

The figure builders stay as they are (their ``meta`` is what tests and selections read); only what leaves for the
browser is changed. The theme is Streamlit's own for ``.streamlit/config.toml`` (whose menu offers no other), and a
chart must look as it did under it: a layout's own grid, zero-line or tick colour turns on what plotly.js would
otherwise leave off (a template's does not), so those colours come with the grid and zero line kept off on an axis
of categories, and a tick colour only where ticks are drawn. ``docs/scale.md`` (stop 25) compares what plotly.js
drew, axis by axis, before and after, on every chart link.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import re

import numpy as np
import plotly.graph_objects as go

#: the light theme's colours of ``.streamlit/config.toml`` as Streamlit's theme gives them to a chart
TEXT_COLOUR = "#181A20"  # the theme's textColor: chart titles
FADED_TEXT = "#808495"  # axis labels, ticks and hover text
BODY_TEXT = "#262730"  # legend entries
GRID = "#e6eaf1"
BACKGROUND = "#FFFFFF"
FONT_FAMILY = '"Source Sans", sans-serif, "Source Sans", sans-serif'  # as Streamlit's theme writes it
SEQUENTIAL = [
    [0, "#e4f5ff"],
    [0.1111111111111111, "#c7ebff"],
    [0.2222222222222222, "#a6dcff"],
    [0.3333333333333333, "#83c9ff"],
    [0.4444444444444444, "#60b4ff"],
    [0.5555555555555556, "#3d9df3"],
    [0.6666666666666666, "#1c83e1"],
    [0.7777777777777778, "#0068c9"],
    [0.8888888888888888, "#0054a3"],
    [1, "#004280"],
]
_AXIS = {"tickfont": {"color": FADED_TEXT, "size": 12}, "automargin": True, "gridcolor": GRID, "zerolinecolor": GRID}
#: a theme's colours only colour what plotly.js draws, but a layout's own grid colour turns the grid on: on an axis
#: of categories (no grid and no zero line by plotly.js's default) both are kept off unless the figure turns them on
_CATEGORY_AXIS = {"showgrid": False, "zeroline": False}
NUMBER_OR_DATE = re.compile(r"^\s*[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*$|^\d{4}(-\d{2}(-\d{2})?)?([ T].*)?$")
#: what Streamlit's theme template sets for a chart's layout (its x and y axes apply to every x and y axis)
THEME_LAYOUT: dict = {
    "colorway": ["#0068c9", "#83c9ff", "#ff2b2b", "#ffabab", "#29b09d", "#7defa1", "#ff8700", "#ffd16a", "#6d3fc0", "#d5dae5"],
    "font": {"color": FADED_TEXT, "family": FONT_FAMILY, "size": 12, "weight": 400},
    "title": {"font": {"family": FONT_FAMILY, "size": 16, "color": TEXT_COLOUR}, "pad": {"l": 4}, "xanchor": "left", "x": 0},
    "legend": {
        "title": {"font": {"size": 12, "color": FADED_TEXT}, "side": "top"},
        "valign": "top",
        "bordercolor": "rgba(0, 0, 0, 0)",  # (the template says "transparent", which plotly.py refuses)
        "borderwidth": 0,
        "font": {"size": 12, "color": BODY_TEXT},
    },
    "paper_bgcolor": BACKGROUND,
    "plot_bgcolor": BACKGROUND,
    "margin": {"pad": 8, "r": 0, "l": 0},
    "hoverlabel": {
        "bgcolor": BACKGROUND,
        "bordercolor": "rgba(24, 26, 32, 0.2)",
        "font": {"color": FADED_TEXT, "family": FONT_FAMILY, "size": 12},
    },
    "coloraxis": {"colorscale": SEQUENTIAL},
    "colorscale": {"sequential": SEQUENTIAL, "sequentialminus": SEQUENTIAL},
}
THEME_X_AXIS: dict = {
    **_AXIS,
    "showgrid": False,
    "zeroline": False,
    "title": {"font": {"color": FADED_TEXT, "size": 14}, "standoff": 20},
    "rangeselector": {"bgcolor": BACKGROUND, "bordercolor": GRID, "borderwidth": 1, "x": 0},
}
THEME_Y_AXIS: dict = {**_AXIS, "title": {"font": {"color": FADED_TEXT, "size": 14}, "standoff": 24}}
#: what the theme sets for a trace, by trace type
THEME_TRACES: dict[str, dict] = {"scatter": {"marker": {"line": {"width": 0}}}, "heatmap": {"colorscale": SEQUENTIAL}}
#: the modes Streamlit gives a chart that takes point selections when its layout has none
SELECTION_MODES = {"clickmode": "event+select", "hovermode": "closest", "dragmode": "pan"}
AXIS_KEY = re.compile(r"^([xy])axis(\d*)$")


def with_defaults(values: dict, defaults: dict) -> dict:
    """``values`` with every key of ``defaults`` it lacks, nested dicts merged the same way (values win)."""
    merged = dict(values)
    for key, default in defaults.items():
        if key not in merged or merged[key] is None:
            merged[key] = copy.deepcopy(default)
        elif isinstance(default, dict) and isinstance(merged[key], dict):
            merged[key] = with_defaults(merged[key], default)
    return merged


def plain_arrays(value: object) -> object:
    """``value`` with plotly.py's typed-array specs (``{"dtype": …, "bdata": …}``) decoded to plain lists."""
    if isinstance(value, dict):
        if "bdata" in value and "dtype" in value:
            array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]))
            if "shape" in value:
                array = array.reshape([int(size) for size in str(value["shape"]).split(",")])
            return array.tolist()
        return {key: plain_arrays(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain_arrays(item) for item in value]
    return value


def _axis_key(trace: dict, letter: str) -> str:
    """The layout key of the ``letter`` (x or y) axis a trace draws on: ``x2`` -> ``xaxis2``."""
    return f"{letter}axis{str(trace.get(f'{letter}axis') or letter)[1:]}"


def _axes_used(layout: dict, traces: list[dict]) -> set[str]:
    """The layout keys of every axis the figure has or its traces draw on (``xaxis``, ``yaxis2``, …)."""
    keys = {key for key in layout if AXIS_KEY.match(key)}
    for trace in traces:
        if trace.get("type", "scatter") not in {"scattergeo", "choropleth", "pie", "sankey", "table"}:
            keys |= {_axis_key(trace, "x"), _axis_key(trace, "y")}
    return keys


def _is_category(key: str, axis: dict, on_axis: list[dict]) -> bool:
    """Whether plotly.js draws the axis as categories: its ``type`` says so, or (none given) the values its traces
    put on it are text that is neither a number nor a date. (Not asked of a heatmap's axis, which keeps its grid.)"""
    if axis.get("type"):
        return axis["type"] == "category"
    values = [value for trace in on_axis if isinstance(trace.get(key[0]), list) for value in trace[key[0]][:100]]
    return any(isinstance(value, str) and not NUMBER_OR_DATE.match(value) for value in values)


def browser_figure(figure: go.Figure, selectable: bool = False) -> dict:
    """The JSON of ``figure`` as it leaves for the browser (see the module's docstring): the theme written into its
    layout and traces, no template, ``meta`` as JSON text, plain arrays, a ``datarevision``, and, when the chart
    takes point selections (``selectable``), the modes Streamlit would add. Draw it with ``theme=None``."""
    # plotly's own JSON: numpy arrays, Series, dates and numpy scalars as JSON values (``to_dict`` would keep a
    # Series of dates or text as an array), then its typed-array specs as plain lists
    spec = plain_arrays(json.loads(figure.to_json()))
    layout = {key: value for key, value in spec.get("layout", {}).items() if key != "template"}
    traces = []
    for trace in spec.get("data", []):
        trace = with_defaults(trace, THEME_TRACES.get(trace.get("type", "scatter"), {}))
        if "meta" in trace:
            trace["meta"] = json.dumps(trace["meta"], sort_keys=True, default=str)
        traces.append(trace)
    if "meta" in layout:
        layout["meta"] = json.dumps(layout["meta"], sort_keys=True, default=str)
    layout = with_defaults(layout, THEME_LAYOUT)
    for key in sorted(_axes_used(layout, traces)):
        axis = layout.get(key) or {}
        defaults = THEME_X_AXIS if key.startswith("x") else THEME_Y_AXIS
        if "rangeselector" not in axis:  # a template's part for a container the figure does not have draws nothing
            defaults = {name: value for name, value in defaults.items() if name != "rangeselector"}
        on_axis = [trace for trace in traces if _axis_key(trace, key[0]) == key]
        heatmap = any(trace.get("type") == "heatmap" for trace in on_axis)
        if not heatmap and _is_category(key, axis, on_axis):
            defaults = {**defaults, **_CATEGORY_AXIS}
        if axis.get("ticks") or heatmap:
            defaults = {**defaults, "tickcolor": GRID}  # (a layout's own tick colour turns ticks on too)
        layout[key] = with_defaults(axis, defaults)
    if selectable:
        layout = with_defaults(layout, SELECTION_MODES)
    layout.pop("datarevision", None)
    digest = hashlib.sha1(json.dumps({"data": traces, "layout": layout}, sort_keys=True, default=str).encode()).hexdigest()
    layout["datarevision"] = digest[:16]
    return {"data": traces, "layout": layout}


def read_meta(spec: dict) -> dict:
    """A sent figure (:func:`browser_figure`'s JSON) with its ``meta`` read back from JSON text into objects, for
    those who read what left for the browser (the app's tests, a notebook)."""
    layout = dict(spec.get("layout", {}))
    if isinstance(layout.get("meta"), str):
        layout["meta"] = json.loads(layout["meta"])
    data = [
        {**trace, "meta": json.loads(trace["meta"])} if isinstance(trace.get("meta"), str) else trace
        for trace in spec.get("data", [])
    ]
    return {**spec, "data": data, "layout": layout}
