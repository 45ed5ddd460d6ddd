"""The trivial app with claimscope's sidebar: what Streamlit costs for the app's filter widgets, apart from its work.

``bench/trivial_app.py`` (the same navigation, one small chart and table a page) with, in the sidebar, the widgets
claimscope's sidebar draws (``ui.state.sidebar_filters``): nine multiselects with the same numbers of options as the
filters of the `threads` 1M dataset (each option "value (count)", each with its help), the From and To fields side
by side, the search field, the toggle and the reset button. It reads no data. Opened on the same links as the app
(``bench/versions_ab.py links --apps NEW NEW:bench/trivial_app.py NEW:bench/trivial_sidebar_app.py``), it shows
how much of what a page costs over the trivial app is Streamlit drawing those widgets. A diagnostic, not the
targets' reference (that stays ``bench/trivial_app.py``). Not part of the product.
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
#: claimscope's filters (claimscope.filters.FILTER_PARAMS) and how many values each has in `threads` 1M
FILTERS = [
    ("Speaker", 2001),
    ("Speaker country", 65),
    ("About", 60),
    ("Kind", 2),
    ("Stance", 4),
    ("Topic", 20),
    ("Claim type", 10),
    ("Attribution", 3),
    ("Certainty", 3),
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
st.sidebar.header("Filters")
for label, count in FILTERS:
    values = STANCES if label == "Stance" else [f"{label} {i:04}" for i in range(count)]
    st.sidebar.multiselect(
        label,
        values,
        format_func=lambda value: f"{value} (123)",
        key="stance" if label == "Stance" else f"filter_{label}",
        bind="query-params" if label == "Stance" else None,
        help=f"What the {label.lower()} filter keeps (repeatable). URL parameter: `{label.lower()}`.",
        placeholder="Any",
    )
left, right = st.sidebar.columns(2)
left.text_input("From", key="from", placeholder="YYYY[-MM[-DD]]", help="URL parameter: `from`.")
right.text_input("To", key="to", placeholder="YYYY[-MM[-DD]]", help="URL parameter: `to`.")
st.sidebar.text_input("Search quotes and summaries", key="q", help="Every word must occur. URL parameter: `q`.")
st.sidebar.toggle("Leave out the source's own analysis", key="authors", help="URL parameter: `authors=exclude`.")
st.sidebar.button("Reset all filters", width="stretch", icon=":material/restart_alt:")
page.run()
