"""The Compare page's queries: two to four subjects (speakers or speaker countries) side by side, each
number grouped in the engine per subject; only the small tables the figures draw come back.

The reference is :mod:`claimscope.views.compare` (pandas, on the loaded frames): every function here returns
what its namesake there gives for the same subjects and filters; where the reference finishes a small
grouped table (periods' bounds, zeros for missing cells, shares), both call the same function of it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from claimscope.engine.lazy import ibis, ir
from claimscope.figures.timeline import MAX_LATENCY_POINTS
from claimscope.ingest.csvio import LINE_COLUMN
from claimscope.queries.actor import MAX_ROWS, country_text, is_author, latency_join, stance_text
from claimscope.queries.scope import Scope
from claimscope.views.compare import (
    PERIOD_COLUMNS,
    PERIODS,
    SHARE_COLUMNS,
    PeriodCounts,
    Subjects,
    label_subjects,
    period_for_span,
    period_table,
    share_table,
    totals_table,
)
from claimscope.views.timeline import LATENCY_COLUMNS

LATENCY_ROW_COLUMNS = [*LATENCY_COLUMNS, "subject"]


def subject_rows(scope: Scope, subjects: Subjects) -> ir.Table:
    """The subjects' statements that the filters keep, with ``subject``; a country's leave out the source's own
    analysis (it is not its country's voice), as in :func:`claimscope.views.compare._subject_rows`."""
    claims = scope.claims
    if not subjects.values:
        return claims.filter(ibis.literal(False)).mutate(subject=ibis.literal("", type="string"))
    column = claims[subjects.column]
    keep = column.isin(list(subjects.values))
    if subjects.by == "country":
        keep &= ~is_author(claims)
    return claims.filter(keep).mutate(subject=column.cast("string"))


def subject_labels(
    scope: Scope, subjects: Subjects, names: dict[str, str] | None = None, *, short: bool = False
) -> dict[str, str]:
    """:func:`claimscope.views.compare.subject_labels`: which selected speakers speak as the source's own analysis is
    asked of the engine (at most the four subjects come back)."""
    authors: list[str] = []
    if subjects.by == "speaker" and subjects.values:
        claims = scope.claims
        rows = claims.filter(claims.speaker.isin(list(subjects.values)) & is_author(claims))
        frame = scope.frame(rows.select("speaker").distinct(), limit=len(subjects.values), spec=None)
        authors = [str(s) for s in frame["speaker"]]
    return label_subjects(subjects, names, authors, short=short)


def stance_totals(scope: Scope, subjects: Subjects) -> pd.DataFrame:
    """:func:`claimscope.views.compare.stance_totals`: statements per subject and stance, grouped in the engine."""
    rows = subject_rows(scope, subjects)
    grouped = rows.group_by(subject=rows.subject, stance=stance_text(rows.stance)).aggregate(statements=rows.count())
    frame = scope.frame(grouped, limit=None, spec=None)  # at most four subjects × five stances
    counts = frame.set_index(["subject", "stance"])["statements"] if len(frame) else pd.Series(dtype="int64")
    return totals_table(counts, subjects)


def choose_period(scope: Scope) -> str:
    """:func:`claimscope.views.compare.choose_period` of the kept statements, from their first and last date."""
    claims = scope.claims
    frame = scope.frame(claims.aggregate(first=claims.date_start.min(), last=claims.date_end.max()), limit=1, spec=None)
    first, last = frame["first"].iloc[0], frame["last"].iloc[0]
    return period_for_span(None if pd.isna(first) else pd.Timestamp(first), None if pd.isna(last) else pd.Timestamp(last))


def stance_over_time(scope: Scope, subjects: Subjects, period: str = "month") -> PeriodCounts:
    """:func:`claimscope.views.compare.stance_over_time`: one grouped query per subject, period start and stance (and
    whether the statement is dated only to the year, which by month is counted apart, never narrowed)."""
    if period not in PERIODS:
        raise ValueError(f"period must be one of {PERIODS}")
    rows = subject_rows(scope, subjects)
    rows = rows.filter(rows.date_start.notnull())
    coarse = (rows.date_precision == "year").fill_null(False) if period == "month" else ibis.literal(False)
    grouped = rows.group_by(
        subject=rows.subject,
        coarse=coarse,
        start=rows.date_start.truncate("M" if period == "month" else "Y"),
        stance=stance_text(rows.stance),
    ).aggregate(statements=rows.count())
    # at most four subjects × two × the periods (months or years) the data spans × five stances
    frame = scope.frame(grouped, limit=None, spec=None)
    if frame.empty:
        return PeriodCounts(period, pd.DataFrame({c: pd.Series(dtype=object) for c in PERIOD_COLUMNS}), pd.Series(dtype=int))
    is_coarse = frame["coarse"].astype(bool)
    too_coarse = frame.loc[is_coarse].groupby("subject")["statements"].sum().astype("int64").rename(None)
    fine = frame.loc[~is_coarse, ["subject", "start", "stance", "statements"]]
    fine = fine.astype({"subject": object, "stance": object})
    return PeriodCounts(period, period_table(fine, period), too_coarse)


def subject_totals(stance_totals: pd.DataFrame) -> pd.Series:
    """Each subject's statements (those with any), from :func:`stance_totals`: what :func:`shares` divides by."""
    totals = stance_totals.groupby("subject", sort=False)["statements"].sum().astype("int64")
    return totals[totals > 0]


def shares(scope: Scope, subjects: Subjects, column: str, limit: int = 12, totals: pd.Series | None = None) -> pd.DataFrame:
    """:func:`claimscope.views.compare.shares`: the ``limit`` values most used by the subjects together (ranked in the
    engine), each subject's count of them and its statements; the table is finished as the reference's is.

    ``totals`` (:func:`subject_totals`, when the page has counted the stances already) saves a query.
    """
    rows = subject_rows(scope, subjects)
    if column not in rows.columns:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in SHARE_COLUMNS})
    if totals is None:
        totals = subject_totals(stance_totals(scope, subjects))
    if totals.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in SHARE_COLUMNS})
    cells = rows[column]
    values = rows.select("subject", value=cells.unnest() if cells.type().is_array() else cells.cast("string"))
    values = values.filter(values.value.notnull() & (values.value != ""))
    counts = values.group_by(["subject", "value"]).aggregate(statements=values.count())
    overall = counts.statements.sum().over(group_by=counts.value)
    counts = counts.mutate(_overall=overall)
    counts = counts.mutate(_rank=ibis.dense_rank().over(order_by=[ibis.desc(counts._overall), ibis.asc(counts.value)]))
    kept_counts = counts.filter(counts._rank < limit)
    # at most four subjects × ``limit`` values
    frame = scope.frame(kept_counts, limit=None, spec=None)
    if frame.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in SHARE_COLUMNS})
    frame = frame.astype({"subject": object, "value": object})
    ranked = frame.drop_duplicates("value").sort_values("_rank")
    kept = [str(v) for v in ranked["value"]]
    series = frame.set_index(["subject", "value"])["statements"].astype("int64")
    return share_table(series, kept, totals, subjects)


# --- reaction latency -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SubjectLatency:
    """:func:`claimscope.views.compare.subject_latency`, bounded.

    ``rows`` are the reference's first rows (the page's table); ``frame`` is what the latency figure,
    :func:`claimscope.views.timeline.latency_summary` and :func:`claimscope.views.compare.latency_by_subject` read: one row
    per reaction, in full for the counted ones when the figure draws them one by one (at most
    :data:`MAX_LATENCY_POINTS`), else only ``subject``, ``status`` and ``days`` (built from the engine's counts
    per subject, status and day: the boxes need every day, nothing else).
    """

    rows: pd.DataFrame
    reactions: int
    frame: pd.DataFrame

    @property
    def truncated(self) -> bool:
        return self.reactions > len(self.rows)


def subject_latency(
    scope: Scope, subjects: Subjects, max_rows: int = MAX_ROWS, max_points: int = MAX_LATENCY_POINTS
) -> SubjectLatency:
    """The subjects' kept reactions joined in the engine to the claims (all of them) and events they answer."""
    rows = subject_rows(scope, subjects)
    rows = rows.select(
        LINE_COLUMN,
        "claim_id",
        "speaker",
        "date",
        "responds_to",
        "date_start",
        "date_precision",
        "subject",
        speaker_country=country_text(rows.speaker_country),
        stance=stance_text(rows.stance),
    )
    keep = ["claim_id", "speaker", "speaker_country", "date", "stance", "responds_to", "subject"]
    joined = latency_join(scope, rows, keep)
    # one query lists the first rows (the table), the top of the reference's order (a top-N: a heap of that many rows,
    # where a row number over every reaction sorted them all; docs/scale.md has the times at a million claims), with
    # the counts per subject, status and days (at most four subjects × the distinct day counts, a few hundred, and one
    # row of the too coarse each); the join is done once (Scope.frames), and the counts are read only when the rows
    # are not all
    order = ["speaker_country", "date", "claim_id"]
    listed = _ranked(joined.order_by(order).limit(max_rows + 1), order)
    counts = joined.group_by(["subject", "status", "days"]).aggregate(n=joined.count())
    found = scope.frames({"listed": listed, "counts": counts})
    first = _latency_frame(found["listed"].sort_values("_rank"))
    if len(first) <= max_rows:
        return SubjectLatency(first, len(first), first)
    histogram = found["counts"]
    histogram = histogram.assign(n=histogram["n"].astype("int64"))
    reactions = int(histogram["n"].sum())
    is_counted = histogram["status"] == "counted"
    counted_reactions = int(histogram.loc[is_counted, "n"].sum())
    if 0 < counted_reactions <= max_points:
        # few enough counted to draw one by one, among too many reactions to list: their rows, asked now (at most
        # ``max_points``; the join again, where a part of the query above would have cost every other case a second
        # top-N and a larger union to compile)
        counted = joined.filter(joined.status == "counted")
        points = scope.frame(_ranked(counted.order_by(order).limit(max_points), order), limit=None, spec=None)
        parts = [_latency_frame(points.sort_values("_rank"))]
    else:
        parts = [_expand(histogram.loc[is_counted])]
    parts.append(_expand(histogram.loc[~is_counted]))
    return SubjectLatency(first.iloc[:max_rows], reactions, pd.concat(parts, ignore_index=True))


def _ranked(top: ir.Table, order: list[str]) -> ir.Table:
    """``top`` (the first rows of an order, limited) with ``_rank``, each row's place in that order: a union (Scope.frames)
    keeps no order, so the rows carry theirs; numbering the few rows kept costs nothing."""
    return top.mutate(_rank=ibis.row_number().over(order_by=[top[column] for column in order]))


def _latency_frame(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame[LATENCY_ROW_COLUMNS].assign(days=frame["days"].astype("Int64"))
    return frame.astype({c: object for c in LATENCY_ROW_COLUMNS if c != "days"}).reset_index(drop=True)


def _expand(histogram: pd.DataFrame) -> pd.DataFrame:
    """One row per reaction counted in ``histogram`` (subject, status, days, n): the columns the figure reads."""
    repeats = histogram["n"].to_numpy(dtype="int64")
    frame = pd.DataFrame({c: pd.Series([None] * int(repeats.sum()), dtype=object) for c in LATENCY_ROW_COLUMNS})
    frame["subject"] = np.repeat(histogram["subject"].astype(object).to_numpy(), repeats)
    frame["speaker_country"] = frame["subject"]
    frame["status"] = np.repeat(histogram["status"].astype(object).to_numpy(), repeats)
    frame["days"] = pd.array(np.repeat(histogram["days"].to_numpy(dtype="float64"), repeats), dtype="Float64").astype("Int64")
    return frame
