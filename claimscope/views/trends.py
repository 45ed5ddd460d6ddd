"""The Timeline's trends: statements per week, month or year, per speaker country, bloc or actor, by stance.

Pure functions of frames (no Streamlit), each a "table in → small aggregated table out" step (a groupby),
so that a million claims become a few hundred bars before anything is drawn.

Column contract of :func:`trend_table` (one row per period × group × stance with at least one statement):

==============  ======================================================================
``period``      first day of the period (Timestamp; weeks start on Monday)
``period_end``  last day of the period (Timestamp)
``label``       the period as text: ``2024-W25``, ``2024-06`` or ``2024``
``date_from``   the ``from`` URL value that selects the period (``2024-06-17``, ``2024-06``, ``2024``)
``date_to``     the matching ``to`` value
``group``       speaker country, bloc or actor (the smaller ones gathered as ``N others``)
``stance``      the stance, ``unlabelled`` when empty
``statements``  how many statements
``total``       statements of the group in the period (all stances)
``share``       ``statements / total``, from 0 to 1
==============  ======================================================================

A statement is counted in a period only when its date is at least as precise as the period: a statement
known only to the month is not put in one of its weeks (it is counted by the ``coarse`` figure instead).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from claimscope.figures.common import STANCE_ORDER, UNLABELLED
from claimscope.views.timeline import bloc_of, speaker_groups  # noqa: F401  (bloc_of: part of this module's interface)

INTERVALS = ("week", "month", "year")
GROUPINGS = ("country", "bloc", "actor")
#: at most this many groups get a row of their own; the others are gathered into one
MAX_TREND_GROUPS = 8
#: spans up to this many days are shown per week, up to AUTO_MONTH_DAYS per month, longer ones per year
AUTO_WEEK_DAYS = 183
AUTO_MONTH_DAYS = 366 * 6
#: past this many bar segments (period × group × stance), the next longer period is used (the browser stays light)
MAX_SEGMENTS = 3000
_LONGER = {"week": "month", "month": "year"}
#: which date precisions each interval can place (a day-precise date fits every period)
PRECISE_ENOUGH = {"week": ("day",), "month": ("day", "month"), "year": ("day", "month", "year")}
_PERIOD_CODE = {"week": "W-SUN", "month": "M", "year": "Y"}
TREND_COLUMNS = ["period", "period_end", "label", "date_from", "date_to", "group", "stance", "statements", "total", "share"]


@dataclass(frozen=True)
class Trend:
    """The aggregated table and what it leaves out, for the page to say."""

    table: pd.DataFrame  # TREND_COLUMNS
    interval: str
    groups: tuple[str, ...]  # the groups drawn, most statements first
    counted: int  # statements placed in a period
    coarse: int  # dated statements whose date is less precise than the interval
    undated: int  # statements with no readable date
    other_groups: int  # how many groups were gathered into "N others"
    lengthened_from: str = ""  # the interval asked for, when it would have drawn more than MAX_SEGMENTS bars


def auto_interval(start: pd.Timestamp | None, end: pd.Timestamp | None) -> str:
    """Weeks for a span up to half a year, months up to six years, years beyond."""
    if start is None or end is None or pd.isna(start) or pd.isna(end):
        return "month"
    days = (end - start).days
    if days <= AUTO_WEEK_DAYS:
        return "week"
    return "month" if days <= AUTO_MONTH_DAYS else "year"


def _empty() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in TREND_COLUMNS})


def period_bounds(starts: pd.Series, interval: str) -> tuple[pd.Series, pd.Series, pd.Series, pd.Series]:
    """For period start days: the last day, the label, and the ``from``/``to`` URL values that select the period."""
    if interval == "week":
        ends = starts + pd.Timedelta(days=6)
        iso = starts.dt.isocalendar()
        labels = iso["year"].astype(str) + "-W" + iso["week"].astype(str).str.zfill(2)
        return ends, labels, starts.dt.strftime("%Y-%m-%d"), ends.dt.strftime("%Y-%m-%d")
    if interval == "month":
        ends = starts + pd.offsets.MonthEnd(0)
        labels = starts.dt.strftime("%Y-%m")
        return ends, labels, labels, labels
    ends = starts + pd.offsets.YearEnd(0)
    labels = starts.dt.strftime("%Y")
    return ends, labels, labels, labels


def trend_table(
    claims: pd.DataFrame,
    *,
    by: str = "country",
    interval: str = "month",
    blocs: dict[str, str] | None = None,
    max_groups: int = MAX_TREND_GROUPS,
    max_segments: int = MAX_SEGMENTS,
) -> Trend:
    """Statements per period, group and stance (the column contract is in the module's docstring).

    The ``max_groups - 1`` groups with the most statements keep a row each when there are more than
    ``max_groups``; the rest are summed into one ``N others`` group. When the interval would give more
    than ``max_segments`` bar segments (decades per week), the next longer one is used and named in
    ``lengthened_from``.
    """
    if interval not in INTERVALS:
        raise ValueError(f"interval must be one of {INTERVALS}")
    if claims.empty:
        return Trend(_empty(), interval, (), 0, 0, 0, 0)
    # the columns needed, each computed once over every row (a million rows: no copy of the others)
    starts = claims["date_start"]
    dated = starts.notna().to_numpy()
    precision = claims["date_precision"]
    groups = speaker_groups(claims, by, blocs).array  # a Categorical: integer codes and the names
    stances = _stance_categorical(claims["stance"])
    asked = interval
    while True:
        trend = _trend_at(starts, dated, precision, groups, stances, interval, max_groups)
        if len(trend.table) <= max_segments or interval not in _LONGER:
            break
        interval = _LONGER[interval]
    return Trend(**{**trend.__dict__, "lengthened_from": asked if interval != asked else ""})


def _stance_categorical(stance: pd.Series) -> pd.Categorical:
    """The stances as integer codes, an empty one as ``unlabelled`` (no string per row is made)."""
    column = stance if isinstance(stance.dtype, pd.CategoricalDtype) else stance.astype(object).astype("category")
    names = [str(c) for c in column.cat.categories]
    if UNLABELLED not in names:
        names.append(UNLABELLED)
    codes = column.cat.codes.to_numpy()
    return pd.Categorical.from_codes(np.where(codes < 0, names.index(UNLABELLED), codes), categories=names)


def _trend_at(starts, dated, precision, groups: pd.Categorical, stances: pd.Categorical, interval: str, max_groups: int) -> Trend:
    precise = dated & precision.isin(PRECISE_ENOUGH[interval]).to_numpy()
    undated = int((~dated).sum())
    coarse = int((dated & ~precise).sum())
    if not precise.any():
        return Trend(_empty(), interval, (), 0, coarse, undated, 0)
    # integer codes for the groupby (a million strings are factorised once, not hashed per key)
    group_codes, group_names = groups.codes[precise], list(groups.categories)
    stance_codes, stance_names = stances.codes[precise], list(stances.categories)
    frame = pd.DataFrame(
        {
            "period": starts.loc[precise].dt.to_period(_PERIOD_CODE[interval]).dt.start_time.to_numpy(),
            "group": group_codes,
            "stance": stance_codes,
        }
    )
    sizes = pd.Series(np.bincount(group_codes, minlength=len(group_names)), index=group_names)
    sizes = sizes.loc[sizes > 0]
    ordered, other_groups = order_groups(sizes.to_dict(), len(sizes), max_groups)
    names = np.array(group_names, dtype=object)
    if other_groups:
        kept = set(ordered[:-1])
        names = np.array([g if g in kept else ordered[-1] for g in group_names], dtype=object)
    table = frame.groupby(["period", "group", "stance"]).size().rename("statements").reset_index()
    table["group"] = names[table["group"].to_numpy()]
    table["stance"] = np.array(stance_names, dtype=object)[table["stance"].to_numpy()]
    table = finish_trend_table(table, interval, ordered)
    return Trend(table, interval, tuple(ordered), int(precise.sum()), coarse, undated, other_groups)


def order_groups(sizes: dict[str, int], groups: int, max_groups: int = MAX_TREND_GROUPS) -> tuple[list[str], int]:
    """The rows of the chart, most statements first (ties by name), and how many groups share the last one.

    ``sizes`` holds the statements of every group, or (a query's answer) at least of every group that
    could be among the ``max_groups`` largest; ``groups`` is how many groups there are in all. Past
    ``max_groups``, the ``max_groups - 1`` largest keep a row and the others become ``N others``.
    """
    ordered = sorted(sizes, key=lambda g: (-sizes[g], g))
    if groups <= max_groups:
        return ordered, 0
    kept = ordered[: max_groups - 1]
    other_groups = groups - len(kept)
    return [*kept, f"{other_groups} others"], other_groups


def finish_trend_table(table: pd.DataFrame, interval: str, ordered: list[str]) -> pd.DataFrame:
    """From statements per period, group and stance (groups already named, "others" not yet summed) to the
    column contract: summed, totals and shares, the period's bounds, in the chart's order.

    Shared by :func:`trend_table` and the engine's query (:mod:`claimscope.queries.trends`), which both
    end with a few hundred rows: this is presentation, done once.
    """
    table = table.groupby(["period", "group", "stance"], sort=False)["statements"].sum().reset_index()  # "others" merged
    table["total"] = table.groupby(["period", "group"])["statements"].transform("sum")
    table["share"] = (table["statements"] / table["total"]).round(4)
    table["period_end"], table["label"], table["date_from"], table["date_to"] = period_bounds(table["period"], interval)
    ranks = pd.DataFrame(
        {
            "period": table["period"],
            "group": table["group"].map({g: i for i, g in enumerate(ordered)}),
            "stance": table["stance"].map({s: i for i, s in enumerate(STANCE_ORDER)}),
        }
    )
    table = table.loc[ranks.sort_values(["period", "group", "stance"]).index].reset_index(drop=True)
    return table[TREND_COLUMNS]


EVENT_PERIOD_COLUMNS = ["period", "period_end", "label", "events", "titles", "event_ids"]
MAX_TITLES = 5


def events_per_period(events: pd.DataFrame, interval: str) -> pd.DataFrame:
    """Context events gathered per period of their first day: how many, their first titles and ids."""
    if events.empty or "date_start" not in events or interval not in INTERVALS:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in EVENT_PERIOD_COLUMNS})
    rows = events.loc[events["date_start"].notna()].sort_values(["date_start", "event_id"])
    if rows.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in EVENT_PERIOD_COLUMNS})
    frame = pd.DataFrame(
        {
            "period": rows["date_start"].dt.to_period(_PERIOD_CODE[interval]).dt.start_time,
            "title": rows["title"].astype(str).to_numpy(),
            "event_id": rows["event_id"].astype(str).to_numpy(),
        }
    )
    grouped = (
        frame.groupby("period", sort=True)
        .agg(events=("event_id", "size"), titles=("title", lambda t: list(t)[:MAX_TITLES]), event_ids=("event_id", list))
        .reset_index()
    )
    grouped["period_end"], grouped["label"], _, _ = period_bounds(grouped["period"], interval)
    return grouped[EVENT_PERIOD_COLUMNS]


def range_from_selection(selection: object) -> tuple[str, str] | None:
    """The (from, to) URL values of the first selected bar (its ``customdata`` is [from, to, …])."""
    from claimscope.views.timeline import _points

    for point in _points(selection):
        data = point.get("customdata") if isinstance(point, dict) else None
        if isinstance(data, list | tuple) and len(data) >= 2 and all(isinstance(v, str) and v for v in data[:2]):
            return str(data[0]), str(data[1])
    return None
