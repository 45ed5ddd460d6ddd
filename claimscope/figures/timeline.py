"""Timeline charts: statements by date in lanes (precision drawn as spans), context events, reaction latency."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from claimscope.figures.common import EVENT_COLOUR, STANCE_COLOURS, STANCE_ORDER, STANCE_SYMBOLS, empty_figure, fit_margins
from claimscope.text import escape_plotly
from claimscope.views.timeline import (
    MAX_LATENCY_POINTS,
    MAX_POINTS,
    LatencyView,
    TimelineEvents,
    TimelineMarks,
    latency_view,
    period_unit,
    timeline_events,
    timeline_marks,
)

EVENTS_LANE = "context events"
#: vertical guide lines are drawn for at most this many events (the events lane shows them all)
MAX_EVENT_GUIDES = 100
#: the range slider under a chart of lanes redraws every trace a second time: past this many drawn points (a
#: span counts three: its two ends and the gap) it is left out, and the date range is set with the buttons above
#: the chart or by dragging across it. bench/figure_draw_times.py measured it in Chromium: about 35 ms plus
#: 0.1-0.3 ms a point; 390 ms more on the curated Timeline (1,210 points), 240-820 ms more at 1M claims.
MAX_SLIDER_POINTS = 400
JITTER_SLOTS = 5
JITTER_STEP = 0.13
SUMMARY_CHARS = 160
LABEL_CHARS = 32
GUIDE_COLOUR = "#BBBBBB"


def lane_label(lane: str, names: dict[str, str] | None) -> str:
    """``Russia (RUS)`` when the code has a different name, else the lane itself (escaped)."""
    name = (names or {}).get(lane)
    if not name or name == lane:
        return escape_plotly(lane, limit=LABEL_CHARS)
    short = name if len(name) <= LABEL_CHARS else name[: LABEL_CHARS - 1] + "…"
    return escape_plotly(f"{short} ({lane})", limit=LABEL_CHARS + 20)


def _jitter(points: pd.DataFrame) -> np.ndarray:
    """A small, deterministic vertical offset per statement inside its lane, so coinciding dates stay apart."""
    rank = points.groupby("lane", sort=False).cumcount().to_numpy()
    return ((rank % JITTER_SLOTS) - (JITTER_SLOTS // 2)) * JITTER_STEP


def _span_text(start: pd.Timestamp, end: pd.Timestamp) -> str:
    return f"{start:%Y-%m-%d} to {end:%Y-%m-%d}"


def _statement_hover(row) -> str:
    precision = row.date_precision or "unknown"
    when = escape_plotly(f"{row.date} ({precision} precision")
    if precision != "day":
        when += escape_plotly(f": {_span_text(row.date_start, row.date_end)}")
    when += ")"
    summary = escape_plotly(row.summary, limit=SUMMARY_CHARS) if isinstance(row.summary, str) and row.summary else "(no summary)"
    return (
        f"<b>{escape_plotly(row.speaker, limit=80)}</b> · {escape_plotly(row.speaker_country or 'no country', limit=40)}<br>"
        f"{when}<br>{escape_plotly(row.stance)} · {escape_plotly(row.kind)} · {escape_plotly(row.claim_id, limit=60)}<br>"
        f"{summary}"
    )


def _span_xy(starts, ends, ys) -> tuple[list, list]:
    xs: list = []
    yy: list = []
    for start, end, y in zip(starts, ends, ys, strict=True):
        xs += [start, end, None]
        yy += [y, y, None]
    return xs, yy


def _repeat_ends(values: list) -> list:
    """Each value for the start and end point of its span, and None for the gap."""
    out: list = []
    for value in values:
        out += [value, value, None]
    return out


def timeline_figure(
    points: pd.DataFrame | TimelineMarks,
    events: pd.DataFrame | TimelineEvents | None = None,
    *,
    lane_title: str = "speaker country",
    names: dict[str, str] | None = None,
    x_range: tuple[pd.Timestamp, pd.Timestamp] | None = None,
    max_points: int = MAX_POINTS,
) -> go.Figure:
    """Statements by date, one lane each: the marks of :func:`claimscope.views.timeline.timeline_marks` (or the
    rows of :func:`claimscope.views.timeline.timeline_points`, whose marks are then taken with ``max_points``).

    A day-precise statement is a point; a month- or year-precise one a segment from its first to its last
    day, with the stance symbol at both ends. Colour *and* symbol give the stance. Points carry their
    ``claim_id`` in ``customdata`` (for selection). Aggregated marks show counts per lane, period and
    stance instead (no statement ids). Context events get their own lane on top and a dotted guide
    line; past :data:`claimscope.views.timeline.MAX_EVENTS` they are counted per period too.
    """
    marks = points if isinstance(points, TimelineMarks) else timeline_marks(points, max_points)
    if marks.empty:
        return empty_figure("No dated statement matches the filters.")
    lanes = list(marks.lanes)
    y_of = {lane: i for i, lane in enumerate(lanes)}
    figure = go.Figure()
    if marks.groups is not None:
        _add_aggregated(figure, marks.groups, y_of)
    else:
        _add_statements(figure, marks.points, y_of)

    tick_vals = list(range(len(lanes)))
    tick_text = [lane_label(lane, names) for lane in lanes]
    if add_events_lane(figure, events, bottom=len(lanes) - 0.5):
        tick_vals = [-1, *tick_vals]
        tick_text = [f"<i>{EVENTS_LANE}</i>", *tick_text]

    if x_range is None:
        start, end = marks.first, marks.last
        pad = max((end - start) * 0.05, pd.Timedelta(days=15))
        x_range = (start - pad, end + pad)
    figure.update_layout(
        **lanes_layout(x_range, tick_vals, tick_text, lane_title, drawn_points(figure)),
        meta={"aggregated": marks.aggregated, "statements": marks.statements, "lanes": len(lanes)},
    )
    return fit_margins(figure)


def drawn_points(figure: go.Figure) -> int:
    """How many points the figure's traces draw (a span's two ends and its gap count as the three they are)."""
    return sum(len(trace.x) for trace in figure.data if getattr(trace, "x", None) is not None)


def lanes_layout(x_range: tuple, tick_vals: list, tick_text: list, lane_title: str | None, points: int = 0) -> dict:
    """The layout of a chart of lanes over dates: a date axis with its range selector (and its range slider up
    to :data:`MAX_SLIDER_POINTS` drawn ``points``), the lanes down (first on top), the legend above. Shared by
    the Timeline and the actor profile's grouped timeline."""
    return {
        "xaxis": {
            "type": "date",
            "range": [x_range[0], x_range[1]],
            "rangeslider": {"visible": points <= MAX_SLIDER_POINTS, "thickness": 0.08, "bgcolor": "#F5F5F5"},
            "rangeselector": {
                "x": 0,
                "y": 1.0,
                "yanchor": "bottom",
                "buttons": [
                    {"count": 1, "label": "1m", "step": "month", "stepmode": "backward"},
                    {"count": 6, "label": "6m", "step": "month", "stepmode": "backward"},
                    {"count": 1, "label": "1y", "step": "year", "stepmode": "backward"},
                    {"step": "all", "label": "all"},
                ],
            },
            "title": None,
        },
        "yaxis": {
            "tickvals": tick_vals,
            "ticktext": tick_text,
            "autorange": "reversed",
            "range": None,
            "title": lane_title,
            "zeroline": False,
            "fixedrange": True,
        },
        "legend": {"title": None, "orientation": "h", "yref": "container", "y": 1, "yanchor": "top", "x": 0},
        "hovermode": "closest",
        "height": max(360, 34 * (len(tick_vals)) + 240),
        "margin": {"l": 10, "r": 10, "t": 90, "b": 10},
    }


def _add_statements(figure: go.Figure, points: pd.DataFrame, y_of: dict[str, int]) -> None:
    frame = points.assign(y=points["lane"].map(y_of).to_numpy() + _jitter(points))
    frame = frame.assign(hover=[_statement_hover(row) for row in frame.itertuples(index=False)])
    for stance in STANCE_ORDER:
        rows = frame.loc[frame["stance"] == stance]
        if rows.empty:
            continue
        day = rows.loc[rows["date_precision"] == "day"]
        span = rows.loc[rows["date_precision"] != "day"]
        marker = {
            "color": STANCE_COLOURS[stance],
            "symbol": STANCE_SYMBOLS[stance],
            "size": 10,
            "line": {"width": 1, "color": "#333333"},
        }
        if not day.empty:
            figure.add_scatter(
                name=stance,
                legendgroup=stance,
                x=day["date_start"],
                y=day["y"],
                mode="markers",
                marker=marker,
                customdata=[[cid] for cid in day["claim_id"]],
                hovertext=list(day["hover"]),
                hovertemplate="%{hovertext}<extra></extra>",
                meta={"role": "statements", "precision": "day"},
            )
        if not span.empty:
            xs, ys = _span_xy(span["date_start"], span["date_end"], span["y"])
            figure.add_scatter(
                name=stance,
                legendgroup=stance,
                showlegend=day.empty,
                x=xs,
                y=ys,
                mode="lines+markers",
                line={"color": STANCE_COLOURS[stance], "width": 4},
                marker={**marker, "size": 8},
                opacity=0.85,
                connectgaps=False,
                customdata=_repeat_ends([[cid] for cid in span["claim_id"]]),
                hovertext=_repeat_ends(list(span["hover"])),
                hovertemplate="%{hovertext}<extra></extra>",
                meta={"role": "statements", "precision": "span"},
            )


def _add_aggregated(figure: go.Figure, groups: pd.DataFrame, y_of: dict[str, int]) -> None:
    slot = {stance: (i - (len(STANCE_ORDER) - 1) / 2) * 0.12 for i, stance in enumerate(STANCE_ORDER)}
    top = max(int(groups["statements"].max()), 1)
    for stance in STANCE_ORDER:
        rows = groups.loc[groups["stance"] == stance]
        if rows.empty:
            continue
        ys = rows["lane"].map(y_of).to_numpy() + slot[stance]
        middles = rows["start"] + (rows["end"] - rows["start"]) / 2
        hover = [
            f"<b>{escape_plotly(lane, limit=80)}</b><br>{escape_plotly(period)} ({period_unit(period)})"
            f"<br>{n} {escape_plotly(stance)} statement{'s' if n != 1 else ''}"
            for lane, period, n in zip(rows["lane"], rows["period"], rows["statements"], strict=True)
        ]
        xs, yy = _span_xy(rows["start"], rows["end"], ys)
        figure.add_scatter(
            name=stance,
            legendgroup=stance,
            showlegend=False,
            x=xs,
            y=yy,
            mode="lines",
            line={"color": STANCE_COLOURS[stance], "width": 2},
            opacity=0.5,
            hoverinfo="skip",
            meta={"role": "aggregate-span"},
        )
        figure.add_scatter(
            name=stance,
            legendgroup=stance,
            x=middles,
            y=ys,
            mode="markers",
            marker={
                "color": STANCE_COLOURS[stance],
                "symbol": STANCE_SYMBOLS[stance],
                "size": 6 + 24 * np.sqrt(rows["statements"].to_numpy() / top),
                "line": {"width": 1, "color": "#333333"},
            },
            text=[str(n) for n in rows["statements"]],
            hovertext=hover,
            hovertemplate="%{hovertext}<extra></extra>",
            meta={"role": "aggregate"},
        )


def add_events_lane(figure: go.Figure, events: pd.DataFrame | TimelineEvents | None, bottom: float) -> bool:
    """Draw the context events in their own lane on top (y = -1), with guides down to ``bottom``; say whether any were.

    A frame of events is bounded first (:func:`claimscope.views.timeline.timeline_events`): past
    :data:`claimscope.views.timeline.MAX_EVENTS` they are counted per period, one mark each, so that however
    many events a chart answers, the browser draws a bounded number of marks.
    """
    if events is not None and not isinstance(events, TimelineEvents):
        events = timeline_events(events)
    if events is None or events.empty:
        return False
    if events.groups is not None:
        _add_event_groups(figure, events.groups, top=-1, bottom=bottom)
    else:
        _add_events(figure, events.rows, top=-1, bottom=bottom)
    return True


def _event_hover(row) -> str:
    when = escape_plotly(row.date)
    if isinstance(row.end_date, str) and row.end_date:
        when += " to " + escape_plotly(row.end_date)
    precision = escape_plotly(row.date_precision or "unknown")
    return f"<b>{escape_plotly(row.title, limit=120)}</b><br>{when} ({precision} precision)<br>{escape_plotly(row.event_id, limit=60)}"


def _add_events(figure: go.Figure, events: pd.DataFrame, top: float, bottom: float) -> None:
    frame = events.loc[events["date_start"].notna()].copy()
    if "end_date" not in frame:
        frame["end_date"] = ""
    frame["hover"] = [_event_hover(row) for row in frame.itertuples(index=False)]
    is_span = (frame["date_end"] > frame["date_start"]).to_numpy()
    _add_event_guides(figure, frame["date_start"].head(MAX_EVENT_GUIDES), top, bottom)
    spans = frame.loc[is_span]
    if not spans.empty:
        xs, ys = _span_xy(spans["date_start"], spans["date_end"], [top] * len(spans))
        figure.add_scatter(
            name="context event (range)",
            legendgroup="events",
            x=xs,
            y=ys,
            mode="lines+markers",
            line={"color": EVENT_COLOUR, "width": 4},
            marker={"color": EVENT_COLOUR, "symbol": "line-ns", "size": 12, "line": {"width": 2, "color": EVENT_COLOUR}},
            hovertext=_repeat_ends(list(spans["hover"])),
            hovertemplate="%{hovertext}<extra></extra>",
            meta={"role": "events", "precision": "span"},
        )
    days = frame.loc[~is_span]
    if not days.empty:
        figure.add_scatter(
            name="context event",
            legendgroup="events",
            x=days["date_start"],
            y=[top] * len(days),
            mode="markers",
            marker={"color": EVENT_COLOUR, "symbol": "star", "size": 12},
            hovertext=list(days["hover"]),
            hovertemplate="%{hovertext}<extra></extra>",
            meta={"role": "events", "precision": "day"},
        )


def _add_event_guides(figure: go.Figure, starts: pd.Series, top: float, bottom: float) -> None:
    """A dotted vertical guide from the events lane down through the lanes at each start, as one trace."""
    gx, gy = _span_xy(starts, starts, [top] * len(starts))
    gy = [None if v is None else (top if i % 3 == 0 else bottom) for i, v in enumerate(gy)]
    figure.add_scatter(
        x=gx,
        y=gy,
        mode="lines",
        line={"color": GUIDE_COLOUR, "width": 1, "dash": "dot"},
        hoverinfo="skip",
        showlegend=False,
        meta={"role": "event-guides"},
    )


def _add_event_groups(figure: go.Figure, groups: pd.DataFrame, top: float, bottom: float) -> None:
    """Too many events to draw one by one: one mark per period, sized by how many events it holds."""
    _add_event_guides(figure, groups["start"].head(MAX_EVENT_GUIDES), top, bottom)
    largest = max(int(groups["events"].max()), 1)
    hover = [
        f"<b>{n} context event{'s' if n != 1 else ''}</b><br>{escape_plotly(period)} ({period_unit(period)})"
        for period, n in zip(groups["period"], groups["events"], strict=True)
    ]
    figure.add_scatter(
        name="context events (count)",
        legendgroup="events",
        x=groups["start"] + (groups["end"] - groups["start"]) / 2,
        y=[top] * len(groups),
        mode="markers",
        marker={"color": EVENT_COLOUR, "symbol": "star", "size": 6 + 18 * np.sqrt(groups["events"].to_numpy() / largest)},
        text=[str(n) for n in groups["events"]],
        hovertext=hover,
        hovertemplate="%{hovertext}<extra></extra>",
        meta={"role": "event-groups"},
    )


def latency_figure(
    latency: pd.DataFrame | LatencyView,
    summary: pd.DataFrame | None = None,
    names: dict[str, str] | None = None,
    max_points: int = MAX_LATENCY_POINTS,
) -> go.Figure:
    """Days from the answered statement or event to each reaction, one row per speaker country.

    Takes the bounded :class:`claimscope.views.timeline.LatencyView` (or the rows of
    :func:`claimscope.views.timeline.reaction_latency`, whose view is then taken with ``max_points``). Only
    reactions whose both dates are known to the day are drawn: a box per country, given as its five
    numbers (so that the chart never ships every value), and the points, stance by colour and symbol;
    each row's label says how many were too coarse to count. Past ``max_points`` timed reactions only the
    boxes are drawn (every country gets one), so the chart never ships thousands of points.
    """
    view = latency if isinstance(latency, LatencyView) else latency_view(latency, max_points)
    summary = view.summary if summary is None else summary
    if view.counted == 0:
        if view.empty:
            return empty_figure("No reaction among these statements answers a dated statement or event.")
        return empty_figure(f"{view.reactions} reaction(s), but none can be timed to the day (dates too coarse).")
    countries = list(summary["speaker_country"])
    y_of = {c: i for i, c in enumerate(countries)}
    labels = [
        f"{lane_label(row['speaker_country'], names)} · {int(row['counted'])} counted, {int(row['too coarse'])} too coarse"
        for _, row in summary.iterrows()
    ]
    figure = go.Figure()
    boxes_only = view.boxes_only
    drawn = view.boxes if boxes_only else view.boxes.loc[view.boxes["counted"] >= 4]
    if not drawn.empty:
        # every box in one trace, each given as its five numbers at its country's row (a trace per box cost the
        # browser a trace's setup each: sixty countries drew in 81 ms, in one trace 53 ms)
        figure.add_box(
            y=[y_of[country] for country in drawn["speaker_country"]],
            q1=list(drawn["q1"]),
            median=list(drawn["median"]),
            q3=list(drawn["q3"]),
            lowerfence=list(drawn["lowerfence"]),
            upperfence=list(drawn["upperfence"]),
            orientation="h",
            boxpoints=False,
            line={"color": "#555555", "width": 1},
            fillcolor="rgba(0,0,0,0)",
            showlegend=False,
            hoverinfo="skip",
            name="boxes",
            meta={"role": "box", "countries": [str(c) for c in drawn["speaker_country"]]},
        )
    if boxes_only:
        figure.update_layout(
            title={"text": f"{view.reactions:,} reactions: boxes only (too many to draw one by one)", "font": {"size": 13}}
        )
    counted = view.points
    counted = counted.assign(
        y=counted["speaker_country"].map(y_of).to_numpy()
        + ((counted.groupby("speaker_country").cumcount().to_numpy() % JITTER_SLOTS) - JITTER_SLOTS // 2) * 0.08
    )
    for stance in STANCE_ORDER:
        rows = counted.loc[counted["stance"] == stance]
        if rows.empty:
            continue
        hover = [
            f"<b>{escape_plotly(r.speaker, limit=80)}</b> · {escape_plotly(r.claim_id, limit=60)}<br>"
            f"{escape_plotly(r.date)}: {int(r.days)} day(s) after {escape_plotly(r.target_kind)} "
            f"{escape_plotly(r.responds_to, limit=60)} ({escape_plotly(r.target_date)})"
            for r in rows.itertuples(index=False)
        ]
        figure.add_scatter(
            name=stance,
            x=rows["days"].astype(float),
            y=rows["y"],
            mode="markers",
            marker={
                "color": STANCE_COLOURS[stance],
                "symbol": STANCE_SYMBOLS[stance],
                "size": 10,
                "line": {"width": 1, "color": "#333333"},
            },
            customdata=[[cid] for cid in rows["claim_id"]],
            hovertext=hover,
            hovertemplate="%{hovertext}<extra></extra>",
            meta={"role": "latency"},
        )
    figure.update_layout(
        xaxis={
            "title": "days from the statement or event answered to the reaction",
            "range": [-0.5, max(1.0, view.max_days if view.max_days is not None else 1.0) * 1.05 + 0.5],
        },
        # the rows need no grid or zero line (plotly.js draws none on a box plot's rows; said here, since the theme
        # is written into the figure's layout, where a grid colour would turn them on: claimscope.figures.browser)
        yaxis={
            "tickvals": list(range(len(countries))),
            "ticktext": labels,
            "range": [len(countries) - 0.5, -0.5],
            "title": None,
            "showgrid": False,
            "zeroline": False,
        },
        legend={"title": "stance", "orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
        height=max(260, 40 * len(countries) + 140),
        # a legend (two stances or more) above the plot: its title and entries take the top
        margin={"l": 10, "r": 10, "t": 86 if counted["stance"].nunique() > 1 else 40, "b": 10},
    )
    return fit_margins(figure)
