"""The trivial app with claimscope's sidebar: what Streamlit costs for the app's filter widgets, apart from its work.

``bench/trivial_app.py`` (the same navigation, one small chart and table a page) with, in the sidebar, the widgets
claimscope's sidebar draws (``ui.state.sidebar_filters``): five multiselects with the same numbers of options as the
filters of the `threads` 1M dataset (each option "value (count)", each with its help), the From and To fields side
by side, the search field, the toggle, the closed "More filters" expander (the four other multiselects, drawn when
it is opened) and the reset button (the Stance filter bound to the URL, as in the trivial app, for the benchmark's
filter change). It reads no data. Opened on the same links as the app
(``bench/versions_ab.py links --apps NEW NEW:bench/trivial_app.py NEW:bench/trivial_sidebar_app.py``), it shows
how much of what a page costs over the trivial app is Streamlit drawing those widgets. A diagnostic, not the
targets' reference (that stays ``bench/trivial_app.py``). Not part of the product. It repeats the trivial app's pages
rather than importing them: a Streamlit script draws as it is imported.
"""

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

st.set_page_config(page_title="trivial with a sidebar", layout="wide")

STANCES = ["support", "oppose", "concern", "neutral"]
PAGES = [
    ("Overview", ""),
    ("Claims", "claims"),
    ("Actor profile", "actor"),
    ("Compare", "compare"),
    ("Timeline", "timeline"),
    ("Country relations", "relations"),
    ("Data", "data"),
]
#: claimscope's filters (claimscope.filters.FILTER_PARAMS: label, URL parameter, help; copied, so that this app
#: imports nothing of claimscope) and how many values each has in `threads` 1M
FILTERS = [
    ("Speaker", "speaker", "Actor who made the statement (repeatable).", 2001),
    ("Speaker country", "country", "The speaker's country, bloc or organisation (repeatable).", 65),
    ("About", "about", "Countries the statement is about (repeatable).", 60),
    ("Kind", "kind", "claim or reaction (repeatable).", 2),
    ("Stance", "stance", "Stance toward the dataset's subject (repeatable).", 4),
    ("Topic", "topic", "Topic slug (repeatable).", 20),
    ("Claim type", "type", "What the statement does (repeatable).", 10),
    ("Attribution", "attribution", "direct_quote, paraphrase or unattributed (repeatable).", 3),
    ("Certainty", "certainty", "asserted, hedged or speculative (repeatable).", 3),
]
FIGURE = go.Figure(go.Bar(x=STANCES, y=[4, 3, 2, 1], marker_color=["#009E73", "#D55E00", "#E69F00", "#999999"]))
TABLE = pd.DataFrame({"stance": STANCES, "statements": [4, 3, 2, 1]})


def page_of(title: str):
    def render() -> None:
        chosen = st.session_state.get("stance") or STANCES
        st.title(title)
        st.caption(f"{len(chosen)} of {len(STANCES)} stances")
        st.plotly_chart(FIGURE, key=f"chart_{title}")
        st.dataframe(TABLE[TABLE["stance"].isin(chosen)], hide_index=True)

    return render


pages = [st.Page(page_of(title), title=title, url_path=path or "overview", default=not path) for title, path in PAGES]
page = st.navigation(pages)
#: the filters claimscope folds under "More filters" (ui.state.FOLDED_FILTERS)
FOLDED = ("kind", "type", "attribution", "certainty")


def filter_widget(container, label: str, param: str, words: str, count: int) -> None:
    values = STANCES if param == "stance" else [f"{label} {i:04}" for i in range(count)]
    container.multiselect(
        label,
        values,
        format_func=lambda value: f"{value} (123)",
        # the Stance filter as in bench/trivial_app.py (bound to the URL): the benchmark's filter change picks it
        key="stance" if param == "stance" else f"filter_{param}",
        bind="query-params" if param == "stance" else None,
        help=f"{words} URL parameter: `{param}`. The number is how many statements have the value.",
        placeholder="Any",
    )


st.sidebar.header("Filters")
for label, param, words, count in FILTERS:
    if param not in FOLDED:
        filter_widget(st.sidebar, label, param, words, count)
left, right = st.sidebar.columns(2)
left.text_input("From", key="from", placeholder="YYYY[-MM[-DD]]", help="URL parameter: `from`.")
right.text_input("To", key="to", placeholder="YYYY[-MM[-DD]]", help="URL parameter: `to`.")
st.sidebar.text_input(
    "Search quotes and summaries",
    key="q",
    help="Every word must occur; case and accents ignored. URL parameter: `q`.",
)
st.sidebar.toggle(
    "Leave out the source's own analysis",
    key="authors",
    help="The article's own analysis (statements of its author, or unattributed) is not a stakeholder: "
    "leave it out of every count and chart. URL parameter: `authors=exclude`.",
)
with st.sidebar.expander("More filters", key="more", on_change="rerun") as more:
    if more.open:
        for label, param, words, count in FILTERS:
            if param in FOLDED:
                filter_widget(more, label, param, words, count)
st.sidebar.button("Reset all filters", width="stretch", icon=":material/restart_alt:")
page.run()
