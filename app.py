"""claimscope: who claimed what about the Russia–North Korea partnership, who reacted how, and when.

The entrypoint: shared sidebar filters (kept in the URL) for every page, then the page itself.
Run with ``streamlit run app.py``; the dataset folder is ``$CLAIMSCOPE_DATA_DIR`` (default ``data/``).
"""

import streamlit as st

from ui.sidebar import build_view

st.set_page_config(page_title="claimscope", page_icon=":material/travel_explore:", layout="wide")

PAGES = [
    st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", url_path="overview", default=True),
    st.Page("pages/claims.py", title="Claims", icon=":material/format_quote:", url_path="claims"),
    st.Page("pages/timeline.py", title="Timeline", icon=":material/timeline:", url_path="timeline"),
    st.Page("pages/relations.py", title="Country relations", icon=":material/hub:", url_path="relations"),
    st.Page("pages/data.py", title="Data", icon=":material/database:", url_path="data"),
]

page = st.navigation(PAGES)
view = build_view()
if view is None:
    st.stop()
page.run()
