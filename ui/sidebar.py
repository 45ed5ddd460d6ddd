"""The entrypoint's shared part: pick the dataset, draw the filters, compute the view."""

from __future__ import annotations

import streamlit as st

from claimscope.text import escape_markdown
from ui.notices import set_aside_banner
from ui.state import NOTICES_KEY, UPLOADED_KEY, USE_UPLOAD_KEY, active_dataset, active_engine, sidebar_filters
from ui.view import VIEW_KEY, View


def build_view() -> View | None:
    """Run once per script run, before the page: the dataset, the filters from the sidebar/URL, the rows."""
    if st.session_state.get(UPLOADED_KEY) is not None:
        # re-assigned so that the choice survives a page change (Streamlit drops the state of unrendered widgets)
        st.session_state[USE_UPLOAD_KEY] = bool(st.session_state.get(USE_UPLOAD_KEY, False))
        st.sidebar.toggle(
            "Explore my uploaded data",
            key=USE_UPLOAD_KEY,
            help="Show the dataset you uploaded on the Data page in every page, instead of the curated data.",
        )
    dataset = active_dataset()
    if dataset is None:
        return None
    set_aside_banner(dataset)  # every page, at the top: the rows this view does not hold
    filters, notices = sidebar_filters(dataset)
    url_notices = st.session_state.get(NOTICES_KEY) or []
    for notice in [*url_notices, *notices]:
        st.sidebar.warning(escape_markdown(notice), icon="⚠️")
    view = View(dataset=dataset, filters=filters, engine=active_engine(dataset))
    st.session_state[VIEW_KEY] = view
    return view
