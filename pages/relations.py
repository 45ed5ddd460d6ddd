"""Placeholder until the visual pages land (issue 4)."""

import streamlit as st

from ui.view import current_view, filter_summary

view = current_view()
st.title("Coming soon")
filter_summary(view)
