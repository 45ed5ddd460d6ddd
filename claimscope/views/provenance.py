"""Where a statement comes from and what it is part of: its source, its text, who answered it.

Pure functions over a :class:`~claimscope.ingest.dataset.Dataset`, used by the Claims page's detail view.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from claimscope.dates import date_error, parse_partial_date
from claimscope.ingest.csvio import RESERVED_COLUMNS
from claimscope.ingest.dataset import Dataset
from claimscope.text import escape_markdown


@dataclass(frozen=True)
class Link:
    """A statement or event linked to the selected claim through ``responds_to``."""

    id: str
    kind: str  # "claim" or "event"
    date: str
    label: str  # speaker or event title
    text: str  # quote or description
    days: int | None  # days from the earlier to the later of the two (None when a date is too coarse)


def days_between(earlier: str, later: str) -> int | None:
    """Whole days from ``earlier`` to ``later`` when both are known to the day, else None.

    A month- or year-precise date gives no day count: the precision is not invented.
    """
    if date_error(earlier) or date_error(later):
        return None
    first, second = parse_partial_date(earlier), parse_partial_date(later)
    if first.precision != "day" or second.precision != "day":
        return None
    return (second.start - first.start).days


def record(frame: pd.DataFrame, column: str, value: str) -> dict | None:
    """The first row of ``frame`` whose ``column`` equals ``value``, as a dict."""
    if frame.empty or column not in frame:
        return None
    rows = frame.loc[frame[column] == value]
    return None if rows.empty else rows.iloc[0].to_dict()


def responds_to(dataset: Dataset, claim: dict) -> Link | None:
    """What the claim answers (a claim or an event), with the days between."""
    target = str(claim.get("responds_to") or "")
    if not target:
        return None
    return answer_link(claim, record(dataset.claims, "claim_id", target), dataset.events)


def answer_link(claim: dict, other: dict | None, events: pd.DataFrame) -> Link | None:
    """What the claim answers, given the row of the claim its ``responds_to`` names (None when no claim has
    that id) and the events: shared by :func:`responds_to` and the engine's query, which fetches ``other`` by key.
    """
    target = str(claim.get("responds_to") or "")
    if not target:
        return None
    if other is not None:
        return Link(target, "claim", other["date"], other["speaker"], other["quote"], days_between(other["date"], claim["date"]))
    event = record(events, "event_id", target)
    if event is not None:
        return Link(
            target, "event", event["date"], event["title"], event["description"], days_between(event["date"], claim["date"])
        )
    return None


def reactions_to(dataset: Dataset, claim_id: str) -> list[Link]:
    """The statements that answer this claim, earliest first (the same day: in dataset order), with the days each took.

    The sort is stable so that the order of reactions of one day is defined (the engine's query breaks
    those ties by the dataset's line order too).
    """
    claims = dataset.claims
    if claims.empty:
        return []
    origin = record(claims, "claim_id", claim_id)
    rows = claims.loc[claims["responds_to"] == claim_id].sort_values("date_start", kind="stable")
    return reaction_links(origin, rows)


def reaction_links(origin: dict | None, rows: pd.DataFrame) -> list[Link]:
    """The reactions ``rows`` (already in order) as links, with the days from ``origin``, the claim they answer."""
    return [
        Link(r.claim_id, "claim", r.date, r.speaker, r.quote, days_between(origin["date"], r.date) if origin else None)
        for r in rows.itertuples()
    ]


def citation(dataset: Dataset, claim: dict, accessed: dt.date, source_url: str = "") -> str:
    """A ready-to-paste plain-text citation of one claim."""
    version = f", version {dataset.version}" if dataset.version else ""
    url = source_url or str(claim.get("url") or "")
    parts = [
        f"{claim['speaker']} ({claim['date']}): “{claim['quote']}”.",
        f"In: {dataset.title}{version}, claim {claim['claim_id']}.",
    ]
    if url:
        parts.append(f"Source: {url}.")
    parts.append(f"Accessed {accessed.isoformat()}.")
    return " ".join(parts)


def source_of(dataset: Dataset, claim: dict) -> dict | None:
    return record(dataset.sources, "source_id", str(claim.get("source_id") or ""))


def claim_fields(claim: dict, shown: tuple[str, ...] = ()) -> dict[str, str]:
    """A claim's fields as text, in the row's order: lists joined by ``;`` (as in the CSV), a missing value as ``""``.

    The columns the loader adds (:data:`~claimscope.ingest.csvio.RESERVED_COLUMNS`: the line, the date's bounds and
    precision, the search text, the author flag) and the fields in ``shown`` (those the page already prints in full)
    are left out; every other column is listed, ``date_basis`` and an imported dataset's own columns included.
    """
    fields: dict[str, str] = {}
    for key, value in claim.items():
        name = str(key)
        if name in RESERVED_COLUMNS or name in shown:
            continue
        if isinstance(value, list | tuple):
            fields[name] = ";".join(str(item) for item in value)
        elif value is None or (isinstance(value, float) and value != value) or value is pd.NA:
            fields[name] = ""
        else:
            fields[name] = str(value)
    return fields


def field_lines(fields: dict[str, str]) -> str:
    """Markdown for a claim's fields, one ``name: value`` line each, every name and value escaped (the data's text
    is shown literally); an empty value is written as an em dash."""
    return "  \n".join(
        f"**{escape_markdown(name.strip())}:** {escape_markdown(value) if value else '—'}" for name, value in fields.items()
    )
