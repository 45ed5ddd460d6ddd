"""Compare: two to four actors or countries side by side on the same scales, the differences said in a sentence per panel.

The panels (stance over time, topics, whom they speak about, reaction latency) are tabs (``panel`` in the URL); only the
open one runs.

The subjects are the sidebar's own filters: the selected speakers (``/compare?speaker=A&speaker=B``) or, when no
speaker is selected, the selected speaker countries (``/compare?country=KOR&country=CHN``); the other filters
narrow every subject alike.
"""

import pandas as pd
import streamlit as st

from claimscope.figures.compare import shares_figure, stance_over_time_figure
from claimscope.figures.timeline import latency_figure
from claimscope.ingest.dataset import country_names
from claimscope.queries import compare as queries
from claimscope.views.compare import (
    MAX_SUBJECTS,
    QUICK_DAYS,
    compare_subjects,
    latency_by_subject,
    latency_sentence,
    shares_sentence,
    stance_sentence,
)
from claimscope.views.timeline import latency_summary
from ui.links import set_filter
from ui.state import active_options
from ui.view import (
    SHARE_COLUMNS,
    built_when_opened,
    current_view,
    empty_state,
    filter_summary,
    plotly_chart,
    tabs_built_when_open,
    text,
)

BY_KEY = "compare_by"
PICK_KEY = "compare_pick"
PERIOD_KEY = "compare_period"
WITHIN_KEY = "compare_within"
#: the panels' own settings, kept while another panel is open (Streamlit drops the state of widgets it does not draw)
KEPT_KEYS = (PERIOD_KEY, WITHIN_KEY)
TOP_VALUES = 12

view = current_view()
st.title("Compare")
filter_summary(view)

names = country_names(view.dataset.countries)
subjects = compare_subjects(view.filters)
options = active_options(view.dataset)
if subjects.by:
    st.session_state[BY_KEY] = subjects.by
st.session_state.setdefault(BY_KEY, "country")
by = st.session_state[BY_KEY]


def stance_tables(totals: pd.DataFrame, counts: pd.DataFrame) -> None:
    """The stance chart's numbers: each subject's statements per stance, then per period."""
    st.dataframe(totals.pivot(index="subject", columns="stance", values="statements").reset_index(), hide_index=True)
    st.dataframe(counts, hide_index=True)


def latency_tables(table: pd.DataFrame, labels: dict[str, str], latency: queries.SubjectLatency) -> None:
    """The latency chart's numbers per subject, then its reactions (the first of them when there are many)."""
    st.dataframe(table.assign(subject=[labels[s] for s in table["subject"]]), hide_index=True)
    if latency.reactions:
        if latency.truncated:
            st.caption(f"The first {len(latency.rows):,} of {latency.reactions:,} reactions.")
        st.dataframe(latency.rows.drop(columns=["subject"]), hide_index=True)


def change_by() -> None:
    """Switching what is compared clears the other kind's subjects (speakers, when selected, are the subjects)."""
    st.session_state[BY_KEY] = st.session_state.get(BY_KEY) or "country"
    set_filter("speaker" if st.session_state[BY_KEY] == "country" else "country", [])


def pick() -> None:
    picked = list(st.session_state.get(PICK_KEY) or [])
    set_filter(st.session_state[BY_KEY], picked)
    if st.session_state[BY_KEY] == "country":
        set_filter("speaker", [])


left, right = st.columns([1, 3])
left.segmented_control(
    "Compare",
    options=["country", "speaker"],
    format_func={"country": "countries", "speaker": "actors"}.get,
    key=BY_KEY,
    on_change=change_by,
    help="Actors are the sidebar's Speaker filter (URL `speaker`), countries its Speaker country filter (URL `country`).",
)
st.session_state[PICK_KEY] = list(subjects.values) if subjects.by == by else []
right.multiselect(
    "Two to four actors" if by == "speaker" else "Two to four speaker countries",
    options=[value for value, _ in options.get(by, [])],
    format_func=(lambda code: f"{names.get(code, code)} ({code})" if names.get(code, code) != code else code)
    if by == "country"
    else str,
    max_selections=MAX_SUBJECTS,
    key=PICK_KEY,
    on_change=pick,
    placeholder="Choose…",
)
if subjects.left_out:
    text(f"Only the first {MAX_SUBJECTS} are compared; left out: {', '.join(subjects.left_out)}.")
if not subjects.enough:
    st.info(
        "Choose two to four actors or countries above (or in the sidebar's Speaker or Speaker country filter), "
        "or open a link such as /compare?country=KOR&country=CHN.",
        icon="ℹ️",
    )
    st.stop()
if empty_state(view):
    st.stop()

scope = view.scope
labels = queries.subject_labels(scope, subjects, names)
short = queries.subject_labels(scope, subjects, names, short=True)  # codes in the sentences, names on the charts
order = list(subjects.values)
totals = queries.stance_totals(scope, subjects)
silent = [labels[s] for s in order if not totals.loc[totals["subject"] == s, "statements"].sum()]
if silent:
    text(f"No statement under these filters for: {', '.join(silent)}.")


def stance_panel() -> None:
    """Each subject's statements per period, stacked by stance, on the same axes."""
    text(stance_sentence(totals, short))
    default_period = queries.choose_period(scope)
    st.session_state.setdefault(PERIOD_KEY, default_period)  # no default below: its state is kept (KEPT_KEYS)
    period = st.segmented_control("Bars per", options=["month", "year"], key=PERIOD_KEY) or default_period
    counts = queries.stance_over_time(scope, subjects, period)
    plotly_chart(
        stance_over_time_figure(counts, order, labels),
        key="compare_over_time",
        alt=f"Stacked bars per {counts.period}, one row per subject ({', '.join(labels[s] for s in order)}) on the same "
        "date and count axes, one segment per stance (colour and pattern).",
    )
    built_when_opened("Show as table", "compare_stance_table", stance_tables, totals, counts.counts)


def shares_panel(field: str, noun: str) -> None:
    """The most frequent values of ``field`` (topics, or the countries spoken about), as shares of each subject's statements."""
    table = queries.shares(scope, subjects, field, TOP_VALUES, queries.subject_totals(totals))
    value_labels = {}
    if field == "about":
        value_labels = {v: f"{names.get(v, v)} ({v})" if names.get(v, v) != v else v for v in table["value"].unique()}
    text(shares_sentence(table, short, noun))
    plotly_chart(
        shares_figure(table, order, labels, value_labels, measure="share", noun=f"{noun} values"),
        key=f"compare_{field}",
        alt=f"Grouped bars: for the {table['value'].nunique() if len(table) else 0} most frequent {noun} values, the share "
        "of each subject's statements (one colour and pattern per subject).",
    )
    built_when_opened(
        "Show as table", f"compare_shares_table_{field}", st.dataframe, table, hide_index=True, column_config=SHARE_COLUMNS
    )


def latency_panel() -> None:
    """Days to react, per subject, and how many reacted quickly."""
    st.session_state.setdefault(WITHIN_KEY, QUICK_DAYS)  # no value below: its state is kept (KEPT_KEYS)
    within = int(st.number_input("Quick means within (days)", min_value=0, max_value=365, step=1, key=WITHIN_KEY))
    latency = queries.subject_latency(scope, subjects)
    table = latency_by_subject(latency.frame, subjects, within)
    text(latency_sentence(table, short, within))
    st.caption("Days from the statement or event answered to the reaction; only dates known to the day are counted.")
    drawn = latency.frame.assign(speaker_country=latency.frame["subject"]) if len(latency.frame) else latency.frame
    plotly_chart(
        latency_figure(drawn, latency_summary(drawn), names if subjects.by == "country" else None),
        key="compare_latency",
        alt="Days to react per subject, one row each, stance by colour and symbol: "
        + "; ".join(f"{labels[r.subject]} {r.counted} counted" for r in table.itertuples()),
    )
    built_when_opened("Show as table", "compare_latency_table", latency_tables, table, labels, latency)


PANELS = {
    "Stance over time": stance_panel,
    "Topics": lambda: shares_panel("topics", "topic"),
    "Whom they speak about": lambda: shares_panel("about", "country spoken about"),
    "Reaction latency": latency_panel,
}
# One panel at a time, each a tab (``panel`` in the URL) whose queries and chart run only while it is open: a link
# draws one chart, not four. Each panel says its difference in a sentence, as before.
tabs_built_when_open(PANELS, key="panel", keep=KEPT_KEYS)
