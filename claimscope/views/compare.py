"""Two to four actors or countries side by side, on the same scales, with the differences said in words.

The subjects are the shared filters' own values: the selected speakers (``?speaker=A&speaker=B``), or, when
no speaker is selected, the selected speaker countries (``?country=KOR&country=CHN``). The other filters
narrow every subject alike. Past :data:`MAX_SUBJECTS` the rest are left out, with a notice.

Pure functions, each a "table in → small table out" step (filter, group, aggregate), so that a million
claims cost a few group-bys. Column contracts:

- :func:`stance_over_time`: ``subject, period, start, end, stance, statements`` (one row per non-empty cell)
- :func:`stance_totals`: ``subject, stance, statements``
- :func:`shares`: ``subject, value, statements, total, share`` (share of the subject's statements, 0–1)
- :func:`latency_by_subject`: :data:`LATENCY_COLUMNS`
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from claimscope.authors import is_author, own_analysis_label
from claimscope.figures.common import STANCE_ORDER, UNLABELLED
from claimscope.filters import Filters
from claimscope.views.actor import column_in, is_list_column
from claimscope.views.timeline import LATENCY_COLUMNS as LATENCY_INPUT_COLUMNS
from claimscope.views.timeline import reaction_latency

MIN_SUBJECTS = 2
MAX_SUBJECTS = 4
#: a subject kind -> the claims column that holds it
SUBJECT_COLUMNS = {"speaker": "speaker", "country": "speaker_country"}
PERIODS = ("month", "year")
#: spans longer than this many months are drawn by year
MONTHS_BEFORE_YEARS = 36
QUICK_DAYS = 2
PERIOD_COLUMNS = ["subject", "period", "start", "end", "stance", "statements"]
TOTAL_COLUMNS = ["subject", "stance", "statements"]
SHARE_COLUMNS = ["subject", "value", "statements", "total", "share"]
LATENCY_COLUMNS = ["subject", "reactions", "counted", "too coarse", "within", "median days"]


@dataclass(frozen=True)
class Subjects:
    """What the page compares: ``by`` is ``speaker`` or ``country`` (``""``: nothing selected)."""

    by: str
    values: tuple[str, ...]
    left_out: tuple[str, ...] = ()

    @property
    def enough(self) -> bool:
        return len(self.values) >= MIN_SUBJECTS

    @property
    def column(self) -> str:
        return SUBJECT_COLUMNS[self.by or "speaker"]


def compare_subjects(filters: Filters, max_subjects: int = MAX_SUBJECTS) -> Subjects:
    """The speakers selected, else the speaker countries selected; past ``max_subjects``, the first ones."""
    for by in ("speaker", "country"):
        chosen = filters.selected(by)
        if chosen:
            return Subjects(by, tuple(chosen[:max_subjects]), tuple(chosen[max_subjects:]))
    return Subjects("", ())


def subject_labels(
    claims: pd.DataFrame, subjects: Subjects, names: dict[str, str] | None = None, *, short: bool = False
) -> dict[str, str]:
    """A plain-text label per subject: ``Russia (RUS)`` for a country (``RUS`` when ``short``, for sentences);
    the source's own analysis named as such."""
    authors: list[str] = []
    if subjects.by == "speaker" and not claims.empty:
        rows = claims.loc[claims["speaker"].isin(subjects.values)]
        authors = [str(s) for s in rows.loc[is_author(rows).to_numpy(dtype=bool), "speaker"].unique()]
    return label_subjects(subjects, names, authors, short=short)


def label_subjects(
    subjects: Subjects, names: dict[str, str] | None, authors: Iterable[str], *, short: bool = False
) -> dict[str, str]:
    """:func:`subject_labels` once the speakers among the subjects who speak as the source's own analysis
    (``authors``) are known: the engine's query and the pandas reference find them, this says them."""
    names = names or {}
    labels = {}
    for value in subjects.values:
        if subjects.by == "country" and short:
            labels[value] = value
        elif subjects.by == "country":
            name = names.get(value, value)
            labels[value] = f"{name} ({value})" if name != value else value
        else:
            labels[value] = value
    if subjects.by == "speaker":
        for speaker in authors:
            labels[str(speaker)] = own_analysis_label([speaker])
    return labels


def _subject_rows(claims: pd.DataFrame, subjects: Subjects, columns: list[str] | None = None) -> pd.DataFrame:
    """The subjects' rows (only ``columns`` of them, when given: a million rows are cheaper narrow), with ``subject``."""
    if claims.empty or not subjects.values:
        return claims.iloc[0:0].assign(subject=pd.Series(dtype=object))
    column = subjects.column
    mask = claims[column].isin(subjects.values).to_numpy(dtype=bool, copy=True)
    if subjects.by == "country":
        # the source's own analysis is not its country's voice
        mask &= ~is_author(claims).to_numpy(dtype=bool)
    wanted = claims.columns if columns is None else [c for c in dict.fromkeys([column, *columns]) if c in claims]
    rows = claims.loc[mask, wanted]
    return rows.assign(subject=rows[column].astype(str))


def _stance(values: pd.Series) -> pd.Series:
    """Stances as text, ``unlabelled`` for an empty one (on the categories, not row by row)."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        if UNLABELLED not in values.cat.categories:
            values = values.cat.add_categories([UNLABELLED])
        return values.fillna(UNLABELLED)
    return values.astype(object).where(values.notna(), UNLABELLED).astype(str)


def choose_period(claims: pd.DataFrame) -> str:
    """``month`` for spans up to three years, else ``year`` (so the bars stay countable)."""
    if claims.empty or claims["date_start"].isna().all():
        return "month"
    return period_for_span(claims["date_start"].min(), claims["date_end"].max())


def period_for_span(first: pd.Timestamp | None, last: pd.Timestamp | None) -> str:
    """:func:`choose_period` from the earliest start and the latest end of the statements (``None``: undated)."""
    if first is None or pd.isna(first):
        return "month"
    span = last - first
    return "year" if span > pd.Timedelta(days=round(MONTHS_BEFORE_YEARS * 30.44)) else "month"


@dataclass(frozen=True)
class PeriodCounts:
    """Statements per subject, period and stance, and per subject those dated too coarsely for the period."""

    period: str
    counts: pd.DataFrame  # PERIOD_COLUMNS
    too_coarse: pd.Series  # subject -> statements known only to the year when the period is a month


def stance_over_time(claims: pd.DataFrame, subjects: Subjects, period: str = "month") -> PeriodCounts:
    """Count statements per subject, period (month or year) and stance.

    A statement dated only to the year is not put in a month (that would invent a precision): by month it
    is counted in ``too_coarse`` instead. Undated statements are left out of both.
    """
    rows = _subject_rows(claims, subjects, ["date_start", "date_precision", "stance"])
    rows = rows.loc[rows["date_start"].notna()] if len(rows) else rows
    if period not in PERIODS:
        raise ValueError(f"period must be one of {PERIODS}")
    if rows.empty:
        return PeriodCounts(period, pd.DataFrame({c: pd.Series(dtype=object) for c in PERIOD_COLUMNS}), pd.Series(dtype=int))
    coarse = (rows["date_precision"] == "year").to_numpy() if period == "month" else np.zeros(len(rows), dtype=bool)
    too_coarse = rows.loc[coarse].groupby("subject").size()
    fine = rows.loc[~coarse]
    unit = "datetime64[M]" if period == "month" else "datetime64[Y]"
    starts = fine["date_start"].to_numpy().astype(unit).astype("datetime64[ns]")
    frame = pd.DataFrame({"subject": fine["subject"].to_numpy(), "start": starts, "stance": _stance(fine["stance"]).to_numpy()})
    counts = frame.groupby(["subject", "start", "stance"], observed=True).size().rename("statements").reset_index()
    return PeriodCounts(period, period_table(counts, period), too_coarse)


def period_table(counts: pd.DataFrame, period: str) -> pd.DataFrame:
    """:data:`PERIOD_COLUMNS` from the counts per ``subject, start, stance`` (``statements``), ``start`` the first
    day of the month or year: each period's end and label added, the rows in the figure's order.

    Shared by the pandas reference and the engine's query, which both group first and call this on the groups.
    """
    counts = counts.assign(start=counts["start"].astype("datetime64[ns]"), statements=counts["statements"].astype("int64"))
    offset = pd.offsets.MonthEnd(0) if period == "month" else pd.offsets.YearEnd(0)
    counts["end"] = counts["start"] + offset
    counts["period"] = counts["start"].dt.strftime("%Y-%m" if period == "month" else "%Y")
    order = {s: i for i, s in enumerate(STANCE_ORDER)}
    counts = counts.sort_values(["subject", "start", "stance"], key=lambda c: c.map(order) if c.name == "stance" else c)
    return counts[PERIOD_COLUMNS].reset_index(drop=True)


def stance_totals(claims: pd.DataFrame, subjects: Subjects) -> pd.DataFrame:
    """Statements per subject and stance (every subject and stance listed, zeros included)."""
    rows = _subject_rows(claims, subjects, ["stance"])
    if rows.empty:
        return totals_table(pd.Series(dtype="int64"), subjects)
    return totals_table(
        rows.assign(stance=_stance(rows["stance"])).groupby(["subject", "stance"], observed=True).size(), subjects
    )


def totals_table(counts: pd.Series, subjects: Subjects) -> pd.DataFrame:
    """:data:`TOTAL_COLUMNS` from the counts per ``(subject, stance)``: every subject and stance, zeros included."""
    index = pd.MultiIndex.from_product([list(subjects.values), list(STANCE_ORDER)], names=["subject", "stance"])
    if counts.empty:
        counts = pd.Series(0, index=index, name="statements")
    else:
        counts = counts.reindex(index, fill_value=0).astype("int64").rename("statements")
    return counts.reset_index()[TOTAL_COLUMNS]


def shares(claims: pd.DataFrame, subjects: Subjects, column: str, limit: int = 12) -> pd.DataFrame:
    """For the ``limit`` values of ``column`` most used by the subjects together: each subject's statements and share.

    ``share`` is of the subject's statements (so subjects of different volume compare on one scale); a
    statement with several topics counts for each. Every subject gets a row for every value kept.
    """
    rows = _subject_rows(claims, subjects, [column])
    if rows.empty or column not in rows:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in SHARE_COLUMNS})
    totals = rows.groupby("subject").size()
    values = rows[["subject", column]].explode(column) if is_list_column(rows[column]) else rows[["subject", column]]
    values = values.rename(columns={column: "value"})
    values = values.loc[values["value"].notna()].astype({"value": str})
    values = values.loc[values["value"] != ""]
    if values.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in SHARE_COLUMNS})
    counts = values.groupby(["subject", "value"], observed=True).size().rename("statements")
    overall = counts.groupby(level="value").sum()
    kept = sorted(overall.index, key=lambda v: (-overall[v], v))[:limit]
    return share_table(counts, kept, totals, subjects)


def share_table(counts: pd.Series, kept: list[str], totals: pd.Series, subjects: Subjects) -> pd.DataFrame:
    """:data:`SHARE_COLUMNS` from the counts per ``(subject, value)`` of the values ``kept`` (most used first) and
    each subject's statements (``totals``): every subject that has statements gets a row for every value kept."""
    present = [s for s in subjects.values if s in totals.index]
    index = pd.MultiIndex.from_product([present, kept], names=["subject", "value"])
    table = counts.reindex(index, fill_value=0).astype("int64").rename("statements").reset_index()
    table["total"] = table["subject"].map(totals).astype(int)
    table["share"] = table["statements"] / table["total"]
    return table[SHARE_COLUMNS]


def subject_latency(claims: pd.DataFrame, all_claims: pd.DataFrame, events: pd.DataFrame, subjects: Subjects) -> pd.DataFrame:
    """:func:`claimscope.views.timeline.reaction_latency` of the subjects' reactions, with a ``subject`` column.

    Only the subjects' rows and the claims they answer are joined, so a million claims cost two ``isin``.
    """
    needed = ["claim_id", "speaker", "speaker_country", "date", "stance", "responds_to", "date_start", "date_precision"]
    rows = _subject_rows(claims, subjects, needed)
    if rows.empty or "responds_to" not in rows:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in [*LATENCY_INPUT_COLUMNS, "subject"]})
    targets = all_claims.loc[column_in(all_claims["claim_id"], rows["responds_to"])]
    latency = reaction_latency(rows, targets, events)
    if latency.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in [*LATENCY_INPUT_COLUMNS, "subject"]})
    return latency.merge(rows[["claim_id", "subject"]], on="claim_id", how="inner")


def latency_by_subject(latency: pd.DataFrame, subjects: Subjects, within_days: int = QUICK_DAYS) -> pd.DataFrame:
    """Per subject: reactions with a dated target, how many were counted to the day, how many within ``within_days``.

    ``latency`` is :func:`subject_latency`. Every subject gets a row (zeros when it made no reaction).
    """
    frame = pd.DataFrame({"subject": list(subjects.values)})
    if latency.empty:
        grouped = pd.DataFrame(columns=["reactions", "counted", "too coarse", "within", "median days"])
    else:
        days = latency["days"].astype("Float64")
        work = latency.assign(
            counted=days.notna().astype(int),
            coarse=(latency["status"] == "too coarse").astype(int),
            within=(days <= within_days).fillna(False).astype(int),
            days_float=days,
        )
        grouped = work.groupby("subject").agg(
            reactions=("claim_id", "size"),
            counted=("counted", "sum"),
            **{"too coarse": ("coarse", "sum")},
            within=("within", "sum"),
            **{"median days": ("days_float", "median")},
        )
    table = frame.merge(grouped, left_on="subject", right_index=True, how="left")
    for column in ("reactions", "counted", "too coarse", "within"):
        table[column] = table[column].fillna(0).astype(int)
    table["median days"] = table["median days"].astype("Float64")
    return table[LATENCY_COLUMNS]


# --- the differences, said in one sentence per panel ---------------------------------------------------


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _of(n: int, total: int) -> str:
    return f"{n} of {total}"


def stance_sentence(totals: pd.DataFrame, labels: dict[str, str]) -> str:
    """Each subject's prevailing stance with its count, e.g. ``RUS: mostly support (9 of 10)``."""
    parts = []
    for subject, group in totals.groupby("subject", sort=False):
        total = int(group["statements"].sum())
        label = labels.get(subject, subject)
        if not total:
            parts.append(f"{label}: no statement")
            continue
        top = group.sort_values("statements", ascending=False, kind="stable").iloc[0]
        tied = group.loc[group["statements"] == top["statements"], "stance"].tolist()
        stance = " and ".join(tied) if len(tied) > 1 else str(top["stance"])
        parts.append(f"{label}: mostly {stance} ({_of(int(top['statements']), total)})")
    return "; ".join(parts) + "." if parts else ""


def shares_sentence(table: pd.DataFrame, labels: dict[str, str], noun: str) -> str:
    """Each subject's most frequent value, then the value whose shares differ most between the subjects."""
    if table.empty:
        return f"No {noun} to compare."
    parts = []
    for subject, group in table.groupby("subject", sort=False):
        top = group.sort_values(["statements", "value"], ascending=[False, True], kind="stable").iloc[0]
        label = labels.get(subject, subject)
        if int(top["statements"]) == 0:
            parts.append(f"{label}: none of these")
        else:
            parts.append(f"{label}: {top['value']} ({_of(int(top['statements']), int(top['total']))})")
    sentence = f"Most frequent {noun} — " + "; ".join(parts) + "."
    spread = table.groupby("value")["share"].agg(lambda s: s.max() - s.min())
    if table["subject"].nunique() >= 2 and len(spread) and spread.max() > 0:
        value = sorted(spread.index, key=lambda v: (-spread[v], v))[0]
        rows = table.loc[table["value"] == value].sort_values("share", ascending=False, kind="stable")
        high, low = rows.iloc[0], rows.iloc[-1]
        sentence += (
            f" Widest gap: {value}, {high['share']:.0%} of {labels.get(high['subject'], high['subject'])}'s statements "
            f"against {low['share']:.0%} of {labels.get(low['subject'], low['subject'])}'s."
        )
    return sentence


def latency_sentence(table: pd.DataFrame, labels: dict[str, str], within_days: int = QUICK_DAYS) -> str:
    """e.g. ``KOR reacted within 2 days to 8 of 11 reactions timed to the day; CHN within 2 days to 1 of 6.``"""
    days = f"{within_days} day{'' if within_days == 1 else 's'}"
    parts = []
    said_reacted = False
    for row in table.to_dict("records"):
        label = labels.get(row["subject"], row["subject"])
        coarse = f" ({row['too coarse']} too coarse to count)" if row["too coarse"] else ""
        if not row["reactions"]:
            parts.append(f"{label} made no reaction to a statement or event of the dataset")
        elif not row["counted"]:
            parts.append(f"{label}: {_plural(row['reactions'], 'reaction')}, none timed to the day")
        elif not said_reacted:
            said_reacted = True
            parts.append(
                f"{label} reacted within {days} to {_of(row['within'], row['counted'])} reactions timed to the day{coarse}"
            )
        else:
            parts.append(f"{label} within {days} to {_of(row['within'], row['counted'])}{coarse}")
    return "; ".join(parts) + "." if parts else ""
