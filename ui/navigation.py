"""The app's pages, defined once for the entrypoint (and for the legacy-mode escape in ui.view)."""

from __future__ import annotations

import streamlit as st


def app_pages() -> list:
    """Every page with its URL path: / (Overview, the default page), /claims, /actor, /compare, /timeline, /relations, /data."""
    return [
        st.Page("pages/overview.py", title="Overview", default=True),
        st.Page("pages/claims.py", title="Claims", url_path="claims"),
        st.Page("pages/actor.py", title="Actor profile", url_path="actor"),
        st.Page("pages/compare.py", title="Compare", url_path="compare"),
        st.Page("pages/timeline.py", title="Timeline", url_path="timeline"),
        st.Page("pages/relations.py", title="Country relations", url_path="relations"),
        st.Page("pages/data.py", title="Data", url_path="data"),
    ]
