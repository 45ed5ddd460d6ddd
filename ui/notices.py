"""Notices every page owes the analyst: rows that validation set aside, and what the dataset cannot show."""

from __future__ import annotations

import streamlit as st

from claimscope.ingest.dataset import Dataset
from claimscope.text import escape_markdown

#: the Data page's tab that holds the validation report (its label is the value of the ``tab`` URL parameter)
REPORT_TAB = "Validation report"


def set_aside_text(dataset: Dataset) -> str | None:
    """One sentence: how many rows were set aside, in which files; None when nothing was."""
    reports = dataset.set_aside
    if not reports:
        return None
    parts = [
        f"{r.rows_rejected:,} of {r.rows_read:,} rows of {r.file}" + (f" (sheet {r.sheet})" if r.sheet else "") for r in reports
    ]
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return (
        f"Validation set aside {listed}. Every count, chart and table of this app leaves them out; "
        "the validation report lists each problem, and the rows can be downloaded there to fix."
    )


def set_aside_banner(dataset: Dataset) -> None:
    """At the top of every page (the entrypoint calls it): rows set aside, with a link to the report."""
    message = set_aside_text(dataset)
    if message is None:
        if dataset.problems:
            st.caption(escape_markdown(f"The validation report lists {len(dataset.problems)} problem(s); no row was set aside."))
        return
    with st.container(border=True, key="set_aside_notice"):
        st.warning(escape_markdown(message), icon="⚠️")
        st.page_link(
            "pages/data.py",
            label="Open the validation report",
            icon=":material/fact_check:",
            query_params={"tab": REPORT_TAB},
        )


def gap_note(dataset: Dataset, piece: str, cannot: str) -> bool:
    """Say what a chart cannot show and why, when the dataset lacks ``piece`` (see claimscope.ingest.gaps)."""
    reason = dataset.gaps.get(piece)
    if reason is None:
        return False
    st.info(escape_markdown(f"{cannot}: {reason}."), icon="ℹ️")
    return True
