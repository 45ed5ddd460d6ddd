"""Figures of the Compare page and the actor profile: stance over time per subject, shares of topics or countries,
and the profile's timeline drawn from the engine's groups.

Pure builders (aggregated frames in, go.Figure out). Subjects are told apart by colour *and* bar pattern,
stances by colour *and* pattern, so that colour is never the only cue; every label from the data is escaped.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from claimscope.figures.common import STANCE_COLOURS, STANCE_ORDER, STANCE_PATTERNS, empty_figure, fit_margins
from claimscope.figures.timeline import EVENTS_LANE, _add_aggregated, add_events_lane, drawn_points, lane_label, lanes_layout
from claimscope.text import escape_plotly
from claimscope.views.compare import PeriodCounts
from claimscope.views.timeline import TimelineEvents

#: Okabe–Ito colours the stances do not use, one per subject, with a pattern each as the second cue
SUBJECT_COLOURS = ("#56B4E9", "#009E73", "#000000", "#F0E442")
SUBJECT_PATTERNS = ("", "/", "x", ".")
LABEL_CHARS = 48
ROW_HEIGHT = 170


def subject_style(index: int) -> dict:
    """The colour and pattern of the ``index``-th subject: white hatching over the colour, a dark outline around it."""
    return {
        "color": SUBJECT_COLOURS[index % len(SUBJECT_COLOURS)],
        "pattern": {
            "shape": SUBJECT_PATTERNS[index % len(SUBJECT_PATTERNS)],
            "fillmode": "overlay",
            "fgcolor": "#FFFFFF",
            "size": 6,
        },
        "line": {"color": "#333333", "width": 1},
    }


def stance_over_time_figure(counts: PeriodCounts, subjects: list[str], labels: dict[str, str] | None = None) -> go.Figure:
    """One row of stacked bars per subject (statements per month or year, one segment per stance), same axes.

    ``counts`` is :func:`claimscope.views.compare.stance_over_time`. Every row shares the date axis and the count
    axis, so that a taller bar is more statements whatever the subject. A row's title says how many of its
    statements were dated too coarsely for the period (they are not drawn, never narrowed).
    """
    table = counts.counts
    if table.empty:
        return empty_figure("No dated statement matches the filters.")
    labels = labels or {}
    titles = []
    for subject in subjects:
        title = escape_plotly(labels.get(subject, subject), limit=LABEL_CHARS)
        coarse = int(counts.too_coarse.get(subject, 0))
        if coarse:
            title += f" · {coarse} dated only to the year, not drawn by month"
        titles.append(title)
    figure = make_subplots(
        rows=len(subjects), cols=1, shared_xaxes=True, subplot_titles=titles, vertical_spacing=0.12 / len(subjects) + 0.04
    )
    stacked = table.groupby(["subject", "start"])["statements"].sum()
    top = int(stacked.max()) if len(stacked) else 1
    shown_in_legend: set[str] = set()
    for row, subject in enumerate(subjects, start=1):
        rows = table.loc[table["subject"] == subject]
        for stance in STANCE_ORDER:
            part = rows.loc[rows["stance"] == stance]
            if part.empty:
                continue
            middles = part["start"] + (part["end"] - part["start"]) / 2
            widths = ((part["end"] - part["start"]).dt.total_seconds() * 1000 * 0.85).tolist()
            figure.add_bar(
                row=row,
                col=1,
                name=stance,
                legendgroup=stance,
                showlegend=stance not in shown_in_legend,
                x=middles,
                y=part["statements"],
                width=widths,
                marker={"color": STANCE_COLOURS[stance], "pattern": {"shape": STANCE_PATTERNS[stance]}},
                customdata=list(part["period"]),
                hovertemplate=f"<b>{titles[row - 1]}</b><br>%{{customdata}}: %{{y}} {stance}<extra></extra>",
                legendrank=100 + STANCE_ORDER.index(stance),
                meta={"role": "stance", "subject": subject},
            )
            shown_in_legend.add(stance)
    figure.update_yaxes(range=[0, top * 1.1], title_text="statements", rangemode="tozero")
    # one period of margin either side, so that a single month is a bar and not the whole axis
    margin = pd.Timedelta(days=31 if counts.period == "month" else 366)
    figure.update_xaxes(type="date", range=[table["start"].min() - margin, table["end"].max() + margin])
    figure.update_layout(
        barmode="stack",
        bargap=0,
        legend={"title": "stance", "orientation": "h", "yref": "container", "y": 1, "yanchor": "top", "x": 0},
        height=ROW_HEIGHT * len(subjects) + 110,
        margin={"l": 10, "r": 10, "t": 70, "b": 10},
        meta={"period": counts.period, "subjects": len(subjects), "top": top},
    )
    return fit_margins(figure)


def shares_figure(
    table: pd.DataFrame,
    subjects: list[str],
    labels: dict[str, str] | None = None,
    value_labels: dict[str, str] | None = None,
    *,
    measure: str = "share",
    noun: str = "statements",
) -> go.Figure:
    """Horizontal bars per value (topic, country spoken about), one bar per subject side by side.

    ``table`` is :func:`claimscope.views.compare.shares` (``subject, value, statements, total, share``). With
    ``measure="share"`` the bars are each subject's percentage of its own statements (one scale for subjects
    of any volume); with ``"statements"`` the counts. The hover always gives both.
    """
    if table.empty:
        return empty_figure(f"No {noun} to show.")
    labels = labels or {}
    value_labels = value_labels or {}
    order = table.groupby("value", sort=False)["statements"].sum()
    values = sorted(order.index, key=lambda v: (-order[v], v))
    y_text = {v: escape_plotly(value_labels.get(v, v), limit=LABEL_CHARS) for v in values}
    figure = go.Figure()
    for index, subject in enumerate(subjects):
        rows = table.loc[table["subject"] == subject].set_index("value").reindex(values)
        if rows["total"].isna().all():
            continue
        name = escape_plotly(labels.get(subject, subject), limit=LABEL_CHARS)
        x = rows["share"].fillna(0) * 100 if measure == "share" else rows["statements"].fillna(0)
        hover = [
            f"<b>{name}</b><br>{y_text[v]}: {int(n)} of {int(t)} statements ({s:.0%})"
            for v, n, t, s in zip(
                values, rows["statements"].fillna(0), rows["total"].fillna(0), rows["share"].fillna(0), strict=True
            )
        ]
        figure.add_bar(
            name=name,
            y=[y_text[v] for v in values],
            x=x,
            orientation="h",
            marker=subject_style(index),
            hovertext=hover,
            hovertemplate="%{hovertext}<extra></extra>",
            meta={"role": "share", "subject": subject},
        )
    figure.update_layout(
        barmode="group",
        yaxis={"autorange": "reversed", "title": None},
        xaxis={"title": "% of the subject's statements" if measure == "share" else "statements", "rangemode": "tozero"},
        legend={"title": None, "orientation": "h", "yref": "container", "y": 1, "yanchor": "top", "x": 0},
        showlegend=len(subjects) > 1,
        height=max(220, (14 * len(subjects) + 14) * len(values) + 120),
        margin={"l": 10, "r": 10, "t": 50 if len(subjects) > 1 else 20, "b": 10},
        meta={"measure": measure},
    )
    return fit_margins(figure)


def grouped_timeline_figure(
    groups: pd.DataFrame,
    lanes: pd.Series,
    statements: int,
    first_start: pd.Timestamp,
    last_end: pd.Timestamp,
    events: pd.DataFrame | TimelineEvents | None = None,
    *,
    lane_title: str = "speaker country",
    names: dict[str, str] | None = None,
) -> go.Figure:
    """:func:`claimscope.figures.timeline.timeline_figure` past its limit of points, drawn from the groups alone.

    ``groups`` is :func:`claimscope.views.timeline.aggregate_points` of the statements (counted in the engine),
    ``lanes`` their number per lane, ``statements`` how many there are, ``first_start`` and ``last_end`` their
    dates' range: the same figure as ``timeline_figure`` of the points would be (a test holds the two
    together), without the points ever leaving the engine.
    """
    if not statements or groups.empty:
        return empty_figure("No dated statement matches the filters.")
    ordered = sorted(lanes.index, key=lambda lane: (-lanes[lane], lane))
    y_of = {lane: i for i, lane in enumerate(ordered)}
    figure = go.Figure()
    _add_aggregated(figure, groups, y_of)
    tick_vals = list(range(len(ordered)))
    tick_text = [lane_label(lane, names) for lane in ordered]
    if add_events_lane(figure, events, bottom=len(ordered) - 0.5):
        tick_vals = [-1, *tick_vals]
        tick_text = [f"<i>{EVENTS_LANE}</i>", *tick_text]
    pad = max((last_end - first_start) * 0.05, pd.Timedelta(days=15))
    figure.update_layout(
        **lanes_layout((first_start - pad, last_end + pad), tick_vals, tick_text, lane_title, drawn_points(figure)),
        meta={"aggregated": True, "statements": statements, "lanes": len(ordered)},
    )
    return fit_margins(figure)
