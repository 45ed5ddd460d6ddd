"""Streamlit glue for the pages: state, URL sync and safe rendering. Logic belongs in ``claimscope``."""
