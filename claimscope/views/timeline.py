"""The Timeline page's data: statements placed in lanes with their date intervals, context events, reaction latency.

Pure functions of frames (no Streamlit). A statement's date is an interval (``date_start`` to ``date_end``)
with its precision; nothing here narrows a month to a day.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from claimscope.authors import NO_COUNTRY, is_author, own_analysis_label
from claimscope.figures.common import UNLABELLED

if TYPE_CHECKING:
    from claimscope.ingest.dataset import Dataset

#: above this many statements the timeline shows counts per lane, period and stance instead of points
MAX_POINTS = 5000
#: aggregated marks: per month up to this many, else per year, else per decade (the browser draws each twice)
MAX_GROUPS = 1500
#: at most this many lanes; the rest are gathered into one
MAX_LANES = 40
#: above this many context events in the range, the events lane shows counts per period instead of each event
MAX_EVENTS = 1000
#: the events lane's counts: per month up to this many marks, else per year, else per decade. One lane across the
#: chart's width: 120 marks are about 8 px apart on a 940 px plot (months of 35 years, 420 stars, drew one black band)
MAX_EVENT_GROUPS = 120
#: above this many timed reactions the latency chart draws boxes only (no point per reaction)
MAX_LATENCY_POINTS = 2000
#: the rows a "show as table" lists at most (reactions, context events)
MAX_ROWS = 2000
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


def bloc_candidates(dataset: Dataset) -> list[str]:
    """The built-in groups that :func:`dataset_blocs` keeps only when the statements name them.

    The groups the dataset's own countries.csv defines are always kept; the built-in ones (EU, NATO …)
    only when a statement names them as speaker country or subject. Asking the engine about these few
    codes is all :func:`dataset_blocs` needs from the claims.
    """
    countries = dataset.countries
    if countries.empty or "kind" not in countries:
        return []
    own = set(_own_codes(dataset))
    groups = countries.loc[countries["kind"].astype(str).isin(["group", "organization"]), "code"].astype(str)
    return sorted(set(groups) - own)


def _own_codes(dataset: Dataset) -> pd.Series:
    own = dataset.frames["countries"]
    return own["code"].astype(str) if "code" in own else pd.Series(dtype=str)


def used_codes(claims: pd.DataFrame) -> set[str]:
    """The codes the statements name as speaker country or subject (the pandas reference of the engine's question)."""
    used = set(claims["speaker_country"].dropna().astype(str)) if "speaker_country" in claims else set()
    if "about" in claims and len(claims):
        about = claims["about"].array
        lists = about.__arrow_array__() if hasattr(about, "__arrow_array__") else pa.array(list(claims["about"]))
        used |= {code for code in pc.list_flatten(lists).to_pylist() if code}
    return used


def dataset_blocs(dataset: Dataset, used: Iterable[str] | None = None) -> dict[str, str]:
    """The blocs of a dataset's countries (see :func:`bloc_of`), among the groups the dataset itself knows.

    Those are the groups its countries.csv defines and the built-in groups (EU, NATO …, see
    :mod:`claimscope.ingest.places`) that its statements name as speaker or subject. A built-in list that the
    data never mentions (the UN's 193 members, the OSCE's 57) would otherwise make every country a
    member of the largest organisation and hide the blocs the analyst drew.

    ``used`` is the set of codes the statements name (at least those of :func:`bloc_candidates` that
    they name: the engine answers that question); without it, the claims frame is read.
    """
    countries = dataset.countries
    named = used_codes(dataset.claims) if used is None else set(used)
    keep = countries["code"].isin(set(_own_codes(dataset)) | named)
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


def timeline_points(
    claims: pd.DataFrame, by: str = "country", blocs: dict[str, str] | None = None, max_lanes: int = MAX_LANES
) -> pd.DataFrame:
    """One row per dated statement: lane, interval, precision, stance (``unlabelled`` when empty), text."""
    if claims.empty:
        return no_points()
    dated = claims["date_start"].notna()
    return finish_points(claims.loc[dated].assign(lane=lanes_of(claims, by, max_lanes, blocs).loc[dated]))


def no_points() -> pd.DataFrame:
    """The rows of no statement (when nothing is dated, or the marks are aggregated)."""
    return pd.DataFrame({c: pd.Series(dtype=object) for c in POINT_COLUMNS})


def finish_points(frame: pd.DataFrame) -> pd.DataFrame:
    """Dated statements with their lane as the chart takes them: typed, stance labelled, in lane and date order.

    Shared by the pandas path and the engine's (which brings back at most a page of such rows).
    """
    frame = frame.assign(lane=frame["lane"].astype(object), stance=_stance(frame["stance"]), kind=frame["kind"].astype(str))
    return frame[POINT_COLUMNS].sort_values(["lane", "date_start", "claim_id"], kind="stable").reset_index(drop=True)


def lane_order(counts: Mapping[str, int]) -> list[str]:
    """Lanes top to bottom: most statements first, ties by name (the order every lane chart uses)."""
    return sorted((lane for lane, n in counts.items() if n), key=lambda lane: (-counts[lane], lane))


@dataclass(frozen=True)
class TimelineMarks:
    """What the statements chart draws, bounded however many statements match.

    At most ``max_points`` dated statements come as rows (``points``, as :func:`timeline_points` gives
    them); past that only their counts per lane, period and stance (``groups``, as
    :func:`aggregate_points` gives them), so that neither the server nor the browser handles a row per
    statement. ``statements`` counts every dated statement, ``lanes`` is the drawing order, ``first``
    and ``last`` the earliest start and the latest end of their dates.
    """

    points: pd.DataFrame
    groups: pd.DataFrame | None
    statements: int
    lanes: tuple[str, ...]
    first: pd.Timestamp | None
    last: pd.Timestamp | None

    @property
    def aggregated(self) -> bool:
        return self.groups is not None

    @property
    def empty(self) -> bool:
        return self.statements == 0


def timeline_marks(points: pd.DataFrame, max_points: int = MAX_POINTS, max_groups: int = MAX_GROUPS) -> TimelineMarks:
    """The marks of every dated statement in ``points`` (from :func:`timeline_points`): the pandas reference
    of :func:`claimscope.queries.timeline.timeline_marks`, which asks the engine for the same answer."""
    if points.empty:
        return TimelineMarks(no_points(), None, 0, (), None, None)
    aggregated = len(points) > max_points
    return TimelineMarks(
        points=no_points() if aggregated else points,
        groups=aggregate_points(points, max_groups) if aggregated else None,
        statements=len(points),
        lanes=tuple(lane_order(points["lane"].value_counts())),
        first=points["date_start"].min(),
        last=points["date_end"].max(),
    )


def period_of(points: pd.DataFrame) -> pd.Series:
    """The month of a day- or month-precise date (``2024-06``), the year of a year-precise one (``2024``)."""
    text = points["date"].astype(str)
    return text.where(points["date_precision"] == "year", text.str[:7])


def aggregate_points(points: pd.DataFrame, max_groups: int = MAX_GROUPS) -> pd.DataFrame:
    """Counts per lane, period (month, or year for year-precise dates) and stance, with the period's interval.

    When months would give more than ``max_groups`` marks (decades of data in many lanes), every period
    is a year instead, and a decade (``1990s``) when years still would, so that the chart stays light
    enough for the browser.
    """
    if points.empty:
        return finish_groups(pd.DataFrame({c: pd.Series(dtype=object) for c in GROUP_COLUMNS[:4]}))
    frame = points.assign(period=period_of(points))

    def grouped_by_period(frame: pd.DataFrame) -> pd.DataFrame:
        return frame.groupby(["lane", "period", "stance"], observed=True).agg(statements=("claim_id", "size")).reset_index()

    grouped = grouped_by_period(frame)
    if len(grouped) > max_groups:
        grouped = grouped_by_period(frame.assign(period=frame["period"].str[:4]))
    if len(grouped) > max_groups:
        grouped = grouped_by_period(frame.assign(period=frame["period"].str[:3] + DECADE_SUFFIX))
    return finish_groups(grouped)


#: a decade's period is its first three digits and this: ``1990s``
DECADE_SUFFIX = "0s"


def period_unit(period: str) -> str:
    """What a period of :func:`aggregate_points` spans: ``month`` (``2024-06``), ``year`` (``2024``), ``decade``."""
    if period.endswith(DECADE_SUFFIX[-1]):
        return "decade"
    return "year" if len(period) == 4 else "month"


GROUP_COLUMNS = ["lane", "period", "stance", "statements", "start", "end"]


def period_bounds(periods: pd.Series) -> tuple[pd.Series, pd.Series]:
    """The first and last day of each period (``2024-06``: June; ``2024``: the year; ``1990s``: 1990 to 1999)."""
    periods = periods.astype(str)
    is_decade = periods.str.endswith(DECADE_SUFFIX[-1])
    is_year = (periods.str.len() == 4) | is_decade
    first = periods.str[:4].where(is_year, periods)
    starts = pd.to_datetime((first + "-01").where(~is_year, first + "-01-01"), format="%Y-%m-%d")
    ends = (starts + pd.offsets.MonthEnd(0)).where(~is_year, starts + pd.offsets.YearEnd(0))
    ends = ends.where(~is_decade, starts + pd.DateOffset(years=10) - pd.Timedelta(days=1))
    return starts, ends


def finish_groups(grouped: pd.DataFrame) -> pd.DataFrame:
    """Counts per lane, period and stance, typed, with each period's own bounds, in drawing order.

    A day-precise date in June spans June once aggregated. The order is lane, start, stance, then the
    period (a year and its January start on the same day), so that it never depends on the order the
    counts came in: from pandas or from the engine.
    """
    if grouped.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in GROUP_COLUMNS})
    grouped = grouped.assign(
        lane=grouped["lane"].astype(object),
        period=grouped["period"].astype(str),
        stance=grouped["stance"].astype(str),
        statements=grouped["statements"].astype("int64"),
    )
    grouped["start"], grouped["end"] = period_bounds(grouped["period"])
    ordered = grouped[GROUP_COLUMNS].sort_values(["lane", "start", "stance", "period"], kind="stable")
    return ordered.reset_index(drop=True)


EVENT_COLUMNS = ["event_id", "date", "end_date", "title", "date_start", "date_end", "date_precision"]
EVENT_GROUP_COLUMNS = ["period", "events", "start", "end"]


def events_in_range(events: pd.DataFrame, start: pd.Timestamp | None = None, end: pd.Timestamp | None = None) -> pd.DataFrame:
    """Dated context events whose interval overlaps [start, end] (either bound may be open)."""
    if events.empty or "date_start" not in events:
        return no_events()
    frame = events.loc[events["date_start"].notna()]
    if start is not None:
        frame = frame.loc[frame["date_end"] >= start]
    if end is not None:
        frame = frame.loc[frame["date_start"] <= end]
    return sort_events(frame[[c for c in EVENT_COLUMNS if c in frame]])


def no_events() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in EVENT_COLUMNS})


def sort_events(frame: pd.DataFrame) -> pd.DataFrame:
    """Events in date order, ties by id (one order for pandas and the engine); none is :func:`no_events`."""
    if frame.empty:
        return no_events()
    return frame.sort_values(["date_start", "event_id"], kind="stable").reset_index(drop=True)


@dataclass(frozen=True)
class TimelineEvents:
    """The context events of the chart's range, bounded however many there are.

    ``rows`` holds the first ``max_rows`` events in date order (all of them when there are at most
    ``max_events``); past ``max_events`` the events lane draws ``groups`` (events per month, or per
    year when months are too many) instead of one mark per event.
    """

    rows: pd.DataFrame
    groups: pd.DataFrame | None
    total: int

    @property
    def aggregated(self) -> bool:
        return self.groups is not None

    @property
    def empty(self) -> bool:
        return self.total == 0


def timeline_events(
    events: pd.DataFrame, max_events: int = MAX_EVENTS, max_groups: int = MAX_EVENT_GROUPS, max_rows: int = MAX_ROWS
) -> TimelineEvents:
    """The chart's events from those of :func:`events_in_range` (the pandas reference of the engine's query)."""
    if len(events) <= max_events:
        return TimelineEvents(events, None, len(events))
    return TimelineEvents(events.head(max_rows), aggregate_events(events, max_groups), len(events))


def aggregate_events(events: pd.DataFrame, max_groups: int = MAX_EVENT_GROUPS) -> pd.DataFrame:
    """Events per period of their start (month, or year for year-precise dates; years, then decades, when
    months are too many)."""
    periods = period_of(events)
    counts = periods.value_counts()
    if len(counts) > max_groups:
        counts = periods.str[:4].value_counts()
    if len(counts) > max_groups:
        counts = (periods.str[:3] + DECADE_SUFFIX).value_counts()
    return finish_event_groups(pd.DataFrame({"period": counts.index, "events": counts.to_numpy()}))


def finish_event_groups(grouped: pd.DataFrame) -> pd.DataFrame:
    """Event counts per period, typed, with the period's bounds, in date order."""
    if grouped.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in EVENT_GROUP_COLUMNS})
    grouped = grouped.assign(period=grouped["period"].astype(str), events=grouped["events"].astype("int64"))
    grouped["start"], grouped["end"] = period_bounds(grouped["period"])
    return grouped[EVENT_GROUP_COLUMNS].sort_values(["start", "period"], kind="stable").reset_index(drop=True)


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
        return no_latency()
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
    return latency_rows(reactions.merge(target, on="responds_to", how="inner"))


def no_latency() -> pd.DataFrame:
    """The rows of no reaction."""
    return pd.DataFrame({c: pd.Series(dtype=object) for c in LATENCY_COLUMNS})


def latency_rows(merged: pd.DataFrame) -> pd.DataFrame:
    """Reactions joined to their targets (``target_date``, ``target_start``, ``target_precision``,
    ``target_kind``) as the latency table lists them: days when both are day-precise, the status, in order.

    Shared by the pandas path and the engine's (which joins in the engine and brings back a page of rows).
    """
    if merged.empty:
        return no_latency()
    merged = merged.copy()
    both_days = (merged["date_precision"] == "day") & (merged["target_precision"] == "day")
    days = (merged["date_start"] - merged["target_start"]).dt.days
    merged["days"] = days.where(both_days).astype("Int64")
    merged["status"] = ["counted" if ok else "too coarse" for ok in both_days]
    merged["stance"] = _stance(merged["stance"])
    merged["speaker_country"] = merged["speaker_country"].astype(str).replace("", NO_COUNTRY)
    merged["target_kind"] = merged["target_kind"].astype(str)
    ordered = merged[LATENCY_COLUMNS].sort_values(["speaker_country", "date", "claim_id"], kind="stable")
    return ordered.reset_index(drop=True)


SUMMARY_COLUMNS = ["speaker_country", "reactions", "counted", "too coarse", "median days", "min days", "max days"]


def latency_summary(latency: pd.DataFrame) -> pd.DataFrame:
    """Per speaker country: reactions with a dated target, how many could be counted to the day, median/min/max days."""
    if latency.empty:
        return summary_frame([])
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
    return summary_frame(rows)


def summary_frame(rows: list[dict]) -> pd.DataFrame:
    """The latency summary table from one dict per country (most reactions first, ties by country)."""
    if not rows:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in SUMMARY_COLUMNS})
    return (
        pd.DataFrame(rows, columns=SUMMARY_COLUMNS)
        .sort_values(["reactions", "speaker_country"], ascending=[False, True])
        .reset_index(drop=True)
    )


BOX_COLUMNS = ["speaker_country", "counted", "q1", "median", "q3", "lowerfence", "upperfence"]
#: the quartiles as plotly computes them by default (``quartilemethod="linear"``): the value at position
#: ``p * n - 0.5`` of the sorted values, interpolated (numpy calls it Hazen's method)
QUARTILES = {"q1": 0.25, "median": 0.5, "q3": 0.75}


def box_stats(days: np.ndarray) -> dict[str, float]:
    """The box plotly would draw for these values: quartiles and whiskers, so a chart can ship five numbers.

    The whiskers end at the last value within 1.5 interquartile ranges of the box (plotly's fences).
    """
    values = np.sort(np.asarray(days, dtype=float))
    stats = {name: float(np.quantile(values, p, method="hazen")) for name, p in QUARTILES.items()}
    reach = 1.5 * (stats["q3"] - stats["q1"])
    stats["lowerfence"] = min(stats["q1"], float(values[values >= stats["q1"] - reach].min()))
    stats["upperfence"] = max(stats["q3"], float(values[values <= stats["q3"] + reach].max()))
    return stats


def latency_boxes(latency: pd.DataFrame) -> pd.DataFrame:
    """Per speaker country with a reaction counted to the day: how many, and the box of their days."""
    counted = latency.loc[latency["status"] == "counted"] if not latency.empty else latency
    if counted.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in BOX_COLUMNS})
    rows = [
        {"speaker_country": country, "counted": len(group), **box_stats(group["days"].to_numpy(dtype=float))}
        for country, group in counted.groupby("speaker_country", sort=True)
    ]
    return boxes_frame(rows)


def boxes_frame(rows: list[dict]) -> pd.DataFrame:
    """The boxes table from one dict per country, in country order."""
    if not rows:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in BOX_COLUMNS})
    frame = pd.DataFrame(rows, columns=BOX_COLUMNS).astype({"counted": "int64"})
    return frame.sort_values("speaker_country", kind="stable").reset_index(drop=True)


@dataclass(frozen=True)
class LatencyView:
    """What the latency section shows, bounded however many reactions match.

    ``summary`` (per country, :func:`latency_summary`) and ``boxes`` (:func:`latency_boxes`) cover every
    reaction; ``rows`` is the table's first ``max_rows`` reactions; ``points`` every counted reaction when
    there are at most ``max_points`` of them (the chart draws one mark each), else none (boxes only).
    """

    summary: pd.DataFrame
    boxes: pd.DataFrame
    rows: pd.DataFrame
    points: pd.DataFrame
    reactions: int
    counted: int
    max_days: float | None

    @property
    def too_coarse(self) -> int:
        return self.reactions - self.counted

    @property
    def empty(self) -> bool:
        return self.reactions == 0

    @property
    def boxes_only(self) -> bool:
        return self.counted > 0 and self.points.empty


def latency_view(latency: pd.DataFrame, max_points: int = MAX_LATENCY_POINTS, max_rows: int = MAX_ROWS) -> LatencyView:
    """The bounded view of every reaction's latency (the pandas reference of the engine's query)."""
    counted = latency.loc[latency["status"] == "counted"] if not latency.empty else latency
    days = counted["days"].dropna() if len(counted) else pd.Series(dtype="Int64")
    return LatencyView(
        summary=latency_summary(latency),
        boxes=latency_boxes(latency),
        rows=latency.head(max_rows),
        points=counted.reset_index(drop=True) if 0 < len(counted) <= max_points else no_latency(),
        reactions=len(latency),
        counted=len(counted),
        max_days=float(days.max()) if len(days) else None,
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
