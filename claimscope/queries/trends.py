"""The Timeline's trends in the engine: statements per period, group and stance, a few hundred rows back.

The reference is :func:`claimscope.views.trends.trend_table` (pandas over every row). Here the engine does the
per-row work in two passes over the filtered claims:

1. :func:`trend_summary`: per group, how many statements there are, how many are dated and how many
   each interval can place (a statement counts in a period only when dated at least as precisely),
   with the totals and the span of the dates; only the groups that can be among the largest come back
   (a rank window per interval, ties included). It answers ``auto`` (the span), the counted / coarse /
   undated figures and which groups keep a row, for every interval at once.
2. :func:`counts_expr`: statements per period, group (the small ones gathered as ``N others``) and
   stance, at most :data:`claimscope.views.trends.MAX_SEGMENTS` rows (one more says that the next longer
   period is due, as the reference lengthens it).

Both first group the rows by what names a group (the speaker, or the speaker country; whether the row
is the source's own analysis) and name the groups on those few rows (trimmed, mapped to blocs, the
own-analysis label), exactly as :func:`claimscope.views.timeline.speaker_groups` names them; no string is
built per statement. The last step (totals, shares, the periods' labels, the chart's order) is the
reference's own :func:`claimscope.views.trends.finish_trend_table`, so both paths give identical tables.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from claimscope.authors import AUTHOR_COLUMN, NO_COUNTRY, own_analysis_label
from claimscope.engine.filters import list_predicate
from claimscope.engine.lazy import _, ibis, ir
from claimscope.figures.common import UNLABELLED
from claimscope.ingest.dataset import Dataset
from claimscope.queries.memo import dataset_answer
from claimscope.queries.scope import Scope
from claimscope.views.timeline import NO_SPEAKER, bloc_candidates
from claimscope.views.timeline import dataset_blocs as timeline_blocs
from claimscope.views.trends import (
    _LONGER,
    INTERVALS,
    MAX_SEGMENTS,
    MAX_TREND_GROUPS,
    PRECISE_ENOUGH,
    Trend,
    _empty,
    finish_trend_table,
    order_groups,
)

#: Ibis' truncation unit of each interval (weeks start on Monday, as pandas' ``W-SUN`` periods)
TRUNCATE_UNIT = {"week": "W", "month": "M", "year": "Y"}
#: what a speaker's own-analysis label adds to the name (see :func:`claimscope.authors.own_analysis_label`)
_OWN_SUFFIX = own_analysis_label(["x"]).removeprefix("x")
#: the group of the source's own analysis per country or bloc until its label is known (it counts the names);
#: never a code (codes have no spaces), so it names no other group
AUTHORS_KEY = "(own analysis, to be named)"


@dataclass(frozen=True)
class TrendSummary:
    """The first pass: how the filtered statements are dated and how large each group is.

    ``sizes[interval]`` holds the statements each group has among those the interval can place, for the
    groups that can be among the ``max_groups`` largest (ties kept); ``groups[interval]`` how many groups
    have any. ``first`` / ``last``: the earliest start and latest end (the span ``auto`` reads).
    """

    by: str
    max_groups: int
    total: int
    dated: int
    precise: dict[str, int]
    sizes: dict[str, dict[str, int]]
    groups: dict[str, int]
    first: pd.Timestamp | None
    last: pd.Timestamp | None
    author_label: str  # the one label of the source's own analysis (country and bloc; "" when none)

    @property
    def undated(self) -> int:
        return self.total - self.dated

    def coarse(self, interval: str) -> int:
        """Dated statements less precise than the interval (the reference's ``coarse``)."""
        return self.dated - self.precise[interval]


def _precise(claims: ir.Table, interval: str) -> ir.BooleanValue:
    return claims.date_start.notnull() & claims.date_precision.isin(list(PRECISE_ENOUGH[interval]))


def _precise_cells(cells: ir.Table, interval: str) -> ir.BooleanValue:
    return cells.dated & cells.date_precision.isin(list(PRECISE_ENOUGH[interval]))


def _keyed(claims: ir.Table, by: str) -> dict[str, ir.Value]:
    """What a statement's group is read from: whether it is the source's own analysis, and the speaker
    (per actor) or the speaker country (an author row's country is not read: all share one label)."""
    return {"author": claims[AUTHOR_COLUMN].fill_null(False), "key": claims.speaker if by == "actor" else claims.speaker_country}


def group_label(keys: ir.Table, by: str, blocs: dict[str, str] | None, authors: str = AUTHORS_KEY) -> ir.StringValue:
    """The group of each (author, key) row, as :func:`claimscope.views.timeline.speaker_groups` names it.

    Built on rows already grouped by (author, key): a few thousand, not one per statement.
    ``authors``: the label of every author row per country or bloc; per actor it is each speaker's name
    with the own-analysis suffix.
    """
    key = keys.key
    cleaned = key.strip()
    if by == "actor":
        plain = ibis.ifelse(cleaned.isnull() | (cleaned == ""), NO_SPEAKER, cleaned)
        own = ibis.ifelse(key.isnull() | (key == ""), own_analysis_label([]), key.concat(_OWN_SUFFIX))
        return ibis.ifelse(keys.author, own, plain)
    if by == "bloc" and blocs:
        cleaned = cleaned.substitute(blocs)
    plain = ibis.ifelse(cleaned.isnull() | (cleaned == ""), NO_COUNTRY, cleaned)
    return ibis.ifelse(keys.author, ibis.literal(authors), plain)


def summary_expr(scope: Scope, by: str, blocs: dict[str, str] | None, max_groups: int) -> ir.Table:
    """One pass over the filtered claims: per group, statements in all, dated and placeable per interval,
    with the totals on every row; only the groups ranked below ``max_groups`` for some interval."""
    claims = scope.claims
    # per row only a grouping: by group key, precision and dated or not (a few thousand rows); the counts
    # per interval are sums over those rows (testing the precision of a million rows three times costs more)
    cells = claims.group_by(**_keyed(claims, by), date_precision=claims.date_precision, dated=claims.date_start.notnull())
    # the author rows' label names their speakers: the first and last name say whether there is one
    named = claims[AUTHOR_COLUMN].fill_null(False) & claims.speaker.notnull() & (claims.speaker != "")
    cells = cells.aggregate(
        statements=_.count(),
        first=claims.date_start.min(),
        last=claims.date_end.max(),
        first_name=claims.speaker.min(where=named),
        last_name=claims.speaker.max(where=named),
    )
    keys = cells.group_by("author", "key").aggregate(
        first_name=cells.first_name.min(),
        last_name=cells.last_name.max(),
        total=cells.statements.sum(),
        dated=cells.statements.sum(where=cells.dated).fill_null(0),  # a sum over no row is NULL
        **{interval: cells.statements.sum(where=_precise_cells(cells, interval)).fill_null(0) for interval in INTERVALS},
        first=cells["first"].min(),
        last=cells["last"].max(),
    )
    labelled = keys.mutate(group=group_label(keys, by, blocs))
    columns = ("total", "dated", *INTERVALS)
    sizes = labelled.group_by("group").aggregate(
        first_name=labelled.first_name.min(),
        last_name=labelled.last_name.max(),
        first=labelled["first"].min(),
        last=labelled["last"].max(),
        **{column: labelled[column].sum() for column in columns},
    )
    whole = ibis.window()
    ranked = sizes.mutate(
        all_first=sizes["first"].min().over(whole),
        all_last=sizes["last"].max().over(whole),
        **{f"all_{column}": sizes[column].sum().over(whole) for column in columns},
        **{f"groups_{interval}": sizes[interval].count(where=sizes[interval] > 0).over(whole) for interval in INTERVALS},
        **{f"rank_{interval}": ibis.rank().over(order_by=ibis.desc(sizes[interval])) for interval in INTERVALS},
    )
    return ranked.filter(ibis.or_(*(ranked[f"rank_{interval}"] < max_groups for interval in INTERVALS)))


def trend_summary(
    scope: Scope, *, by: str = "country", blocs: dict[str, str] | None = None, max_groups: int = MAX_TREND_GROUPS
) -> TrendSummary:
    """The dating and the group sizes of the filtered claims (:func:`summary_expr`): one query."""
    # at most a few rows per interval: those ranked below max_groups, with their ties
    frame = scope.frame(summary_expr(scope, by, blocs, max_groups), limit=None, spec=None)
    if frame.empty:
        nothing = dict.fromkeys(INTERVALS, 0)
        return TrendSummary(by, max_groups, 0, 0, nothing, {i: {} for i in INTERVALS}, nothing, None, None, "")
    authors = frame.loc[frame["group"] == AUTHORS_KEY]
    label = ""
    if len(authors):
        # the reference names them after the speakers of every author row: the one name, or how many
        first_name, last_name = authors["first_name"].iloc[0], authors["last_name"].iloc[0]
        if pd.isna(first_name):
            label = own_analysis_label([])
        elif first_name == last_name:
            label = own_analysis_label([str(first_name)])
        else:  # several: how many (one more query, only then)
            names = int(scope.value(author_names_expr(scope)))
            label = own_analysis_label([str(i) for i in range(names)])
    groups = frame["group"].astype(str).replace({AUTHORS_KEY: label})
    row = frame.iloc[0]
    first, last = row["all_first"], row["all_last"]
    return TrendSummary(
        by=by,
        max_groups=max_groups,
        total=int(row["all_total"]),
        dated=int(row["all_dated"]),
        precise={interval: int(row[f"all_{interval}"]) for interval in INTERVALS},
        sizes={interval: {g: int(n) for g, n in zip(groups, frame[interval], strict=True) if n > 0} for interval in INTERVALS},
        groups={interval: int(row[f"groups_{interval}"]) for interval in INTERVALS},
        first=None if pd.isna(first) else pd.Timestamp(first),
        last=None if pd.isna(last) else pd.Timestamp(last),
        author_label=label,
    )


def author_names_expr(scope: Scope) -> ir.Scalar:
    """How many names the filtered author rows are spoken under."""
    claims = scope.claims
    speaker = claims.speaker
    return speaker.nunique(where=claims[AUTHOR_COLUMN].fill_null(False) & speaker.notnull() & (speaker != ""))


def counts_expr(
    scope: Scope, by: str, blocs: dict[str, str] | None, interval: str, ordered: list[str], other_groups: int, author_label: str
) -> ir.Table:
    """Statements per period, group (past ``max_groups``, the small ones as ``ordered[-1]``) and stance.

    Grouped by period, stance and (author, key) first; those rows are then named and merged.
    """
    claims = scope.claims
    rows = claims.filter(_precise(claims, interval))
    keys = rows.group_by(
        period=rows.date_start.truncate(TRUNCATE_UNIT[interval]),
        stance=rows.stance.cast("string").fill_null(UNLABELLED),
        **_keyed(rows, by),
    ).aggregate(statements=_.count())
    label = group_label(keys, by, blocs, author_label)
    group = label if not other_groups else ibis.ifelse(label.isin(ordered[:-1]), label, ordered[-1])
    return keys.mutate(group=group).group_by("period", "group", "stance").aggregate(statements=_.statements.sum())


def trend_table(
    scope: Scope,
    *,
    by: str = "country",
    interval: str = "month",
    blocs: dict[str, str] | None = None,
    max_groups: int = MAX_TREND_GROUPS,
    max_segments: int = MAX_SEGMENTS,
    summary: TrendSummary | None = None,
) -> Trend:
    """:func:`claimscope.views.trends.trend_table` of the filtered claims, aggregated in the engine (identical result).

    ``summary``: the page's :func:`trend_summary` (same ``by``, ``blocs`` and ``max_groups``) when it has
    one already for the span; then one more query gives the table.
    """
    if interval not in INTERVALS:
        raise ValueError(f"interval must be one of {INTERVALS}")
    if summary is None or (summary.by, summary.max_groups) != (by, max_groups):
        summary = trend_summary(scope, by=by, blocs=blocs, max_groups=max_groups)
    if summary.total == 0:
        return Trend(_empty(), interval, (), 0, 0, 0, 0)
    asked = interval
    trend = _trend_at(scope, summary, blocs, interval, max_segments)
    while trend is None:  # too many bars for this period: the next longer one (a year always answers)
        interval = _LONGER[interval]
        trend = _trend_at(scope, summary, blocs, interval, max_segments)
    return Trend(**{**trend.__dict__, "lengthened_from": asked if interval != asked else ""})


def _trend_at(
    scope: Scope, summary: TrendSummary, blocs: dict[str, str] | None, interval: str, max_segments: int
) -> Trend | None:
    """The trend at one interval, or None when it has more than ``max_segments`` rows and a longer period exists."""
    counted, coarse, undated = summary.precise[interval], summary.coarse(interval), summary.undated
    if not counted:
        return Trend(_empty(), interval, (), 0, coarse, undated, 0)
    ordered, other_groups = order_groups(summary.sizes[interval], summary.groups[interval], summary.max_groups)
    expr = counts_expr(scope, summary.by, blocs, interval, ordered, other_groups, summary.author_label)
    # a year has no longer period: all its rows (years × max_groups × stances at most)
    limit = max_segments + 1 if interval in _LONGER else None
    counts = scope.frame(expr, limit=limit, spec=None)
    if limit is not None and len(counts) >= limit:
        return None
    table = pd.DataFrame(
        {
            "period": counts["period"].astype("datetime64[us]"),  # what pandas' Period.start_time gives
            "group": counts["group"].astype(object),
            "stance": counts["stance"].astype(object),
            "statements": counts["statements"].astype("int64"),
        }
    )
    return Trend(finish_trend_table(table, interval, ordered), interval, tuple(ordered), counted, coarse, undated, other_groups)


def span(
    summary: TrendSummary, start: pd.Timestamp | None, end: pd.Timestamp | None
) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    """The span ``auto`` reads: the date filter's bounds where set, else the statements' own first and last day."""
    return (start if start is not None else summary.first, end if end is not None else summary.last)


# --- blocs ----------------------------------------------------------------------------------------------------


def used_codes_expr(scope: Scope, codes: list[str]) -> ir.Table:
    """Which of ``codes`` any claim of the dataset names, as speaker country or in ``about``: one pass, one row
    back (a flag per code, ``c0``, ``c1`` …), on backends with arrays or with ``;``-joined lists alike."""
    everything = scope.everything
    return everything.aggregate(
        **{
            f"c{i}": ((everything.speaker_country == code) | list_predicate(everything, ["about"], [code])).any()
            for i, code in enumerate(codes)
        }
    )


def used_codes(scope: Scope, codes: list[str]) -> frozenset[str]:
    """:func:`used_codes_expr`'s answer, asked once per engine (it does not depend on the filters)."""
    wanted = sorted(codes)

    def ask() -> frozenset[str]:
        if not wanted:
            return frozenset()
        row = scope.frame(used_codes_expr(scope, wanted), limit=1, spec=None)
        if row.empty:
            return frozenset()
        return frozenset(code for i, code in enumerate(wanted) if bool(row[f"c{i}"].fillna(False).iloc[0]))

    return dataset_answer(scope.engine, ("used codes", tuple(wanted)), ask)


def dataset_blocs(scope: Scope, dataset: Dataset) -> dict[str, str]:
    """:func:`claimscope.views.timeline.dataset_blocs` with the codes the statements name read from the engine.

    Only the built-in groups' codes are in question (:func:`claimscope.views.timeline.bloc_candidates`: the
    dataset's own countries.csv rows are kept anyway), so the engine answers with a closed list, once per
    engine (the answer does not depend on the filters).
    """
    candidates = bloc_candidates(dataset)
    return timeline_blocs(dataset, used_codes(scope, candidates) if candidates else frozenset())
