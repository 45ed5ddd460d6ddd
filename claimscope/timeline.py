"""The Timeline page's data: statements placed in lanes with their date intervals, context events, reaction latency.

Pure functions of frames (no Streamlit). A statement's date is an interval (``date_start`` to ``date_end``)
with its precision; nothing here narrows a month to a day.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from claimscope.authors import NO_COUNTRY, is_author, own_analysis_label
from claimscope.figures.common import UNLABELLED

if TYPE_CHECKING:
    from claimscope.dataset import Dataset

#: above this many statements the timeline shows counts per lane, period and stance instead of points
MAX_POINTS = 5000
#: at most this many lanes; the rest are gathered into one
MAX_LANES = 40
NO_SPEAKER = "(no speaker)"

POINT_COLUMNS = [
    "claim_id",
    "lane",
    "speaker",
    "speaker_country",
    "date",
    "date_precision",
    "date_start",
    "date_end",
    "stance",
    "kind",
    "summary",
]


def _stance(values: pd.Series) -> pd.Series:
    return values.astype(object).where(values.notna(), UNLABELLED).astype(str)


def lanes_of(
    claims: pd.DataFrame, by: str = "country", max_lanes: int = MAX_LANES, blocs: dict[str, str] | None = None
) -> pd.Series:
    """The lane of every statement: its speaker country, bloc or speaker; past ``max_lanes`` lanes the rest share one."""
    lanes = speaker_groups(claims, by, blocs).astype(object)
    counts = lanes.value_counts()
    if len(counts) > max_lanes:
        ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        kept = {lane for lane, _ in ordered[: max_lanes - 1]}
        rest = len(counts) - len(kept)
        lanes = lanes.where(lanes.isin(kept), f"{rest} other {'actors' if by == 'actor' else 'countries'}")
    return lanes


def bloc_of(countries: pd.DataFrame) -> dict[str, str]:
    """Each country's bloc: the largest group or organisation of countries.csv that lists it as a member.

    Ties go to the code that sorts first. A country that no group lists, and a group speaking for
    itself, are their own bloc (they are left out of the mapping).
    """
    if countries.empty or "members" not in countries:
        return {}
    groups = countries.loc[countries["kind"].astype(str).isin(["group", "organization"]), ["code", "members"]]
    if groups.empty:
        return {}
    members = groups.explode("members").dropna(subset=["members"])
    members = members.loc[members["members"].astype(str) != ""]
    if members.empty:
        return {}
    members = members.assign(members=members["members"].astype(str), code=members["code"].astype(str))
    members["size"] = members.groupby("code")["members"].transform("size")
    best = members.sort_values(["members", "size", "code"], ascending=[True, False, True]).drop_duplicates("members")
    return dict(zip(best["members"], best["code"], strict=True))


def dataset_blocs(dataset: Dataset) -> dict[str, str]:
    """The blocs of a dataset's countries (see :func:`bloc_of`), among the groups the dataset itself knows.

    Those are the groups its countries.csv defines and the built-in groups (EU, NATO …, see
    :mod:`claimscope.places`) that its statements name as speaker or subject. A built-in list that the
    data never mentions (the UN's 193 members, the OSCE's 57) would otherwise make every country a
    member of the largest organisation and hide the blocs the analyst drew.
    """
    countries = dataset.countries
    own = dataset.frames["countries"]["code"] if "code" in dataset.frames["countries"] else pd.Series(dtype=str)
    claims = dataset.claims
    used = set(claims["speaker_country"].dropna().astype(str)) if "speaker_country" in claims else set()
    if "about" in claims and len(claims):
        about = claims["about"].array
        lists = about.__arrow_array__() if hasattr(about, "__arrow_array__") else pa.array(list(claims["about"]))
        used |= {code for code in pc.list_flatten(lists).to_pylist() if code}
    keep = countries["code"].isin(set(own.astype(str)) | used)
    return bloc_of(countries.loc[keep])


def speaker_groups(claims: pd.DataFrame, by: str = "country", blocs: dict[str, str] | None = None) -> pd.Series:
    """Every statement's group (categorical): its speaker country, the bloc of that country (see :func:`bloc_of`),
    or its speaker.

    The column is factorised and only its distinct values are cleaned and mapped (a million rows, a few
    hundred values); the codes come back as a categorical, so that callers can group on integers.
    """
    column = claims["speaker" if by == "actor" else "speaker_country"]
    missing = NO_SPEAKER if by == "actor" else NO_COUNTRY
    positions, uniques = pd.factorize(column, use_na_sentinel=True)
    cleaned = [str(value).strip() for value in uniques]
    if by == "bloc" and blocs:
        cleaned = [blocs.get(value, value) for value in cleaned]
    labels = [value or missing for value in cleaned] + [missing]
    positions = np.where(positions < 0, len(labels) - 1, positions)  # no value: the label just added
    authors = is_author(claims).to_numpy(dtype=bool)
    if authors.any():  # the source's own analysis is named as such, never as a country or "(none)"
        if by == "actor":
            speakers, speaker_uniques = pd.factorize(claims["speaker"][authors], use_na_sentinel=False)
            first = len(labels)
            labels += [own_analysis_label([name]) for name in speaker_uniques]
            positions[authors] = first + speakers
        else:
            labels.append(own_analysis_label(claims["speaker"][authors].unique()))
            positions = np.where(authors, len(labels) - 1, positions)
    label_codes, categories = pd.factorize(pd.Series(labels, dtype=object))
    codes = label_codes[positions]
    return pd.Series(pd.Categorical.from_codes(codes, categories=list(categories)), index=claims.index)


def timeline_points(claims: pd.DataFrame, by: str = "country", blocs: dict[str, str] | None = None) -> pd.DataFrame:
    """One row per dated statement: lane, interval, precision, stance (``unlabelled`` when empty), text."""
    if claims.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in POINT_COLUMNS})
    frame = claims.assign(
        lane=lanes_of(claims, by, blocs=blocs), stance=_stance(claims["stance"]), kind=claims["kind"].astype(str)
    )
    frame = frame.loc[frame["date_start"].notna(), POINT_COLUMNS]
    return frame.sort_values(["lane", "date_start", "claim_id"], kind="stable").reset_index(drop=True)


def period_of(points: pd.DataFrame) -> pd.Series:
    """The month of a day- or month-precise date (``2024-06``), the year of a year-precise one (``2024``)."""
    text = points["date"].astype(str)
    return text.where(points["date_precision"] == "year", text.str[:7])


MAX_GROUPS = 3000


def aggregate_points(points: pd.DataFrame, max_groups: int = MAX_GROUPS) -> pd.DataFrame:
    """Counts per lane, period (month, or year for year-precise dates) and stance, with the period's interval.

    When months would give more than ``max_groups`` marks (decades of data in many lanes), every period
    is a year instead, so that the chart stays light enough for the browser.
    """
    columns = ["lane", "period", "stance", "statements", "start", "end"]
    if points.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    frame = points.assign(period=period_of(points))

    def grouped_by_period(frame: pd.DataFrame) -> pd.DataFrame:
        return (
            frame.groupby(["lane", "period", "stance"], observed=True)
            .agg(statements=("claim_id", "size"), start=("date_start", "min"), end=("date_end", "max"))
            .reset_index()
        )

    grouped = grouped_by_period(frame)
    if len(grouped) > max_groups:
        grouped = grouped_by_period(frame.assign(period=frame["period"].str[:4]))
    # the period's own bounds (a day-precise date in June spans June once aggregated)
    is_year = grouped["period"].str.len() == 4
    starts = pd.to_datetime((grouped["period"] + "-01").where(~is_year, grouped["period"] + "-01-01"), format="%Y-%m-%d")
    ends = (starts + pd.offsets.MonthEnd(0)).where(~is_year, starts + pd.offsets.YearEnd(0))
    grouped["start"], grouped["end"] = starts, ends
    return grouped[columns].sort_values(["lane", "start", "stance"]).reset_index(drop=True)


def events_in_range(events: pd.DataFrame, start: pd.Timestamp | None = None, end: pd.Timestamp | None = None) -> pd.DataFrame:
    """Dated context events whose interval overlaps [start, end] (either bound may be open)."""
    columns = ["event_id", "date", "end_date", "title", "date_start", "date_end", "date_precision"]
    if events.empty or "date_start" not in events:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    frame = events.loc[events["date_start"].notna()]
    if start is not None:
        frame = frame.loc[frame["date_end"] >= start]
    if end is not None:
        frame = frame.loc[frame["date_start"] <= end]
    return frame[[c for c in columns if c in frame]].sort_values(["date_start", "event_id"]).reset_index(drop=True)


LATENCY_COLUMNS = [
    "claim_id",
    "speaker",
    "speaker_country",
    "date",
    "stance",
    "responds_to",
    "target_kind",
    "target_date",
    "days",
    "status",
]


def reaction_latency(claims: pd.DataFrame, all_claims: pd.DataFrame, events: pd.DataFrame) -> pd.DataFrame:
    """For every reaction in ``claims`` whose target (a claim of ``all_claims`` or an event) exists: the days between.

    ``days`` is filled only when both dates are known to the day (``status`` = ``counted``); otherwise the
    status is ``too coarse`` and no number is invented.
    """
    if claims.empty or "responds_to" not in claims:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in LATENCY_COLUMNS})
    reactions = claims.loc[claims["responds_to"].astype(str).str.strip() != ""]
    targets = [
        all_claims[["claim_id", "date", "date_start", "date_precision"]]
        .rename(columns={"claim_id": "responds_to"})
        .assign(target_kind="claim")
    ]
    if not events.empty and "event_id" in events:
        targets.append(
            events[["event_id", "date", "date_start", "date_precision"]]
            .rename(columns={"event_id": "responds_to"})
            .assign(target_kind="event")
        )
    target = pd.concat(targets, ignore_index=True).drop_duplicates("responds_to")
    target = target.rename(columns={"date": "target_date", "date_start": "target_start", "date_precision": "target_precision"})
    merged = reactions.merge(target, on="responds_to", how="inner")
    if merged.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in LATENCY_COLUMNS})
    both_days = (merged["date_precision"] == "day") & (merged["target_precision"] == "day")
    days = (merged["date_start"] - merged["target_start"]).dt.days
    merged["days"] = days.where(both_days).astype("Int64")
    merged["status"] = ["counted" if ok else "too coarse" for ok in both_days]
    merged["stance"] = _stance(merged["stance"])
    merged["speaker_country"] = merged["speaker_country"].astype(str).replace("", NO_COUNTRY)
    return merged[LATENCY_COLUMNS].sort_values(["speaker_country", "date", "claim_id"]).reset_index(drop=True)


def latency_summary(latency: pd.DataFrame) -> pd.DataFrame:
    """Per speaker country: reactions with a dated target, how many could be counted to the day, median/min/max days."""
    columns = ["speaker_country", "reactions", "counted", "too coarse", "median days", "min days", "max days"]
    if latency.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    rows = []
    for country, group in latency.groupby("speaker_country", sort=True):
        days = group["days"].dropna().astype(int)
        rows.append(
            {
                "speaker_country": country,
                "reactions": len(group),
                "counted": len(days),
                "too coarse": int((group["status"] == "too coarse").sum()),
                "median days": float(days.median()) if len(days) else None,
                "min days": int(days.min()) if len(days) else None,
                "max days": int(days.max()) if len(days) else None,
            }
        )
    return (
        pd.DataFrame(rows, columns=columns)
        .sort_values(["reactions", "speaker_country"], ascending=[False, True])
        .reset_index(drop=True)
    )


def claim_from_selection(selection: object) -> str | None:
    """The claim id in a plotly selection event (``customdata`` of the first point that carries one)."""
    points = _points(selection)
    for point in points:
        data = point.get("customdata") if isinstance(point, dict) else None
        if isinstance(data, list | tuple):
            data = data[0] if data else None
        if isinstance(data, str) and data:
            return data
    return None


def _points(selection: object) -> list:
    if selection is None:
        return []
    inner = selection.get("selection") if isinstance(selection, dict) else getattr(selection, "selection", None)
    if inner is None:
        return []
    points = inner.get("points") if isinstance(inner, dict) else getattr(inner, "points", None)
    return list(points or [])
