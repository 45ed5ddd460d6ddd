"""Timeline: the filtered statements by date in lanes (precision drawn), trends per period, reaction cascades, latency.

Each is a view of its own (``view`` in the URL): a link draws one chart, and only the open view's queries run.
"""

import pandas as pd
import streamlit as st

from claimscope.dates import parse_partial_date
from claimscope.figures.timeline import latency_figure, timeline_figure
from claimscope.figures.trends import trends_figure
from claimscope.filters import VIEW_PARAMS_BY_NAME, Filters
from claimscope.ingest.dataset import country_names, short_country_names
from claimscope.queries.cascade import cascade_picker
from claimscope.queries.claims import MAX_PICKER_OPTIONS
from claimscope.queries.options import claim_exists
from claimscope.queries.timeline import reaction_latency, timeline_events, timeline_marks
from claimscope.queries.trends import dataset_blocs, span, trend_summary, trend_table
from claimscope.views.links import actor_urls
from claimscope.views.timeline import LatencyView, TimelineEvents, TimelineMarks, claim_from_selection, events_in_range
from claimscope.views.trends import auto_interval, events_per_period, range_from_selection
from ui.cascade import cascade_of, mode_control, show_cascade
from ui.links import speaker_column
from ui.notices import gap_note
from ui.state import claim_picker, select_claim, set_date_range, setting_key
from ui.view import built_when_opened, current_view, empty_state, filter_summary, plotly_chart, text

MAX_TABLE_ROWS = 2000
VIEWS = {"statements": "Statements by date", "trends": "Trends", "cascade": "Reaction cascade", "latency": "Reaction latency"}
GROUP_WORDS = {"country": "speaker country", "bloc": "bloc", "actor": "speaker (actor)"}
INTERVAL_WORDS = {"auto": "auto", "week": "week", "month": "month", "year": "year"}


def trend_tables(table: pd.DataFrame, events: pd.DataFrame | None) -> None:
    """The trends chart's bars as rows, then the context events per period."""
    if table.empty:
        text("Nothing to list.")
    else:
        st.dataframe(table.drop(columns=["period", "period_end"]), hide_index=True)
    if events is not None and len(events):
        st.markdown("**Context events per period**")
        st.dataframe(events.drop(columns=["period", "period_end"]), hide_index=True)


def marks_tables(marks: TimelineMarks, events: TimelineEvents | None, filters: Filters) -> None:
    """The timeline's marks as rows (its groups when it draws groups), then its context events."""
    if marks.groups is not None:
        st.dataframe(marks.groups, hide_index=True)
    else:
        points = marks.points
        st.dataframe(
            points.drop(columns=["date_start", "date_end"]).assign(speaker=actor_urls(points["speaker"], filters)),
            hide_index=True,
            column_config={"summary": st.column_config.TextColumn("summary", width="large"), "speaker": speaker_column()},
        )
    if events is not None and not events.empty:
        st.markdown("**Context events**")
        if events.total > len(events.rows):
            st.caption(f"The first {len(events.rows):,} of {events.total:,} context events; narrow the dates to see the others.")
        st.dataframe(events.rows.drop(columns=["date_start", "date_end"]), hide_index=True)


def latency_table(latency: LatencyView, filters: Filters) -> None:
    """The reactions the latency chart counts, as rows (the first of them when there are many)."""
    if latency.empty:
        text("No reaction to list.")
        return
    if latency.reactions > len(latency.rows):
        st.caption(f"The first {len(latency.rows):,} of {latency.reactions:,} reactions; narrow the filters to see the others.")
    shown = latency.rows
    st.dataframe(
        shown.assign(speaker=actor_urls(shown["speaker"], filters)),
        hide_index=True,
        column_config={"speaker": speaker_column()},
    )


def open_claim(claim_id: str | None) -> None:
    """A chart click on a statement: open it on the Claims page."""
    if claim_id and claim_exists(view.scope, claim_id):
        select_claim(claim_id)
        st.query_params["claim"] = claim_id
        st.switch_page("pages/claims.py")


def narrow_to_bar() -> None:
    """A click on a trend bar: every page narrows to that bar's period (runs before the sidebar)."""
    picked = range_from_selection(st.session_state.get("timeline_trends"))
    if picked:
        set_date_range(*picked)


view = current_view()
st.title("Timeline")
filter_summary(view)
if empty_state(view):
    st.stop()

names = country_names(view.dataset.countries)
mode = (
    st.segmented_control(
        "View",
        options=list(VIEWS),
        format_func=VIEWS.get,
        key=setting_key("view"),
        required=True,
        help="URL parameter: `view`.",
    )
    or "statements"
)
if mode in ("statements", "trends"):  # the lanes and the events toggle: the other views have their own controls
    left, right = st.columns([2, 3])
    by = (
        left.segmented_control(
            "One lane per" if mode == "statements" else "One row per",
            options=list(VIEW_PARAMS_BY_NAME["by"].choices),
            format_func=GROUP_WORDS.get,
            key=setting_key("by"),
            required=True,
            help="A bloc is the largest group of countries.csv a country belongs to (a country in none is its own). "
            "URL parameter: `by`.",
        )
        or "country"
    )
    no_events = view.dataset.gaps.get("events")
    show_events = right.toggle(
        "Show context events",
        value=not no_events,
        disabled=bool(no_events),
        key="timeline_events",
        help=f"The dated events of events.csv. Not available: {no_events}." if no_events else "The dated events of events.csv.",
    )
    blocs = dataset_blocs(view.scope, view.dataset) if by == "bloc" else None

start = pd.Timestamp(parse_partial_date(view.filters.date_from).start) if view.filters.date_from else None
end = pd.Timestamp(parse_partial_date(view.filters.date_to).end) if view.filters.date_to else None

if mode == "trends":
    c1, c2 = st.columns([3, 2])
    interval_choice = (
        c1.segmented_control(
            "Period",
            options=list(INTERVAL_WORDS),
            format_func=INTERVAL_WORDS.get,
            key=setting_key("interval"),
            required=True,
            help="auto: weeks for up to half a year of statements, months up to six years, years beyond. URL parameter: `interval`.",
        )
        or "auto"
    )
    measure = (
        c2.segmented_control(
            "Bars show",
            options=["count", "share"],
            format_func={"count": "counts", "share": "shares of stance"}.get,
            key=setting_key("measure"),
            required=True,
            help="URL parameter: `measure`.",
        )
        or "count"
    )
    # one query for how the statements are dated (the span) and the groups' sizes, one for the bars
    summary = trend_summary(view.scope, by=by, blocs=blocs)
    interval = auto_interval(*span(summary, start, end)) if interval_choice == "auto" else interval_choice
    trend = trend_table(view.scope, by=by, interval=interval, blocs=blocs, summary=summary)
    table, interval = trend.table, trend.interval
    events = None
    if show_events and not table.empty:
        events = events_per_period(
            events_in_range(view.dataset.events, table["period"].min(), table["period_end"].max()), interval
        )
    left_out = []
    if trend.lengthened_from:
        left_out.append(f"per {trend.lengthened_from} there would be too many bars to draw, so the bars are per {interval}")
    if trend.coarse:
        left_out.append(
            f"{trend.coarse:,} statement(s) dated less precisely than a {interval} are not counted (choose a longer period)"
        )
    if trend.undated:
        left_out.append(f"{trend.undated:,} have no readable date")
    if trend.other_groups:
        left_out.append(f"the {trend.other_groups} smallest groups share the last row")
    st.caption(
        f"Statements per {interval}{' (chosen from the span shown)' if interval_choice == 'auto' else ''} and "
        f"{GROUP_WORDS[by]}, stacked by stance (colour and pattern). Dotted lines mark context events; hover a label for "
        "their titles. Click a bar to narrow every page to its period."
        + (" " + "; ".join(left_out).capitalize() + "." if left_out else "")
    )
    plotly_chart(
        trends_figure(
            table,
            trend.groups,
            interval=interval,
            measure=measure,
            events=events,
            names=short_country_names(view.dataset.countries),
            group_title=GROUP_WORDS[by],
        ),
        key="timeline_trends",
        on_select=narrow_to_bar,
        selection_mode="points",
        alt=(
            f"Stacked bars of {trend.counted:,} statements per {interval} in {len(trend.groups)} rows "
            f"(one per {GROUP_WORDS[by]}), {'shares' if measure == 'share' else 'counts'} by stance"
            + (f", with {int(events['events'].sum())} context events marked." if events is not None and len(events) else ".")
        ),
    )
    built_when_opened("Show as table", "trends_table", trend_tables, table, events)
    st.stop()

if mode == "latency":
    st.caption(
        "Days from the statement or event a reaction answers to the reaction itself, per speaker country. "
        "Only dates known to the day are counted; a reaction or target dated to the month or year is listed as too coarse."
    )
    if gap_note(view.dataset, "reactions", "No reaction latency to show: it needs reactions that name what they respond to"):
        st.stop()
    latency = reaction_latency(view.scope, max_rows=MAX_TABLE_ROWS)
    plotly_chart(
        latency_figure(latency, names=names),
        key="latency_chart",
        alt=(
            f"Days to react per speaker country: {latency.counted} reactions counted, {latency.too_coarse} too coarse to count."
        ),
    )
    if latency.summary.empty:
        st.caption("No reaction among these statements answers a statement or event of the dataset.")
    else:
        st.dataframe(latency.summary, hide_index=True)
    built_when_opened("Show as table", "latency_table", latency_table, latency, view.filters)
    st.stop()

if mode == "cascade":
    largest, picked = cascade_picker(view.scope)
    if picked is None:
        st.info("No statement of the dataset answers another statement or an event: there is no cascade to draw.", icon="ℹ️")
        st.stop()
    labels = {cid: f"{cid} · {speaker} · {date}" for cid, speaker, date in picked.itertuples(index=False)}
    selected = view.filters.claim
    if selected and selected not in labels:
        labels[selected] = selected
    c1, c2 = st.columns([3, 2])
    claim_picker(
        "Statement",
        "timeline_cascade_root",
        ["", *labels],
        selected,
        view.engine,
        format_func=lambda cid: "— the largest thread —" if not cid else labels.get(cid, cid),
        help=f"Statements that answer or are answered: the first {MAX_PICKER_OPTIONS:,} in the file's order. Type any "
        "statement's id and press Enter to see its cascade. URL parameter: `claim`.",
        container=c1,
    )
    cascade_mode = mode_control(c2)
    if selected:
        cascade = cascade_of(view, selected, cascade_mode)
    else:
        cascade = cascade_of(view, str(largest["node_id"].iloc[0]), "reactions")
        text(
            f"The largest thread: {cascade.root}, answered by {cascade.reactions} statement(s). Pick a statement to see its own."
        )
    event = show_cascade(view, cascade, selected, "timeline_cascade", "rerun")
    open_claim(claim_from_selection(event))
    st.stop()

events = timeline_events(view.scope, start, end, max_rows=MAX_TABLE_ROWS) if show_events else None
marks = timeline_marks(view.scope, by, blocs)
undated = view.scope.matched - marks.statements
x_range = None
if (start is not None or end is not None) and not marks.empty:
    x_range = (start if start is not None else marks.first, end if end is not None else marks.last)

figure = timeline_figure(
    marks,
    events,
    lane_title=GROUP_WORDS[by],
    names=names if by != "actor" else None,
    x_range=x_range,
)
if marks.aggregated:
    st.info(
        f"{marks.statements:,} statements: too many to draw one by one, so the chart shows how many there are per lane, "
        f"month (or year, for year-precise dates) and stance. Narrow the filters to see and open single statements.",
        icon="ℹ️",
    )
st.caption(
    "A point is a statement dated to the day; a bar spans the month or year of a statement known only that precisely. "
    "Colour and symbol both give the stance. "
    + (
        "Drag the handles of the slider under the chart to zoom, or use the buttons. "
        if figure.layout.xaxis.rangeslider.visible
        else "Drag across the chart to zoom (a double click zooms out), or use the buttons. "
    )
    + ("" if marks.aggregated else "Click a statement to open it.")
    + (
        " There are too many context events to draw one by one: their lane counts them per period."
        if events is not None and events.aggregated
        else ""
    )
)
gap_note(view.dataset, "stance", "Every statement is drawn in one colour and symbol: the timeline cannot show stance")
event = plotly_chart(
    figure,
    on_select="rerun",
    selection_mode="points",
    key="timeline_chart",
    alt=(
        f"Timeline of {marks.statements} statements in {len(marks.lanes)} lanes "
        f"(one per {GROUP_WORDS[by]}), coloured and shaped by stance"
        + (f", with {events.total} context events in a lane of their own." if events is not None and not events.empty else ".")
    ),
)
open_claim(claim_from_selection(event))
if undated:
    st.caption(f"{undated} statement(s) have no readable date and are not drawn.")
built_when_opened("Show as table", "timeline_marks_table", marks_tables, marks, events, view.filters)
