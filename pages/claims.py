"""Claims: the filtered table, and the selected claim in detail with its provenance."""

import datetime as dt
from urllib.parse import quote as url_quote

import streamlit as st

from claimscope.queries.claims import MAX_PICKER_OPTIONS, claim_record, picker_ids, reactions_to, responds_to, table_page
from claimscope.queries.options import claim_exists
from claimscope.text import escape_markdown, quote_context
from claimscope.views.links import actor_urls
from claimscope.views.provenance import citation, claim_fields, field_lines, source_of
from claimscope.views.table import FULL_TABLE_ROWS, PAGE_ROWS, SORTS, page_count
from claimscope.views.timeline import claim_from_selection
from ui.cascade import cascade_of, mode_control, show_cascade
from ui.links import profile_button, speaker_column
from ui.state import CLAIM_KEY, CLAIMS_LIST_KEY, CLAIMS_TABLE_KEY, claim_picker, open_claim, select_claim
from ui.view import built_when_opened, current_view, empty_state, filter_summary, tabs_built_when_open, text

CITATION_KEY = "claim_citation"
#: the claim ids of the table's rows as last drawn: a row clicked is the row of the table the analyst saw
TABLE_IDS_KEY = "_claims_table_ids"


@st.fragment
def permalink_and_citation(claim_id: str, cited: str) -> None:
    """The claim's link and citation, each in a code box with its copy button, built when the expander is opened:
    a code box makes the browser load its syntax highlighter (a third of a second of a page's drawing here).
    Opening it reruns this fragment only, not the page."""
    with st.expander("Permalink and citation", key=CITATION_KEY, on_change="rerun") as box:
        if box.open:
            base = (st.context.url or "").split("?")[0]
            st.code(f"{base}?claim={url_quote(claim_id, safe='')}", language=None)
            st.code(cited, language=None, wrap_lines=True)


def open_table_row() -> None:
    """A row of the table clicked (runs before the next run): open the claim of that row of the table as drawn.

    The table's selection is a row's position, which the browser keeps across reruns: read in the page after a
    filter change, it would open whatever claim the new table has at that position.
    """
    rows = st.session_state[CLAIMS_TABLE_KEY]["selection"]["rows"]
    shown = st.session_state.get(TABLE_IDS_KEY) or []
    if rows and rows[0] < len(shown):
        select_claim(shown[rows[0]])
        st.session_state[CLAIMS_LIST_KEY] = True  # browsing the list: it stays in view above the claim opened from it


def open_from_cascade(chart_key: str) -> None:
    """A click on a statement of the cascade opens it here (a callback: it runs before the sidebar writes the URL)."""
    picked = claim_from_selection(st.session_state.get(chart_key))
    if picked and claim_exists(view.scope, picked):
        open_claim(picked)


def list_label(matched: int) -> str:
    """The folded list's label: how many statements it holds, and what it is for."""
    noun = "statement" if matched == 1 else "statements"
    return f"The {matched:,} matching {noun}: select one, or open any claim by its id"


def plural_days(days: int | None, direction: str) -> str:
    if days is None:
        return "date too coarse to count days"
    return f"{days} day {direction}" if days == 1 else f"{days} days {direction}"


view = current_view()
st.title("Claims")
filter_summary(view)
if empty_state(view):
    st.stop()

matched = view.scope.matched
selected_id = st.session_state.get(CLAIM_KEY, "")
# the selected claim's row, read by key (the filters may leave it out: the URL opens any claim of the dataset)
claim = claim_record(view.scope, selected_id) if selected_id else None


def statements_list(selected_id: str, claim_is_open: bool) -> None:
    """The matching statements: a sortable page of them (or all, when they fit in one table), select a row to
    open it, and a picker that opens any statement by id."""
    paged = matched > FULL_TABLE_ROWS
    sort, page = "dataset order", 1
    if paged:
        left, right = st.columns([3, 1])
        # kept while the list is folded (not drawn) on this page
        sort = left.selectbox("Sort all matching statements by", list(SORTS), key="table_sort", persist_state="page")
        page = right.number_input(
            f"Page (of {page_count(matched)})",
            min_value=1,
            max_value=page_count(matched),
            step=1,
            key="table_page",
            persist_state="page",
        )
        st.caption(f"{matched:,} statements match: the table shows {PAGE_ROWS} at a time, sorted here on the whole set.")
    # sorted and cut in the engine: a page at most (FULL_TABLE_ROWS when every match fits in one table)
    table = (
        table_page(view.scope, sort, int(page), rows=matched)
        if paged
        else table_page(view.scope, page_rows=max(1, matched), rows=matched)
    )
    matches = table.index[table["claim_id"] == selected_id] if selected_id else []
    default_rows = [int(matches[0])] if len(matches) else []
    # the table marks the open claim's row, or none: set on every run, so that a kept position never names another claim
    st.session_state[CLAIMS_TABLE_KEY] = {"selection": {"rows": default_rows, "columns": []}}
    st.session_state[TABLE_IDS_KEY] = list(table["claim_id"])
    st.dataframe(
        table.assign(speaker=actor_urls(table["speaker"], view.filters)),
        hide_index=True,
        on_select=open_table_row,
        selection_mode="single-row",
        key=CLAIMS_TABLE_KEY,
        column_config={
            "url": st.column_config.LinkColumn("url", display_text="open"),
            "speaker": speaker_column(),
            "about": st.column_config.ListColumn("about"),
            "topics": st.column_config.ListColumn("topics"),
            "quote": st.column_config.TextColumn("quote", width="large"),
            "summary": st.column_config.TextColumn("summary", width="large"),
        },
        alt="Table of the statements that match the filters; select a row to open it.",
    )
    ids = picker_ids(view.scope, MAX_PICKER_OPTIONS)
    if claim_is_open and selected_id not in ids:
        ids.insert(0, selected_id)
    claim_picker(
        "Open a claim",
        "claim_picker",
        ["", *ids],
        selected_id,
        view.engine,
        format_func=lambda cid: "— choose a claim (or select a row above) —" if not cid else cid,
        help=f"Lists the first {MAX_PICKER_OPTIONS:,} matching statements; type any statement's id and press Enter to "
        "open it, even one the filters leave out. URL parameter: `claim`.",
        keep_open=CLAIMS_LIST_KEY,
    )


if claim is None:
    statements_list(selected_id, claim_is_open=False)
    st.caption("Select a row, or open a claim by id, to see its quote in its source, its reactions and a citation.")
    st.stop()

# A claim open: the claim first. A link, a cascade's click or *Open it* lands on it with the list folded above it; a
# claim opened from the list (a row, the picker) keeps it open, as does the analyst who opens it. Folded, the page
# builds neither the table nor the picker: they took a claim's link 0.6–0.8 s of the browser's work at 1M claims.
# The expander's state is set again before it is drawn: its label carries the count, and Streamlit takes a keyed
# expander with a new label for a new widget (a filter change would fold the list the analyst had open).
st.session_state[CLAIMS_LIST_KEY] = bool(st.session_state.get(CLAIMS_LIST_KEY, False))
with st.expander(list_label(matched), key=CLAIMS_LIST_KEY, on_change="rerun") as box:
    if box.open:
        statements_list(selected_id, claim_is_open=True)

st.header(escape_markdown(f"{claim['claim_id']} · {claim['speaker']} · {claim['date']}"), anchor=False)
profile_button(str(claim["speaker"]), key="claim_speaker_profile")
with st.container(border=True):
    text(claim["quote"])
if claim.get("summary"):
    st.caption("Summary (curator's words)")
    text(claim["summary"])

left, right = st.columns([3, 2])
with left:
    st.markdown("**Fields**")
    # one block of text, not a second data grid: the grid cost a claim's page 0.1–0.2 s of the browser's work
    st.markdown(field_lines(claim_fields(claim, shown=("quote", "summary"))))
with right:
    st.markdown("**Source**")
    source = source_of(view.dataset, claim)
    source_url = (source or {}).get("url") or claim.get("url") or ""
    if source:
        text(
            f"{source.get('title') or source['source_id']} — {source.get('publisher') or 'publisher unknown'}, {source.get('published') or 'date unknown'}"
        )
        if source.get("note"):
            st.caption("Note on this source")
            text(source["note"])
    if claim.get("url"):
        st.link_button("Open where it appeared", claim["url"], icon=":material/open_in_new:")
    elif source_url:
        st.link_button("Open the source", source_url, icon=":material/open_in_new:")

    st.markdown("**Responds to**")
    answered = responds_to(view.scope, view.dataset.events, claim)
    if answered is None:
        st.caption("Nothing: this statement is not a reaction to a statement or event of the dataset.")
    else:
        days = plural_days(answered.days, "before")
        text(f"{answered.kind} {answered.id} · {answered.date} ({days}) · {answered.label}: {answered.text}")
        if answered.kind == "claim":
            st.button("Open it", key="open_answered", on_click=open_claim, args=(answered.id,))
    st.markdown("**Reactions to it**")
    reactions = reactions_to(view.scope, claim)
    if not reactions.links:
        st.caption("No statement of the dataset responds to this one.")
    for link in reactions.links:
        days = plural_days(link.days, "later")
        text(f"{link.id} · {link.date} ({days}) · {link.label}: {link.text}")
    if reactions.more:
        st.caption(
            f"Only the first {len(reactions.links):,} of its {reactions.total:,} reactions (the earliest) are listed here."
        )


def source_text() -> None:
    """The quote highlighted in its source's kept text, and the whole text on demand."""
    full_text = view.dataset.texts.get(str(claim.get("source_id") or ""))
    if not full_text:
        st.caption("The dataset keeps no text for this source; follow the link to check the quote.")
        return
    parts = quote_context(full_text, str(claim["quote"]))
    if parts is None:
        st.warning("The quote is not found verbatim in the kept text.", icon="⚠️")
    else:
        before, found, after = parts
        # no fixed height: a scrolling box would need keyboard focus to be read (the context is bounded anyway)
        with st.container(border=True):
            st.markdown(escape_markdown(before) + ":orange-background[" + escape_markdown(found) + "]" + escape_markdown(after))
    built_when_opened("Full source text", "claim_source_text", st.text, full_text)


def reaction_cascade() -> None:
    """The thread the statement belongs to, or the reactions to it, as a tree."""
    cascade_mode = mode_control()
    cascade = cascade_of(view, claim["claim_id"], cascade_mode)
    chart_key = f"claim_cascade_{cascade.root}"
    show_cascade(view, cascade, claim["claim_id"], chart_key, lambda: open_from_cascade(chart_key))


# The quote in its source first; the cascade, when there is one, is a tab of its own (``detail`` in the URL), drawn only
# when it is opened: a claim's link then draws no chart and runs no walk of its thread.
if answered is None and not reactions.links:
    st.markdown("**The quote in its source text**")
    source_text()
else:
    tabs_built_when_open({"The quote in its source text": source_text, "Reaction cascade": reaction_cascade}, key="detail")

permalink_and_citation(claim["claim_id"], citation(view.dataset, claim, dt.date.today(), source_url))
