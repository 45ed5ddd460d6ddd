"""claimscope: who claimed what about the Russia–North Korea partnership, who reacted how, and when.

The entrypoint: shared sidebar filters (kept in the URL) for every page, then the page itself.
Run with ``streamlit run app.py``; the dataset folder is ``$CLAIMSCOPE_DATA_DIR`` (default ``data/``).
"""

from pathlib import Path

import streamlit as st

from claimscope.queries.actor import prepare
from ui.navigation import app_pages
from ui.sidebar import build_view

# a small SVG of our own, which Streamlit sends inline (a data: URL): a Material icon would be fetched from Google's
# font server, and an emoji makes Streamlit load its catalogue of every emoji to check it (about 0.1 s of a restart);
# a Path, not a string, which Streamlit would check against that catalogue if it held a character outside ASCII
st.set_page_config(page_title="claimscope", page_icon=Path(__file__).with_name("static") / "claimscope.svg", layout="wide")


page = st.navigation(app_pages())
view = build_view()
if view is None:
    st.stop()
try:
    page.run()
finally:
    # once the page's queries are done (a server's first run among them), the engine's derived tables are written
    # in the background, for the pages that join reactions to their targets (once per engine; cheap afterwards)
    prepare(view.engine)
