"""Overview: what the data holds, stance by speaker country, the most active speakers, the latest reactions."""

import streamlit as st

from claimscope.dataset import country_names
from claimscope.figures.overview import stance_by_country_figure
from claimscope.overview import headline_counts, latest_reactions, most_active_speakers, stance_by_country
from ui.view import current_view, empty_state, filter_summary, text

view = current_view()
st.title("Overview")
text(view.dataset.title, st)
if view.dataset.subject:
    st.caption(f"Stance is toward: {view.dataset.subject}")
filter_summary(view)
if empty_state(view):
    st.stop()

counts = headline_counts(view.dataset, view.claims)
cols = st.columns(6)
for col, (label, key) in zip(
    cols,
    [
        ("Statements", "statements"),
        ("Reactions", "reactions"),
        ("Actors", "actors"),
        ("Countries", "countries"),
        ("Sources", "sources"),
        ("Context events", "events"),
    ],
    strict=True,
):
    col.metric(label, counts[key])
st.caption(f"Dates: {counts['span']}")

table = stance_by_country(view.claims)
st.header("Stance by speaker country")
st.plotly_chart(
    stance_by_country_figure(table, country_names(view.dataset.countries)),
    alt="Stacked bars: number of statements per speaker country, split by stance toward the subject.",
    key="stance_by_country",
)
with st.expander("Show as table"):
    st.dataframe(table, hide_index=True)

left, right = st.columns(2)
with left:
    st.header("Most active speakers")
    st.dataframe(most_active_speakers(view.claims), hide_index=True)
with right:
    st.header("Latest reactions")
    st.dataframe(latest_reactions(view.claims), hide_index=True)
