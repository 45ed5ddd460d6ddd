"""Exports: filtered claims as CSV or JSON, and the whole dataset as a zip, in the contract's shape.

Exports round-trip: list cells are joined with ``;`` again and extra columns are kept, so an export
uploaded back gives the same rows. CSV cells that a spreadsheet would run as a formula are neutralised.
"""

from __future__ import annotations

import io
import json
import zipfile

import pandas as pd

from claimscope.authors import AUTHOR_COLUMN
from claimscope.ingest.csvio import LINE_COLUMN
from claimscope.ingest.dataset import PROBLEMS_COLUMN, SEARCH_COLUMN, Dataset
from claimscope.schema import FILES, LIST_SEPARATOR, PACKAGE_FILE, FileSpec
from claimscope.text import neutralise_cell

#: columns the loader derives; they are not part of the data and are not exported
DERIVED_COLUMNS = ("date_start", "date_end", "date_precision", SEARCH_COLUMN, AUTHOR_COLUMN, LINE_COLUMN, "index")


def contract_frame(spec: FileSpec, frame: pd.DataFrame) -> pd.DataFrame:
    """The frame as the contract's text columns: lists joined, enums and booleans as text, extras kept."""
    out = pd.DataFrame(index=frame.index)
    for column in frame.columns:
        if column in DERIVED_COLUMNS:
            continue
        values = frame[column]
        if column in spec.columns and spec.field(column).is_list:
            out[column] = [LIST_SEPARATOR.join(items) if isinstance(items, list) else "" for items in values]
        elif values.dtype == bool:
            out[column] = values.map({True: "true", False: "false"})
        else:
            out[column] = values.astype(object).where(values.notna(), "").map(_plain)
    ordered = [c for c in spec.columns if c in out] + [c for c in out.columns if c not in spec.columns]
    return out[ordered]


def _plain(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return repr(value)
    return str(value)


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV (RFC 4180 quoting) with formula-like cells neutralised (reversibly: see claimscope.text)."""
    data = frame.map(neutralise_cell).rename(columns=neutralise_cell)
    # CRLF (RFC 4180): with it, a cell holding a lone CR is quoted and reads back unchanged
    return data.to_csv(index=False, lineterminator="\r\n").encode("utf-8")


def claims_csv(claims: pd.DataFrame) -> bytes:
    return to_csv_bytes(contract_frame(FILES[0], claims))


def claims_json(claims: pd.DataFrame) -> bytes:
    """JSON records with lists as arrays (JSON has no formula problem, so nothing is prefixed)."""
    frame = claims[[c for c in claims.columns if c not in DERIVED_COLUMNS]].copy()
    for column in frame.columns:
        if frame[column].dtype.name == "category":
            frame[column] = frame[column].astype(object).where(frame[column].notna(), "")
    records = frame.to_dict(orient="records")
    return json.dumps(records, ensure_ascii=False, indent=1, default=str).encode("utf-8")


def rejected_csv(rejected: pd.DataFrame) -> bytes:
    """The rejected rows of one file, with their line and problems, ready to fix and upload again."""
    ordered = [LINE_COLUMN, PROBLEMS_COLUMN] + [c for c in rejected.columns if c not in (LINE_COLUMN, PROBLEMS_COLUMN)]
    return to_csv_bytes(rejected[[c for c in ordered if c in rejected]].fillna(""))


def dataset_zip(dataset: Dataset) -> bytes:
    """Every file of the dataset (accepted rows), its texts and datapackage.json, as one zip."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for spec in FILES:
            if dataset.reports[spec.name].present:
                archive.writestr(spec.name, to_csv_bytes(contract_frame(spec, dataset.frames[spec.stem])))
        sources = dataset.sources
        if not sources.empty:
            for source_id, path in zip(sources["source_id"], sources["text"], strict=True):
                if source_id in dataset.texts and path:
                    archive.writestr(path, dataset.texts[source_id])
        if dataset.package:
            archive.writestr(PACKAGE_FILE, json.dumps(dataset.package, indent=2, ensure_ascii=False))
    return buffer.getvalue()
