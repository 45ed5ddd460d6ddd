"""Timeline: the filtered statements by date in lanes (precision drawn), context events, and reaction latency."""

import pandas as pd
import streamlit as st

from claimscope.dataset import country_names
from claimscope.dates import parse_partial_date
from claimscope.figures.timeline import latency_figure, timeline_figure
from claimscope.links import actor_urls
from claimscope.timeline import (
    MAX_POINTS,
    aggregate_points,
    claim_from_selection,
    events_in_range,
    latency_summary,
    reaction_latency,
    timeline_points,
)
from ui.links import speaker_column
from ui.state import select_claim
from ui.view import current_view, empty_state, filter_summary, text

MAX_TABLE_ROWS = 2000

view = current_view()
st.title("Timeline")
filter_summary(view)
if empty_state(view):
    st.stop()

names = country_names(view.dataset.countries)
left, right = st.columns([2, 3])
by = left.segmented_control(
    "One lane per",
    options=["country", "actor"],
    format_func={"country": "speaker country", "actor": "speaker (actor)"}.get,
    default="country",
    key="timeline_lanes",
)
by = by or "country"
show_events = right.toggle("Show context events", value=True, key="timeline_events", help="The dated events of events.csv.")

start = pd.Timestamp(parse_partial_date(view.filters.date_from).start) if view.filters.date_from else None
end = pd.Timestamp(parse_partial_date(view.filters.date_to).end) if view.filters.date_to else None
events = events_in_range(view.dataset.events, start, end) if show_events else None
points = timeline_points(view.claims, by)
undated = len(view.claims) - len(points)
x_range = None
if (start is not None or end is not None) and len(points):
    x_range = (start if start is not None else points["date_start"].min(), end if end is not None else points["date_end"].max())

figure = timeline_figure(
    points,
    events,
    lane_title="speaker country" if by == "country" else "speaker",
    names=names if by == "country" else None,
    x_range=x_range,
)
aggregated = len(points) > MAX_POINTS
if aggregated:
    st.info(
        f"{len(points):,} statements: too many to draw one by one, so the chart shows how many there are per lane, "
        f"month (or year, for year-precise dates) and stance. Narrow the filters to see and open single statements.",
        icon="ℹ️",
    )
st.caption(
    "A point is a statement dated to the day; a bar spans the month or year of a statement known only that precisely. "
    "Colour and symbol both give the stance. Drag the handles of the slider under the chart to zoom, or use the buttons. "
    + ("" if aggregated else "Click a statement to open it.")
)
event = st.plotly_chart(
    figure,
    on_select="rerun",
    selection_mode="points",
    key="timeline_chart",
    alt=(
        f"Timeline of {len(points)} statements in {points['lane'].nunique() if len(points) else 0} lanes "
        f"(one per {'speaker country' if by == 'country' else 'speaker'}), coloured and shaped by stance"
        + (f", with {len(events)} context events in a lane of their own." if events is not None and len(events) else ".")
    ),
)
picked = claim_from_selection(event)
if picked and (view.claims["claim_id"] == picked).any():
    select_claim(picked)
    st.query_params["claim"] = picked
    st.switch_page("pages/claims.py")
if undated:
    st.caption(f"{undated} statement(s) have no readable date and are not drawn.")
with st.expander("Show as table"):
    if aggregated:
        st.dataframe(aggregate_points(points), hide_index=True)
    else:
        st.dataframe(
            points.drop(columns=["date_start", "date_end"]).assign(speaker=actor_urls(points["speaker"], view.filters)),
            hide_index=True,
            column_config={"summary": st.column_config.TextColumn("summary", width="large"), "speaker": speaker_column()},
        )
    if events is not None and len(events):
        st.markdown("**Context events**")
        st.dataframe(events.drop(columns=["date_start", "date_end"]), hide_index=True)

st.subheader("Reaction latency")
st.caption(
    "Days from the statement or event a reaction answers to the reaction itself, per speaker country. "
    "Only dates known to the day are counted; a reaction or target dated to the month or year is listed as too coarse."
)
latency = reaction_latency(view.claims, view.dataset.claims, view.dataset.events)
summary = latency_summary(latency)
st.plotly_chart(
    latency_figure(latency, summary, names),
    key="latency_chart",
    alt=(
        f"Days to react per speaker country: {int((latency['status'] == 'counted').sum()) if len(latency) else 0} reactions counted, "
        f"{int((latency['status'] == 'too coarse').sum()) if len(latency) else 0} too coarse to count."
    ),
)
if summary.empty:
    st.caption("No reaction among these statements answers a statement or event of the dataset.")
else:
    st.dataframe(summary, hide_index=True)
with st.expander("Show as table"):
    if latency.empty:
        text("No reaction to list.")
    else:
        if len(latency) > MAX_TABLE_ROWS:
            st.caption(f"The first {MAX_TABLE_ROWS:,} of {len(latency):,} reactions; narrow the filters to see the others.")
        shown = latency.head(MAX_TABLE_ROWS)
        st.dataframe(
            shown.assign(speaker=actor_urls(shown["speaker"], view.filters)),
            hide_index=True,
            column_config={"speaker": speaker_column()},
        )
