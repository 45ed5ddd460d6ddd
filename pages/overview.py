"""Overview: what the data holds, stance by speaker country, the most active speakers, the latest reactions."""

import streamlit as st

from claimscope.figures.overview import stance_by_country_figure
from claimscope.ingest.dataset import country_names
from claimscope.queries.overview import headline_counts, latest_reactions, most_active_speakers, stance_by_country
from claimscope.views.links import actor_urls
from ui.links import speaker_column
from ui.notices import gap_note
from ui.view import built_when_opened, current_view, empty_state, filter_summary, plotly_chart, text

view = current_view()
st.title("Overview")
text(view.dataset.title, st)
if view.dataset.subject:
    st.caption(f"Stance is toward: {view.dataset.subject}")
filter_summary(view)
if empty_state(view):
    st.stop()

counts = headline_counts(view.scope, view.dataset)
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
if counts["own_analysis"]:
    st.caption(
        f"{counts['own_analysis']} of these statements are the source's own analysis, not a stakeholder's: they count as "
        "statements, not as an actor or a country. The sidebar's *Leave out the source's own analysis* "
        "(URL parameter authors=exclude) hides them."
    )

table = stance_by_country(view.scope)
st.header("Statements by speaker country" if "stance" in view.dataset.gaps else "Stance by speaker country")
gap_note(view.dataset, "stance", "The bars count statements per speaker country but cannot split them by stance")
plotly_chart(
    stance_by_country_figure(table, country_names(view.dataset.countries), by_stance="stance" not in view.dataset.gaps),
    alt="Bars: number of statements per speaker country"
    + (" (the dataset has no stance)." if "stance" in view.dataset.gaps else ", split by stance toward the subject."),
    key="stance_by_country",
)
built_when_opened("Show as table", "overview_stance_table", st.dataframe, table, hide_index=True)

left, right = st.columns(2)
with left:
    st.header("Most active speakers")
    active = most_active_speakers(view.scope)
    st.dataframe(
        active.assign(speaker=actor_urls(active["speaker"], view.filters)),
        hide_index=True,
        column_config={"speaker": speaker_column()},
    )
with right:
    st.header("Latest reactions")
    latest = latest_reactions(view.scope)
    if latest.empty:
        st.caption("No statement here is a reaction (kind = reaction).")
    else:
        st.dataframe(
            latest.assign(speaker=actor_urls(latest["speaker"], view.filters)),
            hide_index=True,
            column_config={"speaker": speaker_column(), "summary": st.column_config.TextColumn("summary", width="large")},
        )
