"""Trends: statements per period, one row of stacked bars per speaker country, bloc or actor.

Built from :func:`claimscope.views.trends.trend_table` (already aggregated: one bar segment per period, group and
stance). Stance by colour *and* fill pattern; context events as dotted lines with a label on top. Every bar
carries the ``from`` and ``to`` values of its period in ``customdata``: a click narrows the dates.
"""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from claimscope.figures.common import STANCE_COLOURS, STANCE_ORDER, STANCE_PATTERNS, empty_figure, fit_margins
from claimscope.figures.timeline import lane_label
from claimscope.text import escape_plotly

EVENT_LINE = "#666666"
#: a path's x over a date axis is in milliseconds since this moment
EPOCH = pd.Timestamp(0)
#: at most this many event periods get a label on top (the others a line only)
MAX_EVENT_LABELS = 16
EVENT_LABEL_CHARS = 22
ROW_HEIGHT = 120
INTERVAL_WORDS = {"week": "week", "month": "month", "year": "year"}


#: a bar's hover after its row's name: its period and what it counts (its ``customdata``)
BAR_HOVER = "<br>%{customdata[3]}<br>%{customdata[4]}<br><i>click: narrow the dates to this period</i><extra></extra>"


def bar_hover(lane: str) -> str:
    """A row's bars' hover: the row's name, once per trace, then :data:`BAR_HOVER`. ``lane`` comes escaped
    (:func:`~claimscope.figures.timeline.lane_label`: ``{`` as ``&#123;``), so that the data can make no template.
    (It was ``%{meta.lane}``; a trace's ``meta`` is sent as JSON text since stop 25: see
    :mod:`claimscope.figures.browser`.)"""
    return f"<b>{lane}</b>{BAR_HOVER}"


def _bar_count(stance: str, n: int, total: int) -> str:
    share = n / total if total else 0
    return f"{n} {escape_plotly(stance)} of {total} statement{'s' if total != 1 else ''} ({share:.0%})"


def trends_figure(
    table: pd.DataFrame,
    groups: tuple[str, ...] | list[str],
    *,
    interval: str = "month",
    measure: str = "count",
    events: pd.DataFrame | None = None,
    names: dict[str, str] | None = None,
    group_title: str = "speaker country",
) -> go.Figure:
    """One row per group, bars per period stacked by stance (``measure``: ``count`` or ``share`` of the bar)."""
    if table.empty or not groups:
        return empty_figure("No statement dated precisely enough for this interval.")
    groups = list(groups)
    # the grid only (its axes and their domains); everything else is given to Plotly at once below, as plain
    # values: each add_trace or layout update validates again what the figure already holds (0.5 s a run at 1M)
    figure = make_subplots(rows=len(groups), cols=1, shared_xaxes=True, vertical_spacing=min(0.04, 0.3 / len(groups)))
    share = measure == "share"
    periods = table[["period", "period_end"]].drop_duplicates()
    width_ms = ((periods["period_end"] - periods["period"]) + pd.Timedelta(days=1)).dt.total_seconds().min() * 1000 * 0.8
    bars: list[dict] = []
    bar_rows: list[int] = []
    for stance in STANCE_ORDER:
        rows = table.loc[table["stance"] == stance]
        if rows.empty:
            continue
        first = True
        for i, group in enumerate(groups, start=1):
            part = rows.loc[rows["group"] == group]
            if part.empty:
                continue
            middles = part["period"] + (part["period_end"] + pd.Timedelta(days=1) - part["period"]) / 2
            bars.append(
                {
                    "type": "bar",
                    "name": stance,
                    "legendgroup": stance,
                    "showlegend": first,
                    "x": middles,
                    "y": (part["share"] * 100) if share else part["statements"],
                    "width": width_ms,
                    "marker": {
                        "color": STANCE_COLOURS[stance],
                        "pattern": {
                            "shape": STANCE_PATTERNS[stance],
                            "fillmode": "overlay",
                            "fgcolor": "#333333",
                            "size": 6,
                            "solidity": 0.2,
                        },
                        "line": {"width": 0.5, "color": "#333333"},
                    },
                    # [from, to, group, period, what the bar counts]: the row's name and the click hint are the
                    # trace's, once (bar_hover), not repeated in every bar's hover text
                    "customdata": [
                        [f, t, group, escape_plotly(label), _bar_count(stance, int(n), int(total))]
                        for f, t, label, n, total in zip(
                            part["date_from"], part["date_to"], part["label"], part["statements"], part["total"], strict=True
                        )
                    ],
                    "hovertemplate": bar_hover(lane_label(group, names)),
                    "meta": {"role": "bars", "stance": stance, "group": group, "lane": lane_label(group, names)},
                }
            )
            bar_rows.append(i)
            first = False
    if bars:
        figure.add_traces(bars, rows=bar_rows, cols=[1] * len(bar_rows))
    start = table["period"].min()
    end = table["period_end"].max() + pd.Timedelta(days=1)
    pad = (end - start) * 0.02
    tallest = table.groupby("group")["total"].max() if not share else None
    axes: dict[str, dict] = {}
    titles: list[dict] = []
    for i, group in enumerate(groups, start=1):
        subplot = figure.get_subplot(i, 1)
        top = int(tallest.get(group, 1)) if tallest is not None else 100
        axes[subplot.yaxis.plotly_name] = {
            "fixedrange": True,
            "range": [0, 100] if share else [0, top * 1.08],
            "ticksuffix": "%" if share else "",
            "tickformat": "d",
            "dtick": 50 if share else max(1, math.ceil(top / 3)),
        }
        axes[subplot.xaxis.plotly_name] = {"type": "date", "range": [start - pad, end + pad]}
        # each row's name above it on the left, clear of the event labels on top
        titles.append(
            {
                "text": lane_label(group, names),
                "x": 0,
                "xanchor": "left",
                "xref": "paper",
                "y": subplot.yaxis.domain[1],
                "yanchor": "bottom",
                "yref": "paper",
                "showarrow": False,
                "font": {"size": 12},
            }
        )
    lines, labels = _events(events)
    top = 50 + (7 * EVENT_LABEL_CHARS if events is not None and not events.empty else 0)
    figure.update_layout(
        axes,
        annotations=titles + labels,
        shapes=lines,
        barmode="stack",
        bargap=0.1,
        legend={"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom", "x": 0, "title": None},
        hovermode="closest",
        height=ROW_HEIGHT * len(groups) + top + 90,
        margin={"l": 10, "r": 10, "t": top, "b": 60},
        meta={
            "groups": groups,
            "interval": interval,
            "measure": measure,
            "group_title": group_title,
        },
    )
    return fit_margins(figure)


def _events(events: pd.DataFrame | None) -> tuple[list[dict], list[dict]]:
    """The context events' marks: a dotted line per period with events, and a label on top of the first ones
    (their titles on hover). Returns the layout's shapes and annotations.

    The lines are one shape, a path of a segment per period: a shape each (Plotly validates each one in
    Python, and the browser draws each as its own element) took 0.2 s of a run for a hundred periods. Over a
    date axis a path's x is in milliseconds since the epoch, as Plotly's docs ask.
    """
    if events is None or events.empty:
        return [], []
    segments: list[str] = []
    labels: list[dict] = []
    for i, row in enumerate(events.itertuples(index=False)):
        middle = row.period + (row.period_end + pd.Timedelta(days=1) - row.period) / 2
        at = (middle - EPOCH) // pd.Timedelta(milliseconds=1)  # whatever the column's unit
        segments.append(f"M{at},0L{at},1")
        if i >= MAX_EVENT_LABELS:
            continue
        titles = list(row.titles)
        label = titles[0] if row.events == 1 else f"{row.events} events"
        hover = "<br>".join(escape_plotly(t, limit=100) for t in titles)
        if row.events > len(titles):
            hover += f"<br>… and {row.events - len(titles)} more"
        labels.append(
            {
                "x": middle,
                "xref": "x",
                "y": 1,
                "yref": "paper",
                "yanchor": "bottom",
                "text": escape_plotly(label, limit=EVENT_LABEL_CHARS),
                "yshift": 20,
                "textangle": -90,
                "showarrow": False,
                "font": {"size": 10, "color": "#333333"},
                "hovertext": f"<b>{escape_plotly(row.label)}</b><br>{hover}",
                "name": "event",
            }
        )
    lines = {
        "type": "path",
        "path": "".join(segments),
        "xref": "x",
        "yref": "paper",
        "line": {"color": EVENT_LINE, "width": 1, "dash": "dot"},
        "layer": "below",
        "name": "events",
    }
    return [lines], labels
