"""A trivial Streamlit app of claimscope's shape: what Streamlit and the browser cost on this machine.

The same navigation (st.navigation, seven pages at the same URL paths), a sidebar with one multiselect bound
to the URL, and on each page a title, one small fixed plotly figure and one small table. It reads no data.
``bench/benchmark.py --browser`` opens the same deep links on it as on the app: the difference between the two
is what claimscope's own work costs, the rest is the floor of a Streamlit page in this browser on this machine.
Not part of the product.
"""

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

st.set_page_config(page_title="trivial", layout="wide")

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
st.sidebar.multiselect("Stance", STANCES, key="stance", bind="query-params")
page.run()
