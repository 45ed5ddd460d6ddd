"""The reaction cascade as the Timeline page and the claim detail show it (the logic is in claimscope.views.cascade,
the walk over the dataset in claimscope.queries.cascade)."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from claimscope.figures.cascade import cascade_figure
from claimscope.ingest.dataset import short_country_names
from claimscope.queries import cascade as queries
from claimscope.queries.memo import recent_answer
from claimscope.views.cascade import MAX_DEPTH, MAX_NODES, Cascade
from ui.state import setting_key
from ui.view import View, built_when_opened, plotly_chart, text

MODE_LABELS = {"thread": "whole thread", "reactions": "reactions to this statement"}


def cascade_of(view: View, node_id: str, mode: str) -> Cascade:
    """The cascade to draw for ``node_id``: from its thread's origin, or from the node itself.

    Walked in the engine over the whole dataset; the view's filters only fade the nodes they leave out.
    """
    return queries.cascade_of(view.scope, view.dataset.events, node_id, mode)


def mode_control(container=st) -> str:
    """The URL's ``cascade`` parameter as a control: the whole thread or only the reactions below."""
    return (
        container.segmented_control(
            "Cascade of",
            options=list(MODE_LABELS),
            format_func=MODE_LABELS.get,
            key=setting_key("cascade"),
            required=True,
            help="The whole thread starts from the statement or event the selected claim ultimately answers. "
            "URL parameter: `cascade`.",
        )
        or "thread"
    )


def cascade_table(nodes: pd.DataFrame) -> None:
    """The cascade's nodes as rows."""
    if nodes.empty:
        text("Nothing to list.")
        return
    st.dataframe(
        nodes.drop(columns=["date_start", "date_end"]),
        hide_index=True,
        column_config={"summary": st.column_config.TextColumn("summary", width="large")},
    )


def cascade_figure_of(view: View, cascade: Cascade, names: dict[str, str], selected: str) -> object:
    """:func:`cascade_figure` of a cascade, kept among the engine's recent answers as the cascade is
    (:func:`claimscope.queries.cascade.cascade_of`): a rerun or another session on the same view reuses it.

    Keyed by the cascade's identity: the kept answer holds the cascade itself, so that its id cannot be given to
    another object while the figure is kept. ``names`` are the dataset's (one per engine).
    """
    kept = recent_answer(
        view.engine,
        ("cascade figure", id(cascade), selected),
        lambda: (cascade, cascade_figure(cascade.nodes, names=names, selected=selected)),
    )
    return kept[1]


def show_cascade(view: View, cascade: Cascade, selected: str, chart_key: str, on_select: Callable | str) -> object:
    """The chart, a sentence on what it holds and leaves out, and the table behind it. Returns the selection event."""
    nodes = cascade.nodes
    names = short_country_names(view.dataset.countries)
    hidden = int((~nodes["in_view"]).sum()) if len(nodes) else 0
    lanes = nodes["speaker_country"].replace("", "(none)").nunique() if len(nodes) else 0
    note = cascade.note(MAX_DEPTH, MAX_NODES)
    st.caption(
        "Dates across, speaker countries down; an arrow goes from each reaction to what it answers. "
        "Colour and symbol give the stance; a star is an event. A statement known only to the month or year sits on a "
        "grey band: the days it could be on, from what it answers to the end of its month or year. "
        "Click a statement to open it."
        + (f" {hidden} statement(s) of this thread are outside the current filters and drawn faded." if hidden else "")
    )
    if note:
        st.info(note, icon="✂️")
    event = plotly_chart(
        cascade_figure_of(view, cascade, names, selected),
        key=chart_key,
        on_select=on_select,
        selection_mode="points",
        alt=(
            f"Reaction cascade from {cascade.root}: {cascade.reactions} reaction(s) "
            f"in {lanes} speaker countries, arrows from each reaction to what it answers, stance by colour and symbol."
        ),
    )
    built_when_opened("Show as table", "cascade_table", cascade_table, nodes)
    return event
