"""Links from tables and details to an actor's profile or a claim (the URLs are built in claimscope.views.links)."""

from __future__ import annotations

import streamlit as st

from claimscope.text import escape_markdown
from claimscope.views.links import ACTOR_LINK_TEXT, CLAIM_LINK_TEXT
from ui.state import WIDGET_PREFIX

ACTOR_PAGE_SCRIPT = "pages/actor.py"


def speaker_column(label: str = "speaker"):
    """A table column of :func:`claimscope.views.links.actor_urls` that shows the name and opens the profile."""
    return st.column_config.LinkColumn(label, display_text=ACTOR_LINK_TEXT, help="Open the actor's profile (a new tab).")


def claim_column(label: str = "claim_id"):
    """A table column of :func:`claimscope.views.links.claim_urls` that shows the id and opens the claim."""
    return st.column_config.LinkColumn(label, display_text=CLAIM_LINK_TEXT, help="Open the claim on the Claims page (a new tab).")


def set_filter(param: str, values: list[str]) -> None:
    """Set a sidebar filter from a callback (it runs before the sidebar is drawn, so the widget takes it)."""
    st.session_state[WIDGET_PREFIX + param] = list(values)


def profile_button(name: str, key: str, label: str | None = None) -> None:
    """A button that opens ``name``'s profile in this tab: the speaker filter becomes the actor, as the URL says."""
    if st.button(
        label or escape_markdown(f"Profile of {name}"),
        key=key,
        icon=":material/person:",
        on_click=set_filter,
        args=("speaker", [name]),
        help="The actor's profile: who they are, what they said over time, whom they answered and who answered them.",
    ):
        st.switch_page(ACTOR_PAGE_SCRIPT)
