"""Country relations charts: a directed network, a speaker × about matrix and a map of capitals.

Edges are (speaker country → country spoken about) pairs from :func:`claimscope.views.relations.statement_pairs`.
The network bundles both directions of a pair into one line (:func:`claimscope.views.relations.bundle_pairs`):
width by the number of statements, colour by the prevailing stance *and* a dash style and a symbol
(colour is never the only cue). Plotly draws no arrows on lines, so arrowheads are ``arrow`` markers
turned along the line (``angleref="previous"``). The symbols carry ``customdata`` [from, to] of their
direction for selection. The curated relations have a figure of their own, with their own legend.

Each figure is built from lists: every trace (a dict) is collected first and the figure is made once
(``go.Figure(data=...)``). Plotly validates the whole list of traces or annotations again on each
``add_scatter``/``add_annotation``, so adding 60 node labels one by one cost seconds; a figure made at once costs
milliseconds. The node labels are the node traces' own text, not annotations, which plotly.js draws one by one.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from claimscope.figures.common import STANCE_COLOURS, STANCE_ORDER, STANCE_SYMBOLS, UNLABELLED, empty_figure, fit_margins, text_px
from claimscope.text import escape_plotly
from claimscope.views.relations import MIXED, bundle_pairs

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
NODE_WORDS = {
    "state": "country",
    "group": "group of countries",
    "organization": "organisation",
    "unknown": "code not in countries.csv",
}
NODE_KEYS = {"state": "●", "group": "■", "organization": "◆", "unknown": "○"}
NETWORK_HEIGHT = 780
CURATED_HEIGHT = 560
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
#: Okabe–Ito vermillion → white → blue: net stance from oppose/concern (−1) to support (+1)
NET_SCALE = [[0.0, "#D55E00"], [0.5, "#F7F7F7"], [1.0, "#0072B2"]]

#: the top margin of a figure with a horizontal legend above it: the legend's title row and its entries
LEGEND_TOP_PX = 56
#: the net stance's colour bar labels, and the room the bar takes beside them
NET_TICKS = ("−1 oppose/concern", "0", "+1 support")
COLOUR_BAR_PX = 72


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


def _bundle_hover(row, names, latest: dict[str, str]) -> str:
    """Both directions of a pair, the statements per stance, and the latest statement."""
    counts = ", ".join(f"{getattr(row, s)} {s}" for s in (*STANCE_ORDER,) if getattr(row, s, 0))
    directions = []
    if row.a_to_b:
        directions.append(f"{escape_plotly(row.a)} → {escape_plotly(row.b)}: {row.a_to_b}")
    if row.b_to_a:
        directions.append(f"{escape_plotly(row.b)} → {escape_plotly(row.a)}: {row.b_to_a}")
    text = (
        f"<b>{_label(row.a, names)} – {_label(row.b, names)}</b><br>"
        f"{row.statements} statement{'s' if row.statements != 1 else ''} ({'; '.join(directions)})<br>"
        f"{escape_plotly(counts)} · prevailing {escape_plotly(row.prevailing)}, net {row.net:+.2f}"
    )
    if isinstance(row.latest_id, str) and row.latest_id:
        about = latest.get(row.latest_id, "")
        text += f"<br>latest: {escape_plotly(row.latest_date or '')} {escape_plotly(row.latest_id, limit=40)}"
        if about:
            text += f"<br>{escape_plotly(about, limit=140)}"
    return text


#: the node labels' halo (a CSS text-shadow in the background's colour): readable where edges pass under them
LABEL_HALO = "0 0 2px #ffffff, 0 0 2px #ffffff, 0 0 3px #ffffff"


def _label_position(x: float, y: float) -> str:
    """Where a node's label goes (a ``textposition``): away from the centre of the picture (off the edges), just
    past the marker."""
    if abs(x) < 0.15 and abs(y) < 0.15:
        return "top center"
    if abs(y) >= abs(x):
        return "top center" if y > 0 else "bottom center"
    return "middle right" if x > 0 else "middle left"


def network_figure(
    pairs: pd.DataFrame,
    positions: dict[str, tuple[float, float]],
    nodes: pd.DataFrame,
    *,
    names: dict[str, str] | None = None,
    short_names: dict[str, str] | None = None,
    latest: dict[str, str] | None = None,
    focus: str | None = None,
    note: str = "",
) -> go.Figure:
    """The statement network: one line per pair of countries (both directions bundled), an arrowhead at each
    end that statements point to, a clickable symbol per direction, nodes sized by statements and shaped by kind.

    The legend holds the prevailing stances only (at most six entries); node shapes are keyed under the chart.
    ``latest`` maps claim ids to a line of text (speaker: summary) for the hover's latest statement.
    """
    pairs = pairs.loc[pairs["from"] != pairs["to"]] if not pairs.empty else pairs
    if pairs.empty:
        return empty_figure("No statement links a speaker country to another country.")
    pairs = pairs.loc[pairs["from"].isin(list(positions)) & pairs["to"].isin(list(positions))]
    bundles = bundle_pairs(pairs)
    latest = latest or {}
    traces: list[dict] = []
    top = int(bundles["statements"].max())
    bundles = bundles.assign(
        width=[_width(int(n), top) for n in bundles["statements"]],
        hover=[_bundle_hover(row, names, latest) for row in bundles.itertuples(index=False)],
    )
    # the loops below read only the columns they need: itertuples over every column costs a column copy each
    keys = list(zip(bundles["a"], bundles["b"], strict=True))
    hover_of = dict(zip(keys, bundles["hover"], strict=True))
    width_of = {key: int(width) for key, width in zip(keys, bundles["width"], strict=True)}
    for stance in EDGE_ORDER:
        rows = bundles.loc[bundles["prevailing"] == stance]
        if rows.empty:
            continue
        for width, group in rows.groupby("width", sort=True):
            xs, ys = [], []
            for a, b in zip(group["a"], group["b"], strict=True):
                start, end = _shifted(np.array(positions[a], dtype=float), np.array(positions[b], dtype=float), 0.0)
                xs += [start[0], end[0], None]
                ys += [start[1], end[1], None]
            traces.append(
                {
                    "type": "scatter",
                    "x": xs,
                    "y": ys,
                    "mode": "lines",
                    "line": {"color": EDGE_COLOURS[stance], "width": int(width), "dash": EDGE_DASHES[stance]},
                    "hoverinfo": "skip",
                    "showlegend": False,
                    "legendgroup": stance,
                    "meta": {"role": "edges", "stance": stance, "width": int(width)},
                }
            )
        # an arrowhead at each end that statements point to (a short segment ending at the target)
        ax, ay, sizes = [], [], []
        for row in rows[["a", "b", "a_to_b", "b_to_a", "width"]].itertuples(index=False):
            start, end = _shifted(np.array(positions[row.a], dtype=float), np.array(positions[row.b], dtype=float), 0.0)
            step = (end - start) * 0.02
            for count, tail, tip in ((row.a_to_b, end - step, end), (row.b_to_a, start + step, start)):
                if count:
                    ax += [tail[0], tip[0], None]
                    ay += [tail[1], tip[1], None]
                    sizes += [0, 8 + 2 * int(row.width), 0]
        traces.append(
            {
                "type": "scatter",
                "x": ax,
                "y": ay,
                "mode": "markers",
                "marker": {"symbol": "arrow", "angleref": "previous", "size": sizes, "color": EDGE_COLOURS[stance]},
                "hoverinfo": "skip",
                "showlegend": False,
                "legendgroup": stance,
                "meta": {"role": "arrows", "stance": stance},
            }
        )
    # a clickable symbol per direction, near the end it points to: its own prevailing stance
    directed = pairs.assign(
        a=pairs[["from", "to"]].min(axis=1),
        b=pairs[["from", "to"]].max(axis=1),
    )
    for stance in EDGE_ORDER:
        rows = directed.loc[directed["prevailing"] == stance]
        if rows.empty:
            continue
        spots, hovers = [], []
        for row in rows[["from", "to", "a", "b", "statements"]].itertuples(index=False):
            source, target = np.array(positions[row[0]], dtype=float), np.array(positions[row[1]], dtype=float)
            spots.append(source + (target - source) * 0.62)
            hovers.append(
                hover_of[(row.a, row.b)]
                + f"<br><i>this symbol: {escape_plotly(row[0])} → {escape_plotly(row[1])}, {row.statements} statement(s), "
                f"mostly {escape_plotly(stance)}; click to filter to it</i>"
            )
        sizes = [8 + width_of[(a, b)] for a, b in zip(rows["a"], rows["b"], strict=True)]
        traces.append(
            {
                "type": "scatter",
                "name": stance,
                "legendgroup": stance,
                "x": [p[0] for p in spots],
                "y": [p[1] for p in spots],
                "mode": "markers",
                "marker": {
                    "symbol": EDGE_SYMBOLS[stance],
                    "color": EDGE_COLOURS[stance],
                    "size": sizes,
                    "line": {"width": 1, "color": "#333333"},
                },
                "customdata": [[f, t] for f, t in zip(rows["from"], rows["to"], strict=True)],
                "hovertext": hovers,
                "hovertemplate": "%{hovertext}<extra></extra>",
                "meta": {"role": "edge-handles", "stance": stance},
            }
        )
    node_traces, kinds = _nodes(nodes, positions, names, short_names, focus)
    key = {
        "text": "Nodes: "
        + " · ".join(f"{NODE_KEYS[k]} {NODE_WORDS[k]}" for k in NODE_SYMBOLS if k in kinds)
        + " · size = statements made and received",
        "x": 0,
        "xref": "paper",
        "y": 0,
        "yref": "paper",
        "yanchor": "top",
        "xanchor": "left",
        "showarrow": False,
        "font": {"size": 12},
        "yshift": -4,
    }
    figure = go.Figure(data=[*traces, *node_traces])
    figure.update_layout(
        annotations=[key],
        xaxis={"visible": False, "range": [-1.5, 1.5]},
        yaxis={"visible": False, "range": [-1.22, 1.22], "scaleanchor": "x", "scaleratio": 1},
        legend={"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 0, "title": {"text": "prevailing stance: "}},
        hovermode="closest",
        height=NETWORK_HEIGHT,
        # the top holds the legend's title and entries (a margin Plotly would push is a second drawing)
        margin={"l": 10, "r": 10, "t": LEGEND_TOP_PX + (20 if note else 0), "b": 40},
        title={"text": escape_plotly(note), "font": {"size": 13}} if note else None,
    )
    return figure


def curated_figure(
    curated: pd.DataFrame,
    positions: dict[str, tuple[float, float]],
    nodes: pd.DataFrame,
    *,
    names: dict[str, str] | None = None,
    short_names: dict[str, str] | None = None,
) -> go.Figure:
    """The curated relations (relations.csv) on the same node positions, a legend entry per kind of relation."""
    if curated is None or curated.empty:
        return empty_figure("No curated relation among these countries.")
    drawn = curated.loc[
        curated["from"].isin(list(positions)) & curated["to"].isin(list(positions)) & (curated["from"] != curated["to"])
    ]
    if drawn.empty:
        return empty_figure("No curated relation among the countries drawn.")
    xs, ys, sizes, middles = [], [], [], []
    for row in drawn.itertuples(index=False):
        start, end = _shifted(np.array(positions[row[0]], dtype=float), np.array(positions[row[1]], dtype=float), 0.0)
        xs += [start[0], end[0], None]
        ys += [start[1], end[1], None]
        sizes += [0, 12 if row.directed else 0, 0]
        middles.append((start + end) / 2)
    traces: list[dict] = [
        {
            "type": "scatter",
            "x": xs,
            "y": ys,
            "mode": "lines+markers",
            "line": {"color": CURATED_COLOUR, "width": WIDTH_BUCKETS + 4},
            "marker": {"symbol": "arrow", "angleref": "previous", "size": sizes, "color": "#3C3C3C"},
            "hoverinfo": "skip",
            "showlegend": False,
            "meta": {"role": "curated"},
        }
    ]
    labelled = len(drawn) <= MAX_CURATED_LABELS
    drawn = drawn.assign(mx=[m[0] for m in middles], my=[m[1] for m in middles])
    for relation, rows in drawn.groupby("relation", sort=True):
        hovers = [
            f"<b>{escape_plotly(r.relation)}</b> (curated): {_label(r[0], names)} {'→' if r.directed else '↔'} {_label(r[1], names)}"
            f"<br>{escape_plotly(f'{r.start or chr(8230)} to {r.end or chr(8230)}')}<br>{escape_plotly(r.note or '', limit=200)}"
            for r in rows.itertuples(index=False)
        ]
        traces.append(
            {
                "type": "scatter",
                "name": escape_plotly(relation, limit=20),
                "x": rows["mx"],
                "y": rows["my"],
                "mode": "markers+text" if labelled else "markers",
                "text": [escape_plotly(relation, limit=20)] * len(rows) if labelled else None,
                "textposition": "bottom center",
                "textfont": {"size": 10, "color": "#3C3C3C"},
                "marker": {
                    "symbol": RELATION_SYMBOLS.get(str(relation), "square-open"),
                    "color": "#3C3C3C",
                    "size": 11,
                    "line": {"width": 1.5},
                },
                "hovertext": hovers,
                "hovertemplate": "%{hovertext}<extra></extra>",
                "meta": {"role": "curated-handles", "relation": str(relation)},
            }
        )
    node_traces, _ = _nodes(nodes, positions, names, short_names, None)
    figure = go.Figure(data=[*traces, *node_traces])
    figure.update_layout(
        xaxis={"visible": False, "range": [-1.5, 1.5]},
        yaxis={"visible": False, "range": [-1.22, 1.22], "scaleanchor": "x", "scaleratio": 1},
        legend={"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 0, "title": {"text": "curated relation: "}},
        hovermode="closest",
        height=CURATED_HEIGHT,
        margin={"l": 10, "r": 10, "t": LEGEND_TOP_PX, "b": 10},
    )
    return figure


def _nodes(
    nodes: pd.DataFrame,
    positions: dict,
    names: dict | None,
    short_names: dict | None,
    focus: str | None,
) -> tuple[list[dict], set[str]]:
    """Nodes shaped by kind, sized by statements, labelled with short names pointing outwards.

    Returns the node traces (one per kind, each labelling its own markers) and the kinds drawn, for the caller to
    put in its figure at once. The labels are the traces' text, not annotations: sixty annotations took plotly.js
    165 ms to draw where the same figure without them took 33 ms (``docs/scale.md``, stop 26); a halo in the
    background's colour (``textfont.shadow``) keeps them readable where edges pass.
    """
    nodes = nodes.loc[nodes["code"].isin(list(positions))]
    traces: list[dict] = []
    kinds: set[str] = set()
    if nodes.empty:
        return traces, kinds
    total = nodes["made"] + nodes["received"]
    top = max(int(total.max()), 1)
    for kind, symbol in NODE_SYMBOLS.items():
        rows = nodes.loc[nodes["kind"] == kind]
        if rows.empty:
            continue
        kinds.add(kind)
        sizes = [14 + 26 * math.sqrt((m + r) / top) for m, r in zip(rows["made"], rows["received"], strict=True)]
        traces.append(
            {
                "type": "scatter",
                "name": NODE_WORDS[kind],
                "showlegend": False,
                "x": [positions[c][0] for c in rows["code"]],
                "y": [positions[c][1] for c in rows["code"]],
                "mode": "markers+text",
                "marker": {
                    "symbol": symbol,
                    "size": sizes,
                    "color": [FOCUS_FILL if c == focus else NODE_FILL for c in rows["code"]],
                    "line": {"width": [3 if c == focus else 1.5 for c in rows["code"]], "color": "#333333"},
                },
                "text": [escape_plotly((short_names or {}).get(c, c), limit=20) for c in rows["code"]],
                "textposition": [_label_position(*positions[c]) for c in rows["code"]],
                "textfont": {"size": 13, "color": "#111111", "shadow": LABEL_HALO},
                # an annotation was never clipped: a long label of an outer node may pass the plot's edge
                "cliponaxis": False,
                "customdata": [[c] for c in rows["code"]],
                "hovertext": [
                    f"<b>{_label(c, names)}</b><br>{m} statement(s) made · {r} about it"
                    for c, m, r in zip(rows["code"], rows["made"], rows["received"], strict=True)
                ],
                "hovertemplate": "%{hovertext}<extra></extra>",
                "meta": {"role": "nodes", "kind": kind},
            }
        )
    return traces, kinds


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
                "ticktext": list(NET_TICKS),
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
        # the right holds the colour bar and its labels, the top the column labels and their title
        margin={"l": 10, "r": round(COLOUR_BAR_PX + max(map(text_px, NET_TICKS))), "t": 90, "b": 10},
        title={"text": escape_plotly(title), "font": {"size": 13}, "y": 0.99} if title else None,
    )
    return fit_margins(figure)


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
    """Statement edges between capitals (``pairs`` from :func:`claimscope.views.relations.with_coordinates`)."""
    pairs = pairs.loc[pairs["from"] != pairs["to"]] if not pairs.empty else pairs
    if pairs.empty:
        reason = "No pair of countries with capital coordinates among these statements."
        if left_out:
            reason += f" Left out (no coordinates): {', '.join(left_out[:8])}{'…' if len(left_out) > 8 else ''}."
        return empty_figure(escape_plotly(reason))
    traces: list[dict] = []
    for stance, rows in _edges_by_stance(pairs, _map_width, names):
        for width, group in rows.groupby("width", sort=True):
            lats, lons, sizes = [], [], []
            for r in group.itertuples(index=False):
                tip = _slerp(r.from_lat, r.from_lon, r.to_lat, r.to_lon, 0.97)
                lats += [r.from_lat, tip[0], None]
                lons += [r.from_lon, tip[1], None]
                sizes += [0, 7 + 2 * int(width), 0]
            traces.append(
                {
                    "type": "scattergeo",
                    "lat": lats,
                    "lon": lons,
                    "mode": "lines+markers",
                    "line": {"color": EDGE_COLOURS[stance], "width": int(width), "dash": EDGE_DASHES[stance]},
                    "marker": {"symbol": "arrow", "angleref": "previous", "size": sizes, "color": EDGE_COLOURS[stance]},
                    "hoverinfo": "skip",
                    "showlegend": False,
                    "legendgroup": stance,
                    "meta": {"role": "edges", "stance": stance},
                }
            )
        mids = [_slerp(r.from_lat, r.from_lon, r.to_lat, r.to_lon, 0.5) for r in rows.itertuples(index=False)]
        traces.append(
            {
                "type": "scattergeo",
                "lat": [m[0] for m in mids],
                "lon": [m[1] for m in mids],
                **_edge_handles(stance, rows, size=9),
            }
        )
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
    traces.append(
        {
            "type": "scattergeo",
            "name": "capital or seat",
            "lat": ends["lat"],
            "lon": ends["lon"],
            "mode": "markers+text",
            "text": [escape_plotly(c, limit=12) for c in ends["code"]],
            "textposition": "top center",
            "marker": {"symbol": "circle", "size": 8, "color": NODE_FILL, "line": {"width": 1.5, "color": "#333333"}},
            "hovertext": [_label(c, names) for c in ends["code"]],
            "hovertemplate": "%{hovertext}<extra></extra>",
            "meta": {"role": "nodes"},
        }
    )
    figure = go.Figure(data=traces)
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
        margin={"l": 0, "r": 0, "t": 10, "b": 40},  # the bottom holds the legend
        legend={"orientation": "h", "y": -0.02, "yanchor": "top", "x": 0},
    )
    return figure
