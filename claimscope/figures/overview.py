"""Overview charts."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from claimscope.figures.common import STANCE_COLOURS, STANCE_ORDER, STANCE_PATTERNS, empty_figure, fit_margins
from claimscope.text import escape_plotly

MAX_BARS = 30


def _short(name: str, limit: int = 32) -> str:
    """Long group names would squeeze the bars: shortened, the code stays beside them."""
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"


def stance_by_country_figure(table: pd.DataFrame, names: dict[str, str] | None = None, by_stance: bool = True) -> go.Figure:
    """Horizontal stacked bars: statements per speaker country, one segment per stance (colour + pattern).

    ``table`` is :func:`claimscope.views.overview.stance_by_country`. Past MAX_BARS countries the rest are
    summed into one bar, so the chart stays readable with any number of countries. ``by_stance=False``
    (a dataset without stance) draws one plain bar of statements per country instead of bars that all
    say "unlabelled"; the source's own
    analysis (``own_analysis``) is never summed into them and comes last.
    """
    if table.empty:
        return empty_figure("No statement matches the filters.")
    own = table["own_analysis"].astype(bool) if "own_analysis" in table else pd.Series(False, index=table.index)
    pinned = table.loc[own]  # the source's own analysis keeps its own bar, after the countries
    table = table.loc[~own].sort_values("total", ascending=False, kind="stable").drop(columns="own_analysis", errors="ignore")
    if len(table) > MAX_BARS:
        rest = table.iloc[MAX_BARS - 1 :].drop(columns="speaker_country").sum().astype(object)
        rest["speaker_country"] = f"{len(table) - MAX_BARS + 1} others"
        table = pd.concat([table.iloc[: MAX_BARS - 1], rest.to_frame().T], ignore_index=True)
    table = pd.concat([table, pinned.drop(columns="own_analysis")], ignore_index=True)
    names = names or {}
    labels = [
        escape_plotly(f"{_short(names.get(code, code))} ({code})" if code in names and names[code] != code else code)
        for code in table["speaker_country"]
    ]
    figure = go.Figure()
    if not by_stance:
        figure.add_bar(
            name="statements",
            y=labels,
            x=table["total"].astype(int),
            orientation="h",
            marker={"color": STANCE_COLOURS["support"]},
            hovertemplate="%{y}: %{x} statements<extra></extra>",
            showlegend=False,
        )
    for stance in STANCE_ORDER if by_stance else ():
        if stance not in table or not table[stance].astype(int).any():
            continue
        figure.add_bar(
            name=stance,
            y=labels,
            x=table[stance].astype(int),
            orientation="h",
            marker={"color": STANCE_COLOURS[stance], "pattern": {"shape": STANCE_PATTERNS[stance]}},
            hovertemplate="%{y}: %{x} " + stance + "<extra></extra>",
        )
    figure.update_layout(
        barmode="stack",
        yaxis={"autorange": "reversed", "title": None},
        xaxis={"title": "statements"},
        legend={"title": "stance", "orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom", "x": 0},
        height=max(240, 28 * len(labels) + 120),
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
    )
    return fit_margins(figure)
