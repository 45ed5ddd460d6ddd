"""The reaction cascade: dates across, speaker countries down, an arrow from each reaction to what it answers.

Built from :func:`claimscope.views.cascade.reaction_cascade` and :func:`claimscope.views.cascade.cascade_layout`.
Stance by colour *and* symbol; the event a thread answers is a black star. Statement nodes carry their
``claim_id`` in ``customdata`` (a click opens the claim); nodes the filters hide are drawn faded.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from claimscope.figures.common import EVENT_COLOUR, STANCE_COLOURS, STANCE_ORDER, STANCE_SYMBOLS, empty_figure, fit_margins
from claimscope.figures.timeline import lane_label
from claimscope.text import escape_plotly
from claimscope.views.cascade import EVENT_STANCE, cascade_layout

ARROW_COLOUR = "#555555"
SELECTED_COLOUR = "#000000"
LANE_SHADE = "#F3F3F3"
FADED = 0.3
ROW_HEIGHT = 30
#: a cascade of many rows draws them thinner, down to MIN_ROW_HEIGHT, to keep its rows within this many pixels: at
#: 300 nodes in a hundred rows it reads on two screens, not four
TALL_CASCADE_PX = 1500
#: a root's mark (18 px) fits its row; a reaction's is 12 px
MIN_ROW_HEIGHT = 18
SUMMARY_CHARS = 160


def row_height(rows: int) -> int:
    """The height in pixels of one row of a cascade of ``rows`` rows: :data:`ROW_HEIGHT` while they fit in
    :data:`TALL_CASCADE_PX`, thinner past it, never under :data:`MIN_ROW_HEIGHT`."""
    return max(MIN_ROW_HEIGHT, min(ROW_HEIGHT, TALL_CASCADE_PX // max(rows, 1)))


def _hover(row, parent_labels: dict[str, str]) -> str:
    when = escape_plotly(f"{row.date} ({row.date_precision or 'unknown'} precision)")
    if row.date_precision != "day" and row.node_kind == "claim":
        when += "<br><i>the day is unknown: drawn inside its band</i>"
    head = f"<b>{escape_plotly(row.speaker, limit=80)}</b>"
    if row.node_kind == "event":
        head = f"<b>Event: {escape_plotly(row.speaker, limit=100)}</b>"
    elif row.speaker_country:
        head += f" · {escape_plotly(row.speaker_country, limit=40)}"
    lines = [head, when]
    if row.node_kind == "claim":
        lines.append(f"{escape_plotly(row.stance)} · {escape_plotly(row.node_id, limit=60)}")
    if row.parent_id:
        days = "" if pd.isna(row.days) else f", {int(row.days)} day(s) later"
        lines.append(f"answers {escape_plotly(parent_labels.get(row.parent_id, row.parent_id), limit=80)}{days}")
    if row.summary:
        lines.append(escape_plotly(row.summary, limit=SUMMARY_CHARS))
    if not row.in_view:
        lines.append("<i>outside the current filters</i>")
    return "<br>".join(lines)


def cascade_figure(nodes: pd.DataFrame, *, names: dict[str, str] | None = None, selected: str = "", note: str = "") -> go.Figure:
    """The cascade of ``nodes`` (:data:`claimscope.views.cascade.CASCADE_COLUMNS`), ``selected`` ringed."""
    if nodes.empty:
        return empty_figure("No such statement or event.")
    if len(nodes) == 1:
        return empty_figure("Nothing in the data answers this statement yet.")
    layout, bands = cascade_layout(nodes)
    frame = nodes.merge(layout, on="node_id", how="left")
    labels = {r.node_id: f"{r.speaker} ({r.date})" for r in frame.itertuples(index=False)}
    frame["hover"] = [_hover(r, labels) for r in frame.itertuples(index=False)]
    at = {r.node_id: (r.x, r.row) for r in frame.itertuples(index=False)}
    # the traces as plain values, given to Plotly at once (each add_scatter validates the figure's data again)
    traces: list[dict] = []

    # arrows: from each reaction to what it answers (the arrowhead at the answered node)
    xs: list = []
    ys: list = []
    sizes: list = []
    for r in frame.loc[frame["parent_id"] != ""].itertuples(index=False):
        if r.parent_id in at and pd.notna(r.x):
            px, py = at[r.parent_id]
            xs += [r.x, px, None]
            ys += [r.row, py, None]
            sizes += [0, 11, 0]
    if xs:
        traces.append(
            dict(
                type="scatter",
                x=xs,
                y=ys,
                mode="lines+markers",
                line={"color": ARROW_COLOUR, "width": 1.2},
                marker={"symbol": "arrow", "angleref": "previous", "size": sizes, "color": ARROW_COLOUR, "standoff": 8},
                hoverinfo="skip",
                showlegend=False,
                meta={"role": "arrows"},
            )
        )
    # a month- or year-precise date: a band over the days it could be on (not before what it answers)
    coarse = frame.loc[(frame["date_precision"] != "day") & frame["window_start"].notna()]
    if not coarse.empty:
        bx: list = []
        by: list = []
        for r in coarse.itertuples(index=False):
            bx += [r.window_start, r.window_end, None]
            by += [r.row, r.row, None]
        traces.append(
            dict(
                type="scatter",
                x=bx,
                y=by,
                mode="lines",
                line={"color": "rgba(0,0,0,0.13)", "width": 5},
                hoverinfo="skip",
                showlegend=False,
                meta={"role": "date-spans"},
            )
        )

    for stance in (*STANCE_ORDER, EVENT_STANCE):
        rows = frame.loc[frame["stance"] == stance]
        if rows.empty:
            continue
        is_event = stance == EVENT_STANCE
        traces.append(
            dict(
                type="scatter",
                name="context event" if is_event else stance,
                x=rows["x"],
                y=rows["row"],
                mode="markers",
                marker={
                    "color": EVENT_COLOUR if is_event else STANCE_COLOURS[stance],
                    "symbol": "star" if is_event else STANCE_SYMBOLS[stance],
                    "size": [18 if d == 0 else 12 for d in rows["depth"]],
                    "opacity": [1.0 if v else FADED for v in rows["in_view"]],
                    "line": {"width": 1, "color": "#333333"},
                },
                customdata=[
                    [node if kind == "claim" else ""] for node, kind in zip(rows["node_id"], rows["node_kind"], strict=True)
                ],
                hovertext=list(rows["hover"]),
                hovertemplate="%{hovertext}<extra></extra>",
                meta={"role": "nodes", "stance": stance},
            )
        )
    if selected and selected in at:
        sx, sy = at[selected]
        traces.append(
            dict(
                type="scatter",
                name="selected",
                x=[sx],
                y=[sy],
                mode="markers",
                marker={"symbol": "circle-open", "size": 26, "color": SELECTED_COLOUR, "line": {"width": 2.5}},
                hoverinfo="skip",
                showlegend=False,
                meta={"role": "selected"},
            )
        )

    figure = go.Figure(data=traces)
    rows_total = sum(n for _, _, n in bands)
    # every other lane shaded, as add_hrect would draw each band, given at once (one add_hrect per band costs
    # a layout validation each: 0.4 s for 30 lanes)
    shading = [
        {
            "type": "rect",
            "xref": "x domain",
            "yref": "y",
            "x0": 0,
            "x1": 1,
            "y0": first - 0.5,
            "y1": first + count - 0.5,
            "fillcolor": LANE_SHADE,
            "line": {"width": 0},
            "layer": "below",
        }
        for i, (_, first, count) in enumerate(bands)
        if i % 2 == 0
    ]
    start, end = frame["x"].min(), frame["x"].max()
    pad = max((end - start) * 0.06, pd.Timedelta(days=1)) if pd.notna(start) else pd.Timedelta(days=1)
    figure.update_layout(
        shapes=shading,
        xaxis={"type": "date", "range": [start - pad, end + pad], "title": None},
        yaxis={
            "tickvals": [first + (count - 1) / 2 for _, first, count in bands],
            "ticktext": [
                lane_label(lane, names) if lane in (names or {}) else escape_plotly(lane, limit=40) for lane, _, _ in bands
            ],
            "range": [rows_total - 0.5, -0.5],
            "zeroline": False,
            "showgrid": False,
            "fixedrange": True,
            "title": "speaker country",
        },
        legend={"orientation": "h", "yref": "container", "y": 1, "yanchor": "top", "x": 0, "title": None},
        hovermode="closest",
        height=max(300, row_height(rows_total) * rows_total + 150),
        margin={"l": 10, "r": 10, "t": 70 if note else 50, "b": 10},
        title={"text": escape_plotly(note), "font": {"size": 13}, "y": 0.97} if note else None,
        meta={"nodes": len(frame), "lanes": len(bands)},
    )
    return fit_margins(figure)
