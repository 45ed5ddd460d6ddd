"""The Timeline page's data: statements placed in lanes with their date intervals, context events, reaction latency.

Pure functions of frames (no Streamlit). A statement's date is an interval (``date_start`` to ``date_end``)
with its precision; nothing here narrows a month to a day.
"""

from __future__ import annotations

import pandas as pd

from claimscope.authors import NO_COUNTRY, country_labels
from claimscope.figures.common import UNLABELLED

#: above this many statements the timeline shows counts per lane, period and stance instead of points
MAX_POINTS = 5000
#: at most this many lanes; the rest are gathered into one
MAX_LANES = 40
LANE_COLUMNS = {"country": "speaker_country", "actor": "speaker"}

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


def lanes_of(claims: pd.DataFrame, by: str = "country", max_lanes: int = MAX_LANES) -> pd.Series:
    """The lane of every statement: its speaker country (or speaker); past ``max_lanes`` lanes the rest share one."""
    column = LANE_COLUMNS[by]
    if by == "country":  # the source's own analysis gets a lane named as such (claimscope.authors)
        lanes = country_labels(claims)
    else:
        lanes = claims[column].astype(object).fillna("").astype(str).str.strip()
        lanes = lanes.where(lanes != "", "(no speaker)")
    counts = lanes.value_counts()
    if len(counts) > max_lanes:
        ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        kept = {lane for lane, _ in ordered[: max_lanes - 1]}
        rest = len(counts) - len(kept)
        lanes = lanes.where(lanes.isin(kept), f"{rest} other {'countries' if by == 'country' else 'actors'}")
    return lanes


def timeline_points(claims: pd.DataFrame, by: str = "country") -> pd.DataFrame:
    """One row per dated statement: lane, interval, precision, stance (``unlabelled`` when empty), text."""
    if claims.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in POINT_COLUMNS})
    frame = claims.assign(lane=lanes_of(claims, by), stance=_stance(claims["stance"]), kind=claims["kind"].astype(str))
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
