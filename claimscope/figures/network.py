"""Country relations charts: a directed network, a speaker × about matrix and a map of capitals.

Edges are (speaker country → country spoken about) pairs from :func:`claimscope.relations.statement_pairs`:
width by the number of statements, colour by the prevailing stance *and* a dash style and a midpoint
symbol (colour is never the only cue). Plotly draws no arrows on lines, so each edge ends in an ``arrow``
marker turned along the line (``angleref="previous"``). Midpoint markers carry ``customdata`` [from, to]
for selection.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from claimscope.figures.common import STANCE_COLOURS, STANCE_SYMBOLS, UNLABELLED, empty_figure
from claimscope.relations import MIXED
from claimscope.text import escape_plotly

EDGE_COLOURS = {**STANCE_COLOURS, MIXED: "#009E73"}
EDGE_SYMBOLS = {**STANCE_SYMBOLS, MIXED: "hexagon"}
EDGE_DASHES = {
    "support": "solid",
    "oppose": "dash",
    "concern": "dot",
    "neutral": "dashdot",
    UNLABELLED: "longdash",
    MIXED: "longdashdot",
}
EDGE_ORDER = ("support", "oppose", "concern", "neutral", UNLABELLED, MIXED)
CURATED_COLOUR = "rgba(60, 60, 60, 0.28)"
NODE_SYMBOLS = {"state": "circle", "group": "square", "organization": "diamond", "unknown": "circle-open"}
NODE_FILL = "#F2F2F2"
FOCUS_FILL = "#F0E442"
WIDTH_BUCKETS = 6
#: the curated layer: a wide grey band per relation, and an open symbol per kind of relation at its middle
RELATION_SYMBOLS = {
    "alliance": "star-open",
    "partnership": "circle-open",
    "support": "triangle-up-open",
    "sanctions": "x-open",
    "conflict": "bowtie-open",
    "concern": "triangle-down-open",
    "diplomatic": "diamond-open",
}
MAX_CURATED_LABELS = 12
NODE_GAP = 0.06  # how far an edge stops short of a node, in layout units
PARALLEL_GAP = 0.025  # reciprocal edges A→B and B→A are drawn side by side
#: Okabe–Ito vermillion → white → blue: net stance from oppose/concern (−1) to support (+1)
NET_SCALE = [[0.0, "#D55E00"], [0.5, "#F7F7F7"], [1.0, "#0072B2"]]


def _label(code: str, names: dict[str, str] | None, limit: int = 60) -> str:
    name = (names or {}).get(code)
    return escape_plotly(f"{name} ({code})" if name and name != code else code, limit=limit)


def _width(statements: int, top: int) -> int:
    """1 to WIDTH_BUCKETS+1 px, by the square root of the share of the heaviest edge (buckets keep traces few)."""
    return 1 + math.ceil(WIDTH_BUCKETS * math.sqrt(statements / max(top, 1)))


def _pair_hover(row, names) -> str:
    counts = ", ".join(
        f"{getattr(row, s)} {s}" for s in ("support", "oppose", "concern", "neutral", UNLABELLED) if getattr(row, s, 0)
    )
    return (
        f"<b>{_label(row[0], names)} → {_label(row[1], names)}</b><br>"
        f"{row.statements} statement{'s' if row.statements != 1 else ''}: {escape_plotly(counts)}<br>"
        f"prevailing: {escape_plotly(row.prevailing)} · net stance {row.net:+.2f}"
    )


def _shifted(a: np.ndarray, b: np.ndarray, side: float, gap: float = NODE_GAP) -> tuple[np.ndarray, np.ndarray]:
    """The segment a→b moved sideways by ``side`` and shortened by ``gap`` at each end."""
    d = b - a
    length = float(np.hypot(*d)) or 1.0
    unit = d / length
    normal = np.array([unit[1], -unit[0]])
    cut = min(gap, length / 3)
    return a + unit * cut + normal * side, b - unit * cut + normal * side


def _edge(positions: dict, source: str, target: str, reciprocal: set) -> tuple[np.ndarray, np.ndarray]:
    side = PARALLEL_GAP if (source, target) in reciprocal else 0.0
    return _shifted(np.array(positions[source], dtype=float), np.array(positions[target], dtype=float), side)


def _edges_by_stance(pairs: pd.DataFrame, width_of: Callable[[int, int], int], names: dict[str, str] | None):
    """The pairs of each prevailing stance (in legend order), with their line width and hover text."""
    top = int(pairs["statements"].max())
    frame = pairs.assign(
        width=[width_of(int(n), top) for n in pairs["statements"]],
        hover=[_pair_hover(row, names) for row in pairs.itertuples(index=False)],
    )
    for stance in EDGE_ORDER:
        rows = frame.loc[frame["prevailing"] == stance]
        if not rows.empty:
            yield stance, rows


def _edge_handles(stance: str, rows: pd.DataFrame, size: int) -> dict:
    """The clickable middle symbol of each edge (network and map alike): stance symbol, pair in customdata."""
    return {
        "name": f"{stance} (statements)",
        "legendgroup": stance,
        "mode": "markers",
        "marker": {
            "symbol": EDGE_SYMBOLS[stance],
            "color": EDGE_COLOURS[stance],
            "size": size,
            "line": {"width": 1, "color": "#333333"},
        },
        "customdata": [[f, t] for f, t in zip(rows["from"], rows["to"], strict=True)],
        "hovertext": list(rows["hover"]),
        "hovertemplate": "%{hovertext}<extra></extra>",
        "meta": {"role": "edge-handles", "stance": stance},
    }


def network_figure(
    pairs: pd.DataFrame,
    positions: dict[str, tuple[float, float]],
    nodes: pd.DataFrame,
    *,
    names: dict[str, str] | None = None,
    curated: pd.DataFrame | None = None,
    focus: str | None = None,
    note: str = "",
) -> go.Figure:
    """The directed network: statement edges (and, when given, the curated relations as a second layer)."""
    pairs = pairs.loc[pairs["from"] != pairs["to"]] if not pairs.empty else pairs
    curated = curated if curated is not None and not curated.empty else None
    if pairs.empty and curated is None:
        return empty_figure("No statement links a speaker country to another country.")
    figure = go.Figure()
    reciprocal = set(zip(pairs["to"], pairs["from"], strict=True)) if not pairs.empty else set()
    if curated is not None:
        _add_curated(figure, curated, positions, names)
    if not pairs.empty:
        for stance, rows in _edges_by_stance(pairs, _width, names):
            for width, group in rows.groupby("width", sort=True):
                xs, ys, sizes = [], [], []
                for row in group.itertuples(index=False):
                    start, end = _edge(positions, row[0], row[1], reciprocal)
                    xs += [start[0], end[0], None]
                    ys += [start[1], end[1], None]
                    sizes += [0, 7 + 2 * int(width), 0]
                figure.add_scatter(
                    x=xs,
                    y=ys,
                    mode="lines+markers",
                    line={"color": EDGE_COLOURS[stance], "width": int(width), "dash": EDGE_DASHES[stance]},
                    marker={"symbol": "arrow", "angleref": "previous", "size": sizes, "color": EDGE_COLOURS[stance]},
                    hoverinfo="skip",
                    showlegend=False,
                    legendgroup=stance,
                    meta={"role": "edges", "stance": stance, "width": int(width)},
                )
            mids = [sum(_edge(positions, r[0], r[1], reciprocal)) / 2 for r in rows.itertuples(index=False)]
            figure.add_scatter(x=[m[0] for m in mids], y=[m[1] for m in mids], **_edge_handles(stance, rows, size=10))
    _add_nodes(figure, nodes, positions, names, focus)
    figure.update_layout(
        xaxis={"visible": False, "range": [-1.25, 1.25]},
        yaxis={"visible": False, "range": [-1.2, 1.2], "scaleanchor": "x", "scaleratio": 1},
        legend={"orientation": "h", "y": -0.02, "yanchor": "top", "x": 0},
        hovermode="closest",
        height=640,
        margin={"l": 10, "r": 10, "t": 30 if note else 10, "b": 10},
        title={"text": escape_plotly(note), "font": {"size": 13}} if note else None,
    )
    return figure


def _add_curated(figure: go.Figure, curated: pd.DataFrame, positions: dict, names: dict | None) -> None:
    drawn = curated.loc[
        curated["from"].isin(list(positions)) & curated["to"].isin(list(positions)) & (curated["from"] != curated["to"])
    ]
    if drawn.empty:
        return
    xs, ys, sizes, middles = [], [], [], []
    for row in drawn.itertuples(index=False):
        start, end = _shifted(
            np.array(positions[row[0]], dtype=float), np.array(positions[row[1]], dtype=float), -PARALLEL_GAP * 1.5
        )
        xs += [start[0], end[0], None]
        ys += [start[1], end[1], None]
        sizes += [0, 12 if row.directed else 0, 0]
        middles.append((start + end) / 2)
    figure.add_scatter(
        x=xs,
        y=ys,
        mode="lines+markers",
        line={"color": CURATED_COLOUR, "width": WIDTH_BUCKETS + 4},
        marker={"symbol": "arrow", "angleref": "previous", "size": sizes, "color": "#3C3C3C"},
        hoverinfo="skip",
        showlegend=False,
        legendgroup="curated",
        meta={"role": "curated"},
    )
    labelled = len(drawn) <= MAX_CURATED_LABELS
    drawn = drawn.assign(mx=[m[0] for m in middles], my=[m[1] for m in middles])
    for relation, rows in drawn.groupby("relation", sort=True):
        hovers = [
            f"<b>{escape_plotly(r.relation)}</b> (curated): {_label(r[0], names)} {'→' if r.directed else '↔'} {_label(r[1], names)}"
            f"<br>{escape_plotly(f'{r.start or chr(8230)} to {r.end or chr(8230)}')}<br>{escape_plotly(r.note or '', limit=200)}"
            for r in rows.itertuples(index=False)
        ]
        figure.add_scatter(
            name=f"{escape_plotly(relation, limit=20)} (curated)",
            legendgroup="curated",
            x=rows["mx"],
            y=rows["my"],
            mode="markers+text" if labelled else "markers",
            text=[escape_plotly(relation, limit=20)] * len(rows) if labelled else None,
            textposition="bottom center",
            textfont={"size": 10, "color": "#3C3C3C"},
            marker={
                "symbol": RELATION_SYMBOLS.get(str(relation), "square-open"),
                "color": "#3C3C3C",
                "size": 10,
                "line": {"width": 1.5},
            },
            hovertext=hovers,
            hovertemplate="%{hovertext}<extra></extra>",
            meta={"role": "curated-handles", "relation": str(relation)},
        )


def _add_nodes(figure: go.Figure, nodes: pd.DataFrame, positions: dict, names: dict | None, focus: str | None) -> None:
    nodes = nodes.loc[nodes["code"].isin(list(positions))]
    if nodes.empty:
        return
    total = nodes["made"] + nodes["received"]
    top = max(int(total.max()), 1)
    for kind, symbol in NODE_SYMBOLS.items():
        rows = nodes.loc[nodes["kind"] == kind]
        if rows.empty:
            continue
        sizes = [14 + 22 * math.sqrt((m + r) / top) for m, r in zip(rows["made"], rows["received"], strict=True)]
        figure.add_scatter(
            name={"state": "country", "unknown": "code not in countries.csv"}.get(kind, kind),
            x=[positions[c][0] for c in rows["code"]],
            y=[positions[c][1] for c in rows["code"]],
            mode="markers+text",
            text=[escape_plotly(c, limit=12) for c in rows["code"]],
            textposition="top center",
            marker={
                "symbol": symbol,
                "size": sizes,
                "color": [FOCUS_FILL if c == focus else NODE_FILL for c in rows["code"]],
                "line": {"width": [3 if c == focus else 1.5 for c in rows["code"]], "color": "#333333"},
            },
            customdata=[[c] for c in rows["code"]],
            hovertext=[
                f"<b>{_label(c, names)}</b><br>{m} statement(s) made · {r} about it"
                for c, m, r in zip(rows["code"], rows["made"], rows["received"], strict=True)
            ],
            hovertemplate="%{hovertext}<extra></extra>",
            meta={"role": "nodes", "kind": kind},
        )


def matrix_figure(
    counts: pd.DataFrame,
    net: pd.DataFrame,
    *,
    names: dict[str, str] | None = None,
    total_rows: int = 0,
    total_cols: int = 0,
) -> go.Figure:
    """Speaker country (rows) × country spoken about (columns): colour = net stance, text = count and sign."""
    if counts.empty:
        return empty_figure("No statement has both a speaker country and a country it is about.")
    rows, cols = list(counts.index), list(counts.columns)
    z = net.to_numpy(dtype=float)
    n = counts.to_numpy(dtype=float)
    text = [
        ["" if math.isnan(n[i][j]) else f"{int(n[i][j])}{_sign(z[i][j])}" for j in range(len(cols))] for i in range(len(rows))
    ]
    hover = [
        [
            ""
            if math.isnan(n[i][j])
            else f"<b>{_label(rows[i], names)} → {_label(cols[j], names)}</b><br>{int(n[i][j])} statement(s)<br>net stance {z[i][j]:+.2f}"
            for j in range(len(cols))
        ]
        for i in range(len(rows))
    ]
    custom = [[[rows[i], cols[j]] for j in range(len(cols))] for i in range(len(rows))]
    x_labels = [escape_plotly(c, limit=16) for c in cols]
    y_labels = [escape_plotly(r, limit=16) for r in rows]
    figure = go.Figure(
        go.Heatmap(
            z=z,
            x=x_labels,
            y=y_labels,
            text=text,
            texttemplate="%{text}",
            hoverinfo="skip",
            zmin=-1,
            zmax=1,
            colorscale=NET_SCALE,
            colorbar={
                "title": {"text": "net stance"},
                "tickvals": [-1, 0, 1],
                "ticktext": ["−1 oppose/concern", "0", "+1 support"],
            },
            xgap=1,
            ygap=1,
            hoverongaps=False,
            meta={"role": "matrix"},
        )
    )
    # Streamlit reports selections of selectable traces only (a heatmap is not): a transparent marker on
    # every filled cell carries the hover and the [from, to] of the cell
    cells = [(i, j) for i in range(len(rows)) for j in range(len(cols)) if not math.isnan(n[i][j])]
    figure.add_scatter(
        x=[x_labels[j] for _, j in cells],
        y=[y_labels[i] for i, _ in cells],
        mode="markers",
        marker={"symbol": "square", "size": 22, "color": "rgba(0,0,0,0)"},
        customdata=[custom[i][j] for i, j in cells],
        hovertext=[hover[i][j] for i, j in cells],
        hovertemplate="%{hovertext}<extra></extra>",
        showlegend=False,
        meta={"role": "cells"},
    )
    title = ""
    if total_rows > len(rows) or total_cols > len(cols):
        title = (
            f"The {len(rows)} most active of {total_rows} speaker countries × the {len(cols)} most spoken-about of {total_cols}"
        )
    figure.update_layout(
        xaxis={"title": "country spoken about", "side": "top", "type": "category"},
        yaxis={"title": "speaker country", "autorange": "reversed", "type": "category"},
        height=max(320, 28 * len(rows) + 160),
        margin={"l": 10, "r": 10, "t": 80, "b": 10},
        title={"text": escape_plotly(title), "font": {"size": 13}, "y": 0.99} if title else None,
    )
    return figure


def _sign(value: float) -> str:
    if math.isnan(value):
        return ""
    return " +" if value > 0 else (" −" if value < 0 else " ±")


def _slerp(lat1: float, lon1: float, lat2: float, lon2: float, t: float) -> tuple[float, float]:
    """The point a fraction ``t`` along the great circle (plotly draws geo lines as great circles)."""
    p1, p2 = np.radians([lat1, lon1]), np.radians([lat2, lon2])
    a = np.array([np.cos(p1[0]) * np.cos(p1[1]), np.cos(p1[0]) * np.sin(p1[1]), np.sin(p1[0])])
    b = np.array([np.cos(p2[0]) * np.cos(p2[1]), np.cos(p2[0]) * np.sin(p2[1]), np.sin(p2[0])])
    omega = math.acos(max(-1.0, min(1.0, float(a @ b))))
    if omega < 1e-9:
        return lat1, lon1
    v = (math.sin((1 - t) * omega) * a + math.sin(t * omega) * b) / math.sin(omega)
    return math.degrees(math.asin(max(-1.0, min(1.0, v[2])))), math.degrees(math.atan2(v[1], v[0]))


def _map_width(statements: int, top: int) -> int:
    return 1 + math.ceil(3 * math.sqrt(statements / max(top, 1)))


def map_figure(pairs: pd.DataFrame, *, names: dict[str, str] | None = None, left_out: list[str] | None = None) -> go.Figure:
    """Statement edges between capitals (``pairs`` from :func:`claimscope.relations.with_coordinates`)."""
    pairs = pairs.loc[pairs["from"] != pairs["to"]] if not pairs.empty else pairs
    if pairs.empty:
        reason = "No pair of countries with capital coordinates among these statements."
        if left_out:
            reason += f" Left out (no coordinates): {', '.join(left_out[:8])}{'…' if len(left_out) > 8 else ''}."
        return empty_figure(escape_plotly(reason))
    figure = go.Figure()
    for stance, rows in _edges_by_stance(pairs, _map_width, names):
        for width, group in rows.groupby("width", sort=True):
            lats, lons, sizes = [], [], []
            for r in group.itertuples(index=False):
                tip = _slerp(r.from_lat, r.from_lon, r.to_lat, r.to_lon, 0.97)
                lats += [r.from_lat, tip[0], None]
                lons += [r.from_lon, tip[1], None]
                sizes += [0, 7 + 2 * int(width), 0]
            figure.add_scattergeo(
                lat=lats,
                lon=lons,
                mode="lines+markers",
                line={"color": EDGE_COLOURS[stance], "width": int(width), "dash": EDGE_DASHES[stance]},
                marker={"symbol": "arrow", "angleref": "previous", "size": sizes, "color": EDGE_COLOURS[stance]},
                hoverinfo="skip",
                showlegend=False,
                legendgroup=stance,
                meta={"role": "edges", "stance": stance},
            )
        mids = [_slerp(r.from_lat, r.from_lon, r.to_lat, r.to_lon, 0.5) for r in rows.itertuples(index=False)]
        figure.add_scattergeo(lat=[m[0] for m in mids], lon=[m[1] for m in mids], **_edge_handles(stance, rows, size=9))
    ends = (
        pd.concat(
            [
                pairs[["from", "from_lat", "from_lon"]].set_axis(["code", "lat", "lon"], axis=1),
                pairs[["to", "to_lat", "to_lon"]].set_axis(["code", "lat", "lon"], axis=1),
            ]
        )
        .drop_duplicates("code")
        .sort_values("code")
    )
    figure.add_scattergeo(
        name="capital or seat",
        lat=ends["lat"],
        lon=ends["lon"],
        mode="markers+text",
        text=[escape_plotly(c, limit=12) for c in ends["code"]],
        textposition="top center",
        marker={"symbol": "circle", "size": 8, "color": NODE_FILL, "line": {"width": 1.5, "color": "#333333"}},
        hovertext=[_label(c, names) for c in ends["code"]],
        hovertemplate="%{hovertext}<extra></extra>",
        meta={"role": "nodes"},
    )
    figure.update_geos(
        projection_type="natural earth",
        resolution=110,
        showcountries=True,
        countrycolor="#BBBBBB",
        showland=True,
        landcolor="#EFEFEF",
        showocean=True,
        oceancolor="#F7FBFF",
        showframe=False,
        fitbounds="locations",
    )
    figure.update_layout(
        height=460,
        margin={"l": 0, "r": 0, "t": 10, "b": 10},
        legend={"orientation": "h", "y": -0.02, "yanchor": "top", "x": 0},
    )
    return figure
