"""The Actor profile's queries: the subject's statements (counted, by role, topic, country and date), whom
they answered and who answered them, each aggregated in the engine; only the rows a list shows come back.

The reference is :mod:`claimscope.views.actor` (pandas, on the loaded frames): every function here returns what
its namesake there gives for the same filters, and the tests hold the two together on every engine. A list
is at most :data:`MAX_ROWS` rows, fetched one more to know whether it was cut. When a list is whole (most
actors), what is said about it is computed from it by the reference's own functions: one query where a cut
list needs four; when it was cut, the numbers are aggregated in the engine over all of its rows.

What costs at a million claims, and how the queries avoid it: reading the texts (quote, summary) of rows
spread over the file costs as much as reading them all, so they are read once (:func:`actor_statements`),
and only for the rows listed (ranked on dates first); joining every claim to its target, so the targets are
narrowed to those answered before the join (:func:`target_join`), and the join of every reaction to its target
is kept by the engine, once (:func:`reaction_targets`); and compiling an expression, which costs
tens of milliseconds per query, so the expressions stay flat and few.

The subject is the profile's actor (the ``speaker`` column's value). "All their statements" ignore the
filters; "their statements" are those the filters keep (``scope.claims``), as on the page.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from claimscope.authors import AUTHOR_COLUMN, NO_COUNTRY, own_analysis_label
from claimscope.engine.connection import Engine
from claimscope.engine.filters import filter_clauses
from claimscope.engine.lazy import ibis, ir
from claimscope.figures.common import UNLABELLED
from claimscope.filters import Filters
from claimscope.ingest.csvio import LINE_COLUMN
from claimscope.queries.periods import coarsened
from claimscope.queries.scope import Scope
from claimscope.views.actor import (
    ANSWERED_BY_COLUMNS,
    ANSWERED_COLUMNS,
    COUNT_COLUMNS,
    ROLE_COLUMN,
    ROLE_COLUMNS,
    STATEMENT_COLUMNS,
    ActorCard,
    Threads,
    actor_record,
    card_of,
)
from claimscope.views.actor import first_and_last as reference_first_and_last
from claimscope.views.actor import roles_over_time as reference_roles
from claimscope.views.actor import statement_points as reference_points
from claimscope.views.actor import value_counts as reference_value_counts
from claimscope.views.timeline import MAX_GROUPS, MAX_POINTS, POINT_COLUMNS, aggregate_points, finish_groups

#: the rows a list of the page shows (whom they answered, who answered them, their statements)
MAX_ROWS = 2000
#: the values a topic or country chart shows
TOP_VALUES = 12
#: the most roles one actor's card lists (one per line of claims.csv's speaker_role, in practice a few)
MAX_ROLES = 1000
TIMELINE_COLUMNS = ["lane", "period", "stance", "statements", "start", "end"]
#: what the page shows of the first and last statement
FIRST_LAST_COLUMNS = ["claim_id", "date", "date_start", "date_end", "kind", "stance", "summary", "quote"]

log = logging.getLogger("claimscope")

#: how long after a restart's first page (drawn without Ibis) :func:`prepare` waits before opening the engine's
#: backend and its derived tables: about what a browser takes here to draw that page once the server has sent it
PREPARE_AFTER_FIRST_PAGE_S = 5.0


# --- shared expressions --------------------------------------------------------------------------------


def stance_text(column: ir.Value) -> ir.StringValue:
    """The stance as the pages show it: ``unlabelled`` for an empty one."""
    return column.cast("string").nullif("").fill_null(UNLABELLED)


def country_text(column: ir.Value, *, strip: bool = False) -> ir.StringValue:
    """A speaker country, :data:`NO_COUNTRY` when there is none (``strip``: as :func:`country_labels` reads it)."""
    text = column.cast("string")
    text = text.strip() if strip else text
    return text.nullif("").fill_null(NO_COUNTRY)


def is_author(table: ir.Table) -> ir.BooleanValue:
    """The loader's flag of the source's own analysis, False where a table lacks it."""
    return table[AUTHOR_COLUMN].fill_null(False) if AUTHOR_COLUMN in table.columns else ibis.literal(False)


def author_label(count: int, name: str | None) -> str:
    """:func:`own_analysis_label` of ``count`` distinct author speakers, ``name`` the one when there is one:
    the label needs only how many there are (and the name of a single one), which the engine counts."""
    return own_analysis_label([name or ""] if count == 1 else [str(i) for i in range(count)])


def kept_predicate(table: ir.Table, scope: Scope) -> ir.BooleanValue:
    """The view's filters as one predicate over ``table`` (a selection of the claims), to count what they keep."""
    clauses = list(filter_clauses(table, scope.filters, scope.text_matches).values())
    return ibis.and_(*clauses) if clauses else ibis.literal(True)


def events_table(scope: Scope) -> ir.Table | None:
    return scope.table("events") if scope.has_table("events") else None


#: what :func:`target_join` adds to a reaction: its target's kind (``claim`` or ``event``), date, date interval
#: start and precision, speaker (or the event's title), country and whether it is the source's own analysis
TARGET_COLUMNS = [
    "target_kind",
    "target_date",
    "target_start",
    "target_precision",
    "target_speaker",
    "target_country",
    "target_author",
]


def target_join(reactions: ir.Table, everything: ir.Table, events: ir.Table | None) -> ir.Table:
    """Every reaction of ``reactions`` whose target (a claim of ``everything``, else an event) exists, with
    ``reactions``' columns and the :data:`TARGET_COLUMNS`.

    ``target_country`` is the claim's speaker country, stripped (as :func:`country_labels` reads it), or the
    event's countries joined; ``target_author`` says the target is the source's own analysis (the caller names
    it, knowing how many authors there are). A claim and an event of the same id: the claim wins, as in the
    reference. The expression is kept flat (two joins, one filter, one projection): Ibis compiles each layer,
    and compiling costs more than running on small data.
    """
    # only the statements that answer something (an empty target matches no id), and only the claims answered
    # (a semi-join on those targets): the joins then build on a few rows, not on every claim of the dataset
    reactions = reactions.filter(reactions.responds_to.notnull() & (reactions.responds_to != ""))
    everything = everything.filter(everything.claim_id.isin(reactions.responds_to))
    claims = everything.select(
        _t_claim=everything.claim_id,
        _t_date=everything.date,
        _t_start=everything.date_start,
        _t_precision=everything.date_precision,
        _t_speaker=everything.speaker,
        _t_country=everything.speaker_country,
        _t_author=everything[AUTHOR_COLUMN] if AUTHOR_COLUMN in everything.columns else ibis.literal(False),
    )
    joined = reactions.left_join(claims, reactions.responds_to == claims._t_claim)
    if events is None:
        joined = joined.filter(joined._t_claim.notnull())
        claim_country = country_text(joined._t_country, strip=True)
        kind, target_date, start, precision = ibis.literal("claim"), joined._t_date, joined._t_start, joined._t_precision
        speaker, country, author = joined._t_speaker, claim_country, joined._t_author.fill_null(False)
    else:
        countries = events.countries
        targets = events.select(
            _e_event=events.event_id,
            _e_date=events.date,
            _e_start=events.date_start,
            _e_precision=events.date_precision,
            _e_title=events.title.cast("string"),
            _e_countries=countries.join(", ") if countries.type().is_array() else countries.cast("string"),
        )
        joined = joined.left_join(targets, joined.responds_to == targets._e_event)
        joined = joined.filter(joined._t_claim.notnull() | joined._e_event.notnull())
        claim_country = country_text(joined._t_country, strip=True)
        is_claim = joined._t_claim.notnull()
        kind = ibis.ifelse(is_claim, "claim", "event")
        target_date = ibis.ifelse(is_claim, joined._t_date, joined._e_date)
        start = ibis.ifelse(is_claim, joined._t_start, joined._e_start)
        precision = ibis.ifelse(is_claim, joined._t_precision, joined._e_precision)
        speaker = ibis.ifelse(is_claim, joined._t_speaker, joined._e_title)
        country = ibis.ifelse(is_claim, claim_country, joined._e_countries.fill_null(""))
        author = is_claim & joined._t_author.fill_null(False)
    return joined.select(
        *reactions.columns,
        target_kind=kind,
        target_date=target_date,
        target_start=start,
        target_precision=precision,
        target_speaker=speaker,
        target_country=country,
        target_author=author,
    )


def reaction_targets(scope: Scope, wait: bool = False) -> ir.Table | None:
    """Every reaction of the dataset with its target (:func:`target_join` of all the claims, by ``_line``), kept
    by the engine when it keeps derived tables and has written it (:meth:`Engine.derived_table`; ``wait``: wait
    for it to be written), else None.

    Latency and "whom they answered" join each filtered reaction to its target. Done per query, that join builds
    a hash table of every claim's string id (at ten million claims, about a second a query, several queries a
    page); done once, every such query is a join on the integer ``_line`` with this narrower table. The targets
    never depend on the filters (what is answered is the dataset's), so one table serves every view.
    """
    everything = scope.everything
    if LINE_COLUMN not in everything.columns:
        return None
    events = events_table(scope)
    return scope.engine.derived_table(
        "reaction_targets",
        lambda: target_join(everything.select(LINE_COLUMN, "responds_to"), everything, events).select(
            LINE_COLUMN, *TARGET_COLUMNS
        ),
        wait=wait,
    )


def prepare(engine: Engine) -> None:
    """Start writing the engine's derived tables in the background (``app.py``, after a page's run: a server's first
    page does not share the cores with them), so that the pages that join reactions to their targets find them.

    On an engine whose backend is not open yet (a restart's first page, drawn from answers kept in the cache entry),
    opening it imports Ibis, and the derived table is read back from the entry: both wait
    :data:`PREPARE_AFTER_FIRST_PAGE_S`, for the browser to draw that page first (on two cores, done at once they only
    took the cores from it: ``docs/scale.md``). A page that needs the table meanwhile starts it itself.
    """
    if engine.is_open:
        _start_derived(engine)
        return
    engine.defer(PREPARE_AFTER_FIRST_PAGE_S, lambda: _prepare_quietly(engine))  # once, and not after close()


def _start_derived(engine: Engine) -> None:
    """Start writing every derived table the pages use: the reactions' targets, and the walks' links
    (:func:`claimscope.queries.cascade.answer_links`)."""
    # imported here: that module imports networkx, which a restart's first page (app.py imports this one) does not need
    from claimscope.queries.cascade import answer_links

    scope = Scope(engine, Filters())
    reaction_targets(scope)
    answer_links(scope)


def _prepare_quietly(engine: Engine) -> None:
    try:
        _start_derived(engine)
    except Exception as exc:  # a closed engine: the pages join by themselves, and a later run starts it again
        log.info("claimscope: the derived tables were not started (%s: %s)", type(exc).__name__, exc)


def with_targets(scope: Scope, reactions: ir.Table) -> ir.Table:
    """:func:`target_join` of ``reactions`` (a selection of the claims with ``_line``), from the engine's kept
    targets when it keeps them (a join on ``_line``), else joined here."""
    kept = reaction_targets(scope) if LINE_COLUMN in reactions.columns else None
    if kept is None:
        return target_join(reactions, scope.everything, events_table(scope))
    return reactions.join(kept, LINE_COLUMN)


def latency_join(scope: Scope, reactions: ir.Table, keep: list[str]) -> ir.Table:
    """Every reaction of ``reactions`` whose target exists, with the target and the days between, as
    :func:`claimscope.views.timeline.reaction_latency` gives them: the ``keep`` columns of ``reactions``,
    ``target_kind``, ``target_date``, ``target_speaker``, ``target_country``, ``target_author``, ``days`` (only
    when both dates are known to the day) and ``status``. ``reactions`` should carry ``_line``
    (:func:`with_targets`)."""
    joined = with_targets(scope, reactions)
    days, status = days_between(joined.date_start, joined.date_precision, joined.target_start, joined.target_precision)
    return joined.select(
        *keep,
        target_kind=joined.target_kind,
        target_date=joined.target_date,
        target_speaker=joined.target_speaker,
        target_country=joined.target_country,
        target_author=joined.target_author,
        days=days,
        status=status,
    )


def days_between(
    start: ir.Value, precision: ir.Value, target_start: ir.Value, target_precision: ir.Value
) -> tuple[ir.Value, ir.Value]:
    """``days`` from the target to the reaction when both are known to the day (else NULL), and ``status``."""
    both_days = ((precision == "day") & (target_precision == "day")).fill_null(False)
    delta = start.date().delta(target_start.date(), unit="day")
    return ibis.ifelse(both_days, delta, ibis.null("int64")), ibis.ifelse(both_days, "counted", "too coarse")


def day_counts(table: ir.Table) -> ir.Table:
    """How many rows of ``table`` have each counted ``days`` (``days``, ``n``: a few hundred distinct values, never
    the rows)."""
    counted = table.filter(table.days.notnull())
    return counted.group_by("days").aggregate(n=counted.count())


def as_histogram(frame: pd.DataFrame) -> pd.Series:
    """:func:`day_counts`' answer as a Series: counted days -> rows."""
    return pd.Series(frame["n"].to_numpy(dtype="int64"), index=frame["days"].to_numpy(dtype="int64"), dtype="int64")


def median_days(histogram: pd.Series) -> float | None:
    """The median of the days a histogram counts (as the reference's ``Series.median``), None when there are none."""
    if histogram.empty or int(histogram.sum()) == 0:
        return None
    return float(pd.Series(np.repeat(histogram.index.to_numpy(), histogram.to_numpy())).astype(float).median())


def _int_days(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(days=frame["days"].astype("Int64")) if "days" in frame else frame


# --- their statements: counts and who they are ---------------------------------------------------------


@dataclass(frozen=True)
class StatementCounts:
    """The profile's numbers: all the subject's statements, those the filters keep, and their dates' range."""

    total: int  # every statement of theirs, whatever the filters
    authored: int  # of those, statements of the source's own analysis
    matched: int  # those the filters keep
    reactions: int  # of the kept ones, reactions
    dated: int  # of the kept ones, dated (the timeline's statements)
    first_start: pd.Timestamp | None  # the earliest start of a kept statement's date
    last_end: pd.Timestamp | None  # the latest end of a dated kept statement's date

    @property
    def hidden(self) -> int:
        """How many of their statements the filters hide."""
        return self.total - self.matched


def subject_table(table: ir.Table, name: str) -> ir.Table:
    """The rows of ``table`` whose speaker is ``name`` (the profile's subject)."""
    return table.filter(table.speaker == name)


def statement_counts(scope: Scope, name: str) -> StatementCounts:
    """One pass over the subject's statements: how many in all, how many the filters keep, and of those how many
    are reactions and dated, with the first and last date (the timeline's range)."""
    mine = subject_table(scope.everything, name)
    kept = kept_predicate(mine, scope)
    dated = kept & mine.date_start.notnull()
    expr = mine.aggregate(
        total=mine.count(),
        authored=mine.count(where=is_author(mine)),
        matched=mine.count(where=kept),
        reactions=mine.count(where=kept & (mine.kind == "reaction")),
        dated=mine.count(where=dated),
        first_start=mine.date_start.min(where=dated),
        last_end=mine.date_end.max(where=dated),
    )
    row = scope.frame(expr, limit=1, spec=None).iloc[0]

    def stamp(value: object) -> pd.Timestamp | None:
        return None if pd.isna(value) else pd.Timestamp(value)

    return StatementCounts(
        total=int(row["total"]),
        authored=int(row["authored"]),
        matched=int(row["matched"]),
        reactions=int(row["reactions"]),
        dated=int(row["dated"]),
        first_start=stamp(row["first_start"]),
        last_end=stamp(row["last_end"]),
    )


def most_frequent_country(scope: Scope, name: str) -> str:
    """:func:`claimscope.views.actor.most_frequent_country` of all the subject's statements (ties: the first code)."""
    mine = subject_table(scope.everything, name)
    given = mine.filter(mine.speaker_country.notnull() & (mine.speaker_country != ""))
    top = (
        given.group_by(value=given.speaker_country)
        .aggregate(n=given.count())
        .order_by([ibis.desc("n"), ibis.asc("value")])
        .limit(1)
    )
    frame = scope.frame(top, limit=1, spec=None)
    return str(frame["value"].iloc[0]) if len(frame) else ""


def actor_card(scope: Scope, actors: pd.DataFrame, name: str, counts: StatementCounts) -> ActorCard:
    """:func:`claimscope.views.actor.actor_card`: actors.csv's record (small, in pandas) and, when it gives no country,
    the most frequent one of their statements (asked of the engine only then)."""
    record = actor_record(actors, name) or {}
    country = str(record.get("country") or "")
    if not country and counts.total:
        country = most_frequent_country(scope, name)
    return card_of(record, name, country, all_author=bool(counts.total) and counts.authored == counts.total)


def roles_over_time(scope: Scope, name: str, fallback_role: str = "", whole: ActorStatements | None = None) -> pd.DataFrame:
    """:func:`claimscope.views.actor.roles_over_time` over all the subject's statements, in one grouped query.

    Each role's first statement is its earliest by date start (then id), its last the latest by date end
    (then id): row numbers over the role's statements on its first or last day, so that only one row per role
    comes back. ``whole``: the
    subject's statements when they are all listed (no filter hides one, none cut off); the roles are then
    the reference's of them, with no query.
    """
    if whole is not None and not whole.truncated and ROLE_COLUMN in whole.rows:
        return reference_roles(whole.rows, fallback_role)
    mine = subject_table(scope.everything, name)
    if ROLE_COLUMN in mine.columns:
        given = mine[ROLE_COLUMN].cast("string").fill_null("").strip()
        role = ibis.ifelse(given != "", given, fallback_role or "(role not given)")
        real = given != ""
    else:
        role, real = ibis.literal(fallback_role), ibis.literal(False)
    rows = mine.mutate(role=role, _real=real)
    totals = rows.group_by("role").aggregate(
        statements=rows.count(),
        _start=rows.date_start.min(),
        _end=rows.date_end.max(),
        _real=rows.count(where=rows._real),
    )
    # the first and last statements can only be among those starting on the role's first day or ending on its last
    # (all of them where no date is known): row numbers over those few, not sorts of every statement
    bounds = totals.select("role", _lo=totals._start, _hi=totals._end)
    near = rows.join(bounds, "role")
    near = near.filter((near.date_start == near._lo) | near._lo.isnull() | (near.date_end == near._hi) | near._hi.isnull())
    near = near.mutate(
        _first=ibis.row_number().over(
            group_by=near.role, order_by=[ibis.asc(near.date_start, nulls_first=False), ibis.asc(near.claim_id)]
        ),
        _last=ibis.row_number().over(
            group_by=near.role, order_by=[ibis.desc(near.date_end, nulls_first=False), ibis.desc(near.claim_id)]
        ),
    )
    picked = near.group_by("role").aggregate(
        first=near.date.max(where=near._first == 0),
        last=near.date.max(where=near._last == 0),
    )
    spans = totals.join(picked, "role").drop("_end")
    table = scope.frame(spans, limit=MAX_ROLES, spec=None)
    if table.empty:
        return _empty(ROLE_COLUMNS)
    if int(table["_real"].sum()):
        source = "claims.csv speaker_role"
    elif fallback_role:
        source = "actors.csv role"
    else:
        return _empty(ROLE_COLUMNS)
    table = table.sort_values(["_start", "role"], na_position="last")
    table = table.assign(source=source, statements=table["statements"].astype("int64"))
    return table[ROLE_COLUMNS].reset_index(drop=True)


def first_and_last(scope: Scope, name: str, counts: StatementCounts) -> tuple[dict | None, dict | None]:
    """:func:`claimscope.views.actor.first_and_last` of the kept statements: the earliest by date start (then id), the
    latest by date end (then id), as the page shows them (:data:`FIRST_LAST_COLUMNS`).

    ``counts`` already knows the first start and the last end: each statement is looked up by that date, a
    constant the scan filters on before it reads the texts (the costly part), and the two lookups travel as
    one query.
    """
    if counts.first_start is None:
        return None, None
    dated = subject_table(scope.claims, name)
    first = dated.filter(dated.date_start == counts.first_start).order_by(dated.claim_id).limit(1)
    last = dated.filter(dated.date_end == counts.last_end, dated.date_start.notnull())
    last = last.order_by(ibis.desc(last.claim_id)).limit(1)
    both = first.select(*FIRST_LAST_COLUMNS, _last=ibis.literal(False)).union(
        last.select(*FIRST_LAST_COLUMNS, _last=ibis.literal(True)), distinct=False
    )
    frame = scope.frame(both, limit=2)
    picked = [frame.loc[frame["_last"].astype(bool) == is_last, FIRST_LAST_COLUMNS] for is_last in (False, True)]
    return tuple(rows.iloc[0].to_dict() if len(rows) else None for rows in picked)  # type: ignore[return-value]


def value_counts(scope: Scope, name: str, column: str, matched: int, limit: int = TOP_VALUES) -> pd.DataFrame:
    """:func:`claimscope.views.actor.value_counts` of the kept statements: the ``limit`` values of ``column`` (lists
    unnested) most frequent, grouped and ranked in the engine; ``share`` of the ``matched`` statements."""
    mine = subject_table(scope.claims, name)
    if not matched or column not in mine.columns:
        return _empty(COUNT_COLUMNS)
    cells = mine[column]
    values = mine.select(value=cells.unnest() if cells.type().is_array() else cells.cast("string"))
    values = values.filter(values.value.notnull() & (values.value != ""))
    top = (
        values.group_by("value")
        .aggregate(statements=values.count())
        .order_by([ibis.desc("statements"), ibis.asc("value")])
        .limit(limit)
    )
    counts = scope.frame(top, limit=limit, spec=None)
    if counts.empty:
        return _empty(COUNT_COLUMNS)
    counts = counts.assign(value=counts["value"].astype(str), statements=counts["statements"].astype("int64"))
    return counts.assign(share=counts["statements"] / matched)[COUNT_COLUMNS].reset_index(drop=True)


def statement_rows(scope: Scope, name: str, limit: int = MAX_ROWS, columns: list[str] = STATEMENT_COLUMNS) -> pd.DataFrame:
    """The kept statements oldest first (undated last, then by id), :data:`STATEMENT_COLUMNS`: at most
    ``limit + 1`` rows, so that the page knows when the list is cut (:func:`listed_and_last` reads a long
    list faster, knowing its counts)."""
    mine = subject_table(scope.claims, name)
    ordered = mine.order_by([ibis.asc(mine.date_start, nulls_first=False), ibis.asc(mine.claim_id)])
    columns = [c for c in columns if c in mine.columns]  # speaker_role is an extension a table may lack
    return scope.frame(ordered.select(*columns).limit(limit + 1), limit=limit + 1).reset_index(drop=True)


# --- their statements over time -------------------------------------------------------------------------


@dataclass(frozen=True)
class StatementTimeline:
    """The timeline of the kept, dated statements: the points when they are few, always their groups.

    ``points`` is :func:`claimscope.views.actor.statement_points` when there are at most ``max_points`` statements
    (None beyond, when the figure draws the groups); ``groups`` is :func:`claimscope.views.timeline.aggregate_points`
    of them (the table under the figure, and the figure past ``max_points``).
    """

    statements: int
    points: pd.DataFrame | None
    groups: pd.DataFrame
    lanes: pd.Series  # statements per lane (kind), as the figure orders its lanes
    first_start: pd.Timestamp | None
    last_end: pd.Timestamp | None


def statement_timeline(
    scope: Scope, name: str, counts: StatementCounts, max_points: int = MAX_POINTS, max_groups: int = MAX_GROUPS
) -> StatementTimeline:
    """:func:`claimscope.views.actor.statement_points` and :func:`claimscope.views.timeline.aggregate_points` of them.

    Up to ``max_points`` dated statements, their points come back (one lane per kind, in the reference's
    order: the speaker's lane, then the source's own analysis, by date and id) and are grouped in pandas.
    Beyond, only the groups: per kind, month (year for a year-precise date) and stance, counted in the
    engine; by year everywhere when months would give more than ``max_groups``, by decade when years would.
    """
    dated = subject_table(scope.claims, name)
    dated = dated.filter(dated.date_start.notnull())
    kind = dated.kind.cast("string")
    if counts.dated <= max_points:
        ordered = dated.order_by([is_author(dated), dated.date_start, dated.claim_id])
        points = scope.frame(
            ordered.select(
                claim_id=dated.claim_id,
                lane=kind,
                speaker=dated.speaker,
                speaker_country=dated.speaker_country,
                date=dated.date,
                date_precision=dated.date_precision,
                date_start=dated.date_start,
                date_end=dated.date_end,
                stance=stance_text(dated.stance),
                kind=kind,
                summary=dated.summary,
            ),
            limit=max_points + 1,
            spec=None,
        )[POINT_COLUMNS].reset_index(drop=True)
        return timeline_of(points, counts, max_points, max_groups)
    period = ibis.ifelse(dated.date_precision == "year", dated.date, dated.date.substr(0, 7))
    cells = dated.mutate(lane=kind, period=period, stance=stance_text(dated.stance))
    keys = ["lane", "period", "stance"]
    months = cells.group_by(keys).aggregate(statements=cells.count())
    groups = scope.frame(coarsened(months, keys, "statements", max_groups), limit=None, spec=None)
    groups = finish_groups(groups.assign(statements=groups["statements"].astype("int64")))
    lanes = groups.groupby("lane")["statements"].sum()
    return StatementTimeline(counts.dated, None, groups, lanes, counts.first_start, counts.last_end)


def timeline_of(
    points: pd.DataFrame, counts: StatementCounts, max_points: int = MAX_POINTS, max_groups: int = MAX_GROUPS
) -> StatementTimeline:
    """The timeline of points already fetched (all the subject's dated statements): grouped in pandas."""
    groups = aggregate_points(points, max_groups) if len(points) else _empty(TIMELINE_COLUMNS)
    lanes = points["lane"].value_counts() if len(points) else pd.Series(dtype="int64")
    shown = points if len(points) <= max_points else None
    return StatementTimeline(len(points), shown, groups, lanes, counts.first_start, counts.last_end)


# --- all of it ---------------------------------------------------------------------------------------------

#: the columns of the listed statements that the timeline, the first and last statement and the charts also read
WHOLE_COLUMNS = list(
    dict.fromkeys(
        [*STATEMENT_COLUMNS, *FIRST_LAST_COLUMNS, "speaker", "speaker_country", "date_precision", AUTHOR_COLUMN, ROLE_COLUMN]
    )
)


class ActorStatements:
    """What the profile shows of the kept statements: the list and its first and last (asked at once), and the
    timeline and the two charts, each asked when a section first reads it.

    Why: the profile's sections are tabs and only the open one runs (``pages/actor.py``); past :data:`MAX_ROWS`
    statements the timeline and each chart are queries of their own, which a link to the Threads or to the list
    asked for nothing.
    """

    def __init__(
        self,
        rows: pd.DataFrame,
        truncated: bool,
        first: dict | None,
        last: dict | None,
        timeline: Callable[[], StatementTimeline],
        topics: Callable[[], pd.DataFrame],
        about: Callable[[], pd.DataFrame],
    ) -> None:
        self.rows = rows  # the first ``max_rows`` statements, oldest first (STATEMENT_COLUMNS and more)
        self.truncated = truncated  # there are more than ``rows``
        self.first = first
        self.last = last
        self._asks = {"timeline": timeline, "topics": topics, "about": about}

    @cached_property
    def timeline(self) -> StatementTimeline:
        """Their dated statements as the Over time section draws them (points, or groups past the limit)."""
        return self._asks["timeline"]()

    @cached_property
    def topics(self) -> pd.DataFrame:
        """The topics of their statements, most frequent first (:func:`claimscope.views.actor.value_counts`)."""
        return self._asks["topics"]()

    @cached_property
    def about(self) -> pd.DataFrame:
        """The countries their statements speak about, most frequent first (as :attr:`topics`)."""
        return self._asks["about"]()


def actor_statements(
    scope: Scope,
    name: str,
    counts: StatementCounts,
    max_rows: int = MAX_ROWS,
    top: int = TOP_VALUES,
    max_points: int = MAX_POINTS,
    max_groups: int = MAX_GROUPS,
) -> ActorStatements:
    """The subject's kept statements as the profile shows them.

    The list (at most ``max_rows``) comes first. When it holds every kept statement (most actors), the
    first and last statement, the timeline and the charts are the reference's pandas functions of it: one
    query, whose texts are read once. Past ``max_rows``, each is its own query, grouped in the engine. The
    timeline and the charts are asked when first read (:class:`ActorStatements`).
    """
    if counts.matched <= max_rows:
        rows = statement_rows(scope, name, max_rows, WHOLE_COLUMNS)
        first, last = reference_first_and_last(rows)
        return ActorStatements(
            rows,
            False,
            first,
            last,
            timeline=lambda: timeline_of(reference_points(rows), counts, max_points, max_groups),
            topics=lambda: reference_value_counts(rows, "topics", top),
            about=lambda: reference_value_counts(rows, "about", top),
        )
    rows, last = listed_and_last(scope, name, counts, max_rows, WHOLE_COLUMNS)
    first = rows.iloc[0].to_dict() if counts.first_start is not None and len(rows) else None  # oldest first
    return ActorStatements(
        rows,
        True,
        first,
        last,
        timeline=lambda: statement_timeline(scope, name, counts, max_points, max_groups),
        topics=lambda: value_counts(scope, name, "topics", counts.matched, top),
        about=lambda: value_counts(scope, name, "about", counts.matched, top),
    )


def listed_and_last(
    scope: Scope, name: str, counts: StatementCounts, limit: int = MAX_ROWS, columns: list[str] = WHOLE_COLUMNS
) -> tuple[pd.DataFrame, dict | None]:
    """The first ``limit`` kept statements (as :func:`statement_rows`) and the last one (as :func:`first_and_last`)
    of a long list.

    Sorting a prolific actor's statements with their texts reads every text; so the list's last date is
    found first on the dates alone, and the texts are then read only up to it: a constant the scan filters
    on (and, on data stored in date order, skips the rest by its statistics). The last statement is looked
    up by its date (from ``counts``) in the same query.
    """
    mine = subject_table(scope.claims, name)
    order = [ibis.asc(mine.date_start, nulls_first=False), ibis.asc(mine.claim_id)]
    shown = [c for c in columns if c in mine.columns]
    listed = mine
    if counts.dated >= limit:  # the list holds dated statements only: up to the date of its last one
        head = mine.order_by(order).limit(limit)
        cutoff = scope.frame(head.aggregate(cutoff=head.date_start.max()), limit=1, spec=None)["cutoff"].iloc[0]
        listed = mine.filter(mine.date_start <= pd.Timestamp(cutoff))
    listed = listed.order_by([ibis.asc(listed.date_start, nulls_first=False), ibis.asc(listed.claim_id)]).limit(limit)
    parts = listed.select(*shown, _last=ibis.literal(False))
    if counts.last_end is not None:
        last = mine.filter(mine.date_end == counts.last_end, mine.date_start.notnull())
        last = last.order_by(ibis.desc(last.claim_id)).limit(1)
        parts = parts.union(last.select(*shown, _last=ibis.literal(True)), distinct=False)
    frame = scope.frame(parts, limit=limit + 1)
    is_last = frame["_last"].astype(bool)
    rows = frame.loc[~is_last, shown].sort_values(["date_start", "claim_id"], na_position="last", kind="stable")
    found = frame.loc[is_last, shown]
    return rows.reset_index(drop=True), (found.iloc[0].to_dict() if len(found) else None)


# --- threads: whom they answered, who answered them ----------------------------------------------------


@dataclass(frozen=True)
class Answered:
    """:func:`claimscope.views.actor.answered`: the first ``max_rows`` rows, and what the page says about all of them."""

    rows: pd.DataFrame  # ANSWERED_COLUMNS, oldest first
    total: int  # their reactions whose target exists
    targets: int  # distinct speakers (or event titles) answered
    days: pd.Series  # counted days -> reactions
    events: tuple[str, ...]  # the events answered (drawn on the timeline)

    @property
    def truncated(self) -> bool:
        return self.total > len(self.rows)


@dataclass(frozen=True)
class AnsweredBy:
    """:func:`claimscope.views.actor.answered_by`: the first ``max_rows`` rows, and what the page says about all of them."""

    rows: pd.DataFrame  # ANSWERED_BY_COLUMNS, oldest first
    total: int  # reactions of others to the subject's kept statements
    started: int  # the subject's statements that drew one
    responders: int  # distinct speakers who answered
    days: pd.Series  # counted days -> reactions

    @property
    def truncated(self) -> bool:
        return self.total > len(self.rows)


def answered(scope: Scope, name: str, max_rows: int = MAX_ROWS) -> Answered:
    """Whom the subject answered: their kept reactions joined (in the engine) to the claims and events answered.

    The first ``max_rows`` rows come back (one more is fetched to know whether that is all); when it is all,
    the counts come from them, else from one query of the whole join's summaries (:meth:`Scope.frames`).
    """
    mine = subject_table(scope.claims, name)
    mine = mine.select(
        LINE_COLUMN, "claim_id", "date", "responds_to", "date_start", "date_precision", stance=stance_text(mine.stance)
    )
    joined = latency_join(scope, mine, ["claim_id", "date", "stance", "responds_to"])
    ordered = joined.order_by([joined.date, joined.claim_id])
    rows = _int_days(scope.frame(ordered, limit=max_rows + 1, spec=None))
    if len(rows) <= max_rows:
        authors = rows.loc[rows["target_author"].astype(bool), "target_speaker"].unique()
        label = own_analysis_label(authors)
        days = rows["days"].dropna().astype("int64").value_counts()
        events = tuple(rows.loc[rows["target_kind"] == "event", "responds_to"].unique())
        total, targets = len(rows), int(rows["target_speaker"].nunique())
    else:
        rows = rows.iloc[:max_rows]
        is_event = joined.target_kind == "event"
        # one query: the join once (a common table expression), its summary, histogram and events answered
        found = scope.frames(
            {
                "summary": joined.aggregate(
                    total=joined.count(),
                    targets=joined.target_speaker.nunique(),
                    authors=joined.target_speaker.nunique(where=joined.target_author),
                    author=joined.target_speaker.min(where=joined.target_author),
                ),
                "days": day_counts(joined),
                "events": joined.filter(is_event).select("responds_to").distinct(),  # a few of the events table
            }
        )
        summary = found["summary"].iloc[0]
        label = author_label(int(summary["authors"]), summary["author"])
        days = as_histogram(found["days"])
        events = tuple(found["events"]["responds_to"])
        total, targets = int(summary["total"]), int(summary["targets"])
    author_rows = rows["target_author"].astype(bool)
    rows = rows.assign(target_country=rows["target_country"].astype(object).where(~author_rows, label))
    return Answered(rows[ANSWERED_COLUMNS].reset_index(drop=True), total, targets, days, events)


def answered_events(scope: Scope, name: str) -> tuple[str, ...]:
    """The events the subject's kept statements answer (:attr:`Answered.events`, in the order of their ids), without
    the rest of :func:`answered`: the profile draws them on its timeline, whose section does not list the threads.

    The same join as :func:`answered` (a statement answering an id that is both a claim's and an event's answers
    the claim), so the two agree; one small answer, the events' ids.
    """
    if not scope.has_table("events"):
        return ()
    mine = subject_table(scope.claims, name)
    joined = with_targets(scope, mine.select(*[c for c in (LINE_COLUMN, "responds_to") if c in mine.columns]))
    found = joined.filter(joined.target_kind == "event").select("responds_to").distinct().order_by("responds_to")
    return tuple(scope.frame(found, limit=None, spec=None)["responds_to"])


def answered_by(scope: Scope, name: str, max_rows: int = MAX_ROWS) -> AnsweredBy:
    """Who answered the subject: the statements that the filters but the speaker one keep, of others, that respond
    to one of the subject's kept statements; joined in the engine, bounded as :func:`answered`."""
    candidates = scope.with_filters(scope.filters.without("speaker")).claims
    others = candidates.filter(candidates.speaker.isnull() | (candidates.speaker != name))
    speakers = scope.filters.speaker
    all_theirs = scope.filters.without("speaker").is_empty and (not speakers or name in speakers)
    kept = reaction_targets(scope) if all_theirs else None
    if kept is not None:
        # no filter but the subject's speaker one: their kept statements are all of theirs, so a statement answers one
        # of them exactly when its kept target is a claim of theirs; a join on the integer line, none by string id
        theirs = kept.filter((kept.target_kind == "claim") & (kept.target_speaker == name))
        joined = others.join(theirs, LINE_COLUMN)
        days, status = days_between(joined.date_start, joined.date_precision, joined.target_start, joined.target_precision)
    else:
        mine = subject_table(scope.claims, name)
        targets = mine.select(
            _m_claim=mine.claim_id, target_date=mine.date, _m_start=mine.date_start, _m_precision=mine.date_precision
        )
        joined = others.join(targets, others.responds_to == targets._m_claim)
        days, status = days_between(joined.date_start, joined.date_precision, joined._m_start, joined._m_precision)
    joined = joined.select(
        "claim_id",
        "date",
        "speaker",
        "responds_to",
        speaker_country=country_text(joined.speaker_country, strip=True),
        stance=stance_text(joined.stance),
        target_date=joined.target_date,
        days=days,
        status=status,
        _author=is_author(joined),
    )
    ordered = joined.order_by([joined.date, joined.claim_id])
    rows = _int_days(scope.frame(ordered, limit=max_rows + 1, spec=None))
    if len(rows) <= max_rows:
        label = own_analysis_label(rows.loc[rows["_author"].astype(bool), "speaker"].unique())
        days = rows["days"].dropna().astype("int64").value_counts()
        total, started, responders = len(rows), int(rows["responds_to"].nunique()), int(rows["speaker"].nunique())
    else:
        rows = rows.iloc[:max_rows]
        # one query: the join once (a common table expression), its summary and histogram
        found = scope.frames(
            {
                "summary": joined.aggregate(
                    total=joined.count(),
                    started=joined.responds_to.nunique(),
                    responders=joined.speaker.nunique(),
                    authors=joined.speaker.nunique(where=joined._author),
                    author=joined.speaker.min(where=joined._author),
                ),
                "days": day_counts(joined),
            }
        )
        summary = found["summary"].iloc[0]
        label = author_label(int(summary["authors"]), summary["author"])
        days = as_histogram(found["days"])
        total, started, responders = int(summary["total"]), int(summary["started"]), int(summary["responders"])
    author_rows = rows["_author"].astype(bool)
    rows = rows.assign(speaker_country=rows["speaker_country"].astype(object).where(~author_rows, label))
    return AnsweredBy(rows[ANSWERED_BY_COLUMNS].reset_index(drop=True), total, started, responders, days)


def threads(answers: Answered, replies: AnsweredBy) -> Threads:
    """:func:`claimscope.views.actor.threads` from the engine's counts (all the rows, not only those listed)."""
    return Threads(
        reactions=answers.total,
        answered_speakers=answers.targets,
        started=replies.started,
        replies=replies.total,
        responders=replies.responders,
        median_days_to_answer=median_days(answers.days),
        median_days_answered=median_days(replies.days),
    )


def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
