"""Actor profile: who the actor is, what they said over time, about what and whom, whom they answered and who answered them.

The subject is the sidebar's speaker filter (``/actor?speaker=NAME``); every other filter narrows the profile,
and the page says how many of the actor's statements the filters hide. Below the card, the sections are tabs
(``section`` in the URL) and only the open one runs: a link draws one chart, not three, and asks for the threads'
joins only when they are shown.
"""

import streamlit as st

from claimscope.authors import OWN_ANALYSIS, own_analysis_label
from claimscope.figures.compare import grouped_timeline_figure, shares_figure
from claimscope.figures.timeline import timeline_figure
from claimscope.ingest.dataset import country_names
from claimscope.queries import actor as queries
from claimscope.text import escape_markdown
from claimscope.views.actor import STATEMENT_COLUMNS, threads_sentence
from claimscope.views.links import actor_urls, claim_urls
from claimscope.views.timeline import claim_from_selection
from ui.links import claim_column, set_filter, speaker_column
from ui.state import active_options, select_claim
from ui.view import SHARE_COLUMNS, built_when_opened, current_view, filter_summary, plotly_chart, tabs_built_when_open, text

PICKER_KEY = "actor_picker"

view = current_view()
st.title("Actor profile")
filter_summary(view)

speakers = [value for value, _ in active_options(view.dataset).get("speaker", [])]
selected = list(view.filters.speaker)
subject = selected[0] if selected else ""


def pick_actor() -> None:
    picked = st.session_state.get(PICKER_KEY) or ""
    set_filter("speaker", [picked] if picked else [])


st.session_state[PICKER_KEY] = subject if subject in speakers else ""
st.selectbox(
    "Actor",
    options=["", *speakers],
    format_func=lambda name: "— choose an actor —" if not name else name,
    key=PICKER_KEY,
    on_change=pick_actor,
    help="The profile's actor is the sidebar's Speaker filter. URL parameter: `speaker`.",
)
if len(selected) > 1:
    text(f"The Speaker filter holds {len(selected)} actors: this is the profile of the first, {subject}. Choose another above.")
if not subject:
    st.info("Choose an actor above, or follow a speaker's name in any table, to see their profile.", icon="ℹ️")
    st.stop()

scope = view.scope
counts = queries.statement_counts(scope, subject)
card = queries.actor_card(scope, view.dataset.actors, subject, counts)
names = country_names(view.dataset.countries)

# --- who they are --------------------------------------------------------------------------------------
st.header(escape_markdown(own_analysis_label([subject]) if card.is_author else subject), anchor=False)
if card.is_author:
    st.info(
        f"These statements are {OWN_ANALYSIS}, not a stakeholder's: the source speaking in its own voice. "
        "Every page names them as such; the sidebar's *Leave out the source's own analysis* (`authors=exclude`) hides them.",
        icon="ℹ️",
    )
# the listed statements, and what is drawn from them (one query when they are few: see actor_statements)
statements = queries.actor_statements(scope, subject, counts) if counts.matched else None
roles = queries.roles_over_time(scope, subject, card.role, statements if not counts.hidden else None)
facts = {
    "Role at the time": "; ".join(f"{r.role} ({r.first} to {r.last})" for r in roles.itertuples()) or "not given",
    "Country": f"{names.get(card.country, card.country)} ({card.country})" if card.country else "none given",
    "Kind": card.kind or "not given",
    "Also named": ", ".join(card.aliases) or "no alias",
}
if not card.listed:
    facts["actors.csv"] = "does not list this actor"
elif card.canonical != subject:
    facts["actors.csv"] = f"lists them as {card.canonical}"
left, right = st.columns([3, 2])
with left:
    for label, value in facts.items():
        text(f"{label}: {value}")
with right:
    a, b, c = st.columns(3)
    a.metric("Statements", counts.matched, help="Statements of this actor that the filters keep.")
    b.metric("Reactions", counts.reactions)
    c.metric("In the dataset", counts.total, help="All their statements, whatever the filters.")

hidden = counts.hidden
if hidden:
    others = [line for line in view.filters.describe() if not line.startswith("Speaker:")]
    st.warning(
        escape_markdown(
            f"The filters hide {hidden} of {subject}'s {counts.total} statements ({' · '.join(others) or 'filters'}). "
            "Loosen them in the sidebar to see all."
        ),
        icon="🔎",
    )
if statements is None:
    st.stop()

# --- first and last statement --------------------------------------------------------------------------
first, last = statements.first, statements.last
if first is not None:
    st.subheader("First and last statement", anchor=False)
    for column, (label, claim) in zip(st.columns(2), [("First", first), ("Last", last)], strict=True):
        with column.container(border=True):
            stance = claim["stance"] if isinstance(claim["stance"], str) else "unlabelled"
            st.markdown(f"**{label}** · " + escape_markdown(f"{claim['date']} · {claim['kind']} · {stance}"))
            text(claim["summary"] or claim["quote"])
            if st.button(escape_markdown(f"Open {claim['claim_id']}"), key=f"actor_open_{label}"):
                select_claim(claim["claim_id"])
                st.query_params["claim"] = claim["claim_id"]
                st.switch_page("pages/claims.py")

# --- the sections: tabs kept in the URL as ``section``; only the open one runs ------------------------------


def over_time() -> None:
    """Their dated statements in two lanes (claims, reactions) by stance, the events they answered on top."""
    st.subheader("Statements over time, by stance", anchor=False)
    timeline = statements.timeline
    answered_events = set(queries.answered_events(scope, subject))
    events = view.dataset.events
    events = events.loc[events["event_id"].isin(answered_events)] if answered_events and not events.empty else None
    st.caption(
        "A point is a statement dated to the day; a bar spans the month or year of one known only that precisely. "
        "Colour and symbol both give the stance; the events they answered are drawn on top. Click a statement to open it."
    )
    if timeline.points is not None:
        figure = timeline_figure(timeline.points, events, lane_title="kind")
    else:  # past the figure's limit of points: the engine's groups, the same figure without shipping the statements
        figure = grouped_timeline_figure(
            timeline.groups,
            timeline.lanes,
            timeline.statements,
            timeline.first_start,
            timeline.last_end,
            events,
            lane_title="kind",
        )
    if timeline.statements:  # every lane whole, however few the points; the stance legend even with one stance
        lanes = list(figure.layout.yaxis.tickvals)
        figure.update_yaxes(autorange=False, range=[max(lanes) + 0.5, min(lanes) - 0.5])  # reversed: first lane on top
        figure.update_layout(showlegend=True)
    event = plotly_chart(
        figure,
        on_select="rerun",
        selection_mode="points",
        key="actor_over_time",
        alt=f"Timeline of {subject}'s {timeline.statements} dated statements in two lanes (claims, reactions), coloured and shaped by "
        "stance" + (f", with the {len(events)} events they answered." if events is not None else "."),
    )
    picked = claim_from_selection(event)
    if picked and timeline.points is not None and (timeline.points["claim_id"] == picked).any():
        select_claim(picked)
        st.query_params["claim"] = picked
        st.switch_page("pages/claims.py")
    built_when_opened("Show as table", "actor_timeline_table", st.dataframe, timeline.groups, hide_index=True)


def topics_and_countries() -> None:
    """The topics of their statements and the countries they speak about, most frequent first."""
    left, right = st.columns(2)
    for column, field, title, noun in (
        (left, "topics", "Topics", "topic"),
        (right, "about", "Countries they speak about", "country"),
    ):
        with column:
            st.subheader(title, anchor=False)
            table = statements.topics if field == "topics" else statements.about
            value_labels = {}
            if field == "about":
                value_labels = {v: f"{names.get(v, v)} ({v})" if names.get(v, v) != v else v for v in table["value"]}
            plotly_chart(
                shares_figure(
                    table.assign(subject=subject, total=counts.matched),
                    [subject],
                    value_labels=value_labels,
                    measure="statements",
                    noun=f"{noun}s",
                ),
                key=f"actor_{field}",
                alt=f"Bars: the {len(table)} {noun} values most frequent in {subject}'s statements, with counts.",
            )
            built_when_opened(
                "Show as table", f"actor_shares_table_{field}", st.dataframe, table, hide_index=True, column_config=SHARE_COLUMNS
            )


def threads() -> None:
    """Whom they answered and who answered them: two joins, asked only when this section is open."""
    answers = queries.answered(scope, subject)
    replies = queries.answered_by(scope, subject)
    st.subheader("Threads: whom they answered, who answered them", anchor=False)
    text(threads_sentence(subject, queries.threads(answers, replies)))
    st.caption(
        "Days count only when both dates are known to the day. The reactions of others are those that the filters "
        "other than Speaker keep."
    )
    with st.container():
        st.markdown("**Whom they answered**")
        if not answers.total:
            st.caption("None of these statements responds to a statement or event of the dataset.")
        else:
            rows = answers.rows  # at most queries.MAX_ROWS: links are built for the rows shown only
            is_claim = rows["target_kind"] == "claim"
            shown = rows.assign(
                claim_id=claim_urls(rows["claim_id"], view.filters),
                speaker_answered=actor_urls(rows["target_speaker"], view.filters).where(is_claim, None),
                event_answered=rows["target_speaker"].where(~is_claim, None),
            )
            if answers.truncated:
                st.caption(f"The first {len(rows):,} of {answers.total:,} reactions, oldest first.")
            st.dataframe(
                shown,
                hide_index=True,
                column_config={"claim_id": claim_column(), "speaker_answered": speaker_column("speaker answered")},
                column_order=[
                    "claim_id",
                    "date",
                    "stance",
                    "speaker_answered",
                    "event_answered",
                    "target_country",
                    "target_date",
                    "days",
                    "status",
                    "responds_to",
                ],
            )
    with st.container():
        st.markdown("**Who answered them**")
        if not replies.total:
            st.caption("No statement that the filters keep responds to these.")
        else:
            rows = replies.rows
            shown = rows.assign(
                claim_id=claim_urls(rows["claim_id"], view.filters), speaker=actor_urls(rows["speaker"], view.filters)
            )
            if replies.truncated:
                st.caption(f"The first {len(rows):,} of {replies.total:,} reactions, oldest first.")
            st.dataframe(shown, hide_index=True, column_config={"claim_id": claim_column(), "speaker": speaker_column()})


def their_statements() -> None:
    """The list of their statements (the first MAX_ROWS, oldest first), each linked to its detail."""
    st.subheader("Their statements", anchor=False)
    table = statements.rows[STATEMENT_COLUMNS]
    if statements.truncated:
        st.caption(f"The first {len(table):,} of {counts.matched:,} statements, oldest first; the Claims page pages through all.")
    table = table.assign(
        claim_id=claim_urls(table["claim_id"], view.filters),
        about=[list(v) if v is not None else [] for v in table["about"]],
        topics=[list(v) if v is not None else [] for v in table["topics"]],
        **{c: table[c].astype(object).where(table[c].notna(), "") for c in ("kind", "stance", "claim_type")},
    )
    st.dataframe(
        table,
        hide_index=True,
        column_config={
            "claim_id": claim_column(),
            "about": st.column_config.ListColumn("about"),
            "topics": st.column_config.ListColumn("topics"),
            "summary": st.column_config.TextColumn("summary", width="large"),
            "quote": st.column_config.TextColumn("quote", width="large"),
        },
    )


SECTIONS = {
    "Over time": over_time,
    "Topics and countries": topics_and_countries,
    "Threads": threads,
    "Their statements": their_statements,
}
# A link draws one section: the others' charts, tables and joins wait until the reader opens them (as the Country
# relations page's tabs do). Their state is in the URL (``section``), so a link can open any of them.
tabs_built_when_open(SECTIONS, key="section")
