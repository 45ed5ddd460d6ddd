"""What a dataset cannot show, and why: optional columns and files it does not have or leaves empty.

A dataset in the contract's shape may have only the six required columns. Its charts must then say what
they cannot show (no stance, nothing a statement is about, no events, no reactions) instead of drawing
bars in one unlabelled colour or an empty frame. :func:`gaps` names each missing piece with its reason;
the pages turn them into notes. It looks at the whole dataset, not the filtered view: an empty view is
the filters' doing and has its own message.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
import pyarrow as pa

if TYPE_CHECKING:
    from claimscope.ingest.dataset import Dataset

#: the pieces the pages rely on: key -> (file, column or None for the whole file, what it is)
PIECES: dict[str, tuple[str, str | None, str]] = {
    "stance": ("claims.csv", "stance", "stance"),
    "about": ("claims.csv", "about", "the countries a statement is about"),
    "events": ("events.csv", None, "context events"),
    "reactions": ("claims.csv", "responds_to", "reactions that answer a statement or an event"),
    "relations": ("relations.csv", None, "curated relations"),
    "coordinates": ("countries.csv", "lat", "capital or seat coordinates"),
}


def _column_reason(dataset: Dataset, file: str, column: str) -> str | None:
    report = dataset.reports.get(file)
    if report is None or not report.present:
        return f"the dataset has no {file}"
    if column not in report.columns:
        return f"{report.file} has no {column} column"
    frame = dataset.frames[file.removesuffix(".csv")]
    values = frame[column] if column in frame else None
    if values is None or values.empty:
        return f"{report.file} holds no accepted row"
    if not _any_filled(values):
        return f"every {column} cell of {report.file} is empty"
    return None


def _any_filled(values: pd.Series) -> bool:
    """Whether any cell holds something: a list with an item, a category, a non-blank text (vectorised)."""
    if isinstance(values.dtype, pd.ArrowDtype) and pa.types.is_large_list(values.dtype.pyarrow_dtype):
        return bool((values.list.len().fillna(0) > 0).any())
    if isinstance(values.dtype, pd.CategoricalDtype):
        return bool(values.notna().any())
    return bool(values.astype(str).str.strip().ne("").any())


def gaps(dataset: Dataset) -> dict[str, str]:
    """Piece -> why the dataset does not have it (only the pieces it lacks)."""
    found: dict[str, str] = {}
    for key in ("stance", "about"):
        reason = _column_reason(dataset, "claims.csv", key)
        if reason:
            found[key] = reason
    for key, file in (("events", "events.csv"), ("relations", "relations.csv")):
        report = dataset.reports.get(file)
        if report is None or not report.present:
            found[key] = f"the dataset has no {file}"
        elif not report.rows_accepted:
            found[key] = f"{report.file} holds no accepted row"
    claims = dataset.claims
    answering = claims["responds_to"].astype(str).str.strip().ne("") if "responds_to" in claims else None
    if answering is None or not (answering & claims["kind"].astype(str).eq("reaction")).any():
        reason = _column_reason(dataset, "claims.csv", "responds_to")
        found["reactions"] = reason or "no reaction of claims.csv responds to a statement or an event of the dataset"
    countries = dataset.countries
    if countries.empty or not (countries["lat"].notna() & countries["lon"].notna()).any():
        found["coordinates"] = "no country of the dataset has capital or seat coordinates (lat, lon in countries.csv)"
    return found
