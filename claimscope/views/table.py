"""The claims table as the page shows it: a page of rows, sorted on the server, lists as plain lists.

A million rows are never shipped to the browser: past FULL_TABLE_ROWS the table pages, and sorting
is done here (on the whole filtered set), not by clicking a column of one page.
"""

from __future__ import annotations

import math

import pandas as pd

FULL_TABLE_ROWS = 2000
PAGE_ROWS = 500
TABLE_COLUMNS = [
    "claim_id",
    "date",
    "speaker",
    "speaker_country",
    "kind",
    "stance",
    "claim_type",
    "certainty",
    "attribution",
    "about",
    "topics",
    "summary",
    "quote",
    "url",
]
#: label -> (column, ascending)
SORTS: dict[str, tuple[str, bool]] = {
    "dataset order": ("", True),
    "date, newest first": ("date_start", False),
    "date, oldest first": ("date_start", True),
    "speaker": ("speaker", True),
    "speaker country": ("speaker_country", True),
    "stance": ("stance", True),
}


def page_count(rows: int, page_rows: int = PAGE_ROWS) -> int:
    return max(1, math.ceil(rows / page_rows))


def table_page(claims: pd.DataFrame, sort: str = "dataset order", page: int = 1, page_rows: int = PAGE_ROWS) -> pd.DataFrame:
    """One page (1-based, clamped) of the claims, sorted, in the table's columns, lists as Python lists."""
    column, ascending = SORTS.get(sort, ("", True))
    ordered = claims
    if column and column in claims:
        ordered = claims.sort_values(column, ascending=ascending, kind="stable", na_position="last")
    if len(claims) > FULL_TABLE_ROWS or page_rows < len(claims):
        page = min(max(1, page), page_count(len(claims), page_rows))
        ordered = ordered.iloc[(page - 1) * page_rows : page * page_rows]
    shown = ordered[[c for c in TABLE_COLUMNS if c in ordered]].copy()
    for column_name in ("about", "topics"):
        if column_name in shown:
            shown[column_name] = pd.Series(
                [list(items) if items is not None else [] for items in shown[column_name]], index=shown.index, dtype=object
            )
    for column_name in shown.columns:
        if shown[column_name].dtype.name == "category":
            shown[column_name] = shown[column_name].astype(object).where(shown[column_name].notna(), "")
    return shown.reset_index(drop=True)
