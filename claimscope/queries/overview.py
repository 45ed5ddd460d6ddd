"""The Overview page's questions to the engine: headline counts, stance by country, speakers, latest reactions.

Each function answers what its namesake in :mod:`claimscope.views.overview` (the pandas reference) answers on the
filtered claims, with the same rows, order, columns and types, but aggregates in the engine: at a million
claims only a few hundred numbers come back. Ties are broken as the reference breaks them, by the claims'
dataset order (``_line``, the row's line in its file): pandas' stable sorts and first appearances keep that
order, and the engine has no other.

Text is ordered by the backend's collation where the reference orders it (most active speakers with equal
counts): code point order on DuckDB and on a C-collated PostgreSQL, as in the tests.
"""

from __future__ import annotations

import pandas as pd

from claimscope.authors import AUTHOR_COLUMN, NO_COUNTRY, OWN_ANALYSIS, own_analysis_label
from claimscope.engine.lazy import ibis, ir
from claimscope.ingest.csvio import LINE_COLUMN
from claimscope.ingest.dataset import Dataset
from claimscope.queries.claims import rows_of
from claimscope.queries.scope import Scope
from claimscope.schema import STANCES

UNLABELLED = "unlabelled"
LATEST_COLUMNS = ["claim_id", "date", "speaker", "speaker_country", "stance", "summary"]


def is_author(claims: ir.Table) -> ir.BooleanValue:
    """The loader's flag as a never-NULL predicate (a backend may hold a NULL where pandas holds False)."""
    return claims[AUTHOR_COLUMN].fill_null(False)


def is_reaction(claims: ir.Table) -> ir.BooleanValue:
    return (claims["kind"] == "reaction").fill_null(False)


def headline_counts(scope: Scope, dataset: Dataset) -> dict[str, int | str]:
    """:func:`claimscope.views.overview.headline_counts` of the filtered claims: two queries over the claims.

    ``dataset`` gives the events table (small, loaded); everything over the claims runs in the engine: one row
    of totals (:func:`headline_expr`) and the distinct countries, which take a union of their own.
    """
    totals = headline_row(scope)
    return {
        "statements": int(totals["statements"]),
        "reactions": _int(totals["reactions"]),
        "actors": _int(totals["actors"]),
        "own_analysis": _int(totals["own_analysis"]),
        "countries": country_count(scope),
        "sources": _int(totals["sources"]),
        "events": len(dataset.events),
        "span": _span(totals["first"], totals["last"]),
    }


#: a day's weight in the keys that order claims by day, then by line (lines stay below it: a trillion rows)
DAY_KEY = 10**12


def headline_expr(claims: ir.Table) -> ir.Table:
    """One row, one scan: statements, reactions, actors (authors left out), the own analysis' statements, sources;
    the span's ends (``first``, ``last``: the date as written of the earliest-starting and of the latest-ending
    claim); and the own analysis' distinct speakers (``author_speakers``) and the first of them (``author_name``).

    Among claims that start (end) on the same day, the first in dataset order gives the span's text, as
    ``idxmin``/``idxmax`` do in the reference (``2024-06`` and ``2024-06-01`` start the same day): the key is the
    day times :data:`DAY_KEY` plus (minus) the line, so that one ``arg_min`` (``arg_max``) breaks the tie.
    """
    author = is_author(claims)
    named = author & claims.speaker.notnull() & (claims.speaker != "")
    return claims.aggregate(
        statements=claims.count(),
        reactions=claims.count(where=is_reaction(claims)),
        actors=claims.speaker.nunique(where=~author),
        own_analysis=claims.count(where=author),
        sources=claims.source_id.nunique(where=claims.source_id != ""),
        first=claims.date.argmin(_day(claims.date_start) * DAY_KEY + claims[LINE_COLUMN], where=claims.date_start.notnull()),
        last=claims.date.argmax(_day(claims.date_end) * DAY_KEY - claims[LINE_COLUMN], where=claims.date_end.notnull()),
        author_speakers=claims.speaker.nunique(where=named),
        author_name=claims.speaker.min(where=named),
    )


def _day(timestamp: ir.TimestampValue) -> ir.IntegerValue:
    """Days since 1970-01-01 (negative before), counted on dates: an integer on every backend, whatever its session's
    time zone (epoch seconds would be local time on Trino, and are for zoned timestamps only on BigQuery)."""
    return timestamp.date().delta(ibis.date(1970, 1, 1), unit="day").cast("int64")


def headline_row(scope: Scope) -> pd.Series:
    """:func:`headline_expr` of the filtered claims, asked once per run: the headline counts and the stance table's
    label (the own analysis' speakers) both read it."""
    return scope.once(
        "headline",
        lambda: scope.frame(scope.named("overview.headline", lambda: headline_expr(scope.claims)), limit=None, spec=None).iloc[0],
    )


def _span(first: object, last: object) -> str:
    """``first – last`` (empty when no claim has a date)."""
    if first is None or last is None or pd.isna(first) or pd.isna(last):
        return ""
    return f"{first} – {last}"


def country_count_expr(claims: ir.Table) -> ir.Scalar:
    """The number of distinct codes among the speakers' countries (authors left out) and the ``about`` lists."""
    speakers = claims.filter(~is_author(claims), claims.speaker_country != "").select(code=claims.speaker_country)
    about = claims.select(code=claims.about.unnest())
    return speakers.union(about, distinct=True).filter(lambda t: t.code.notnull()).count()


def country_count(scope: Scope) -> int:
    """How many codes the claims name: their speakers' countries (the source's own analysis left out) and ``about``."""
    return int(scope.value(scope.named("overview.countries", lambda: country_count_expr(scope.claims))))


def stance_by_country(scope: Scope) -> pd.DataFrame:
    """:func:`claimscope.views.overview.stance_by_country` of the filtered claims, from one grouped count.

    The engine counts statements per (speaker country, author flag, stance) with the first line each
    country appears on; the small pivot, the own-analysis row and the order are made here as the
    reference makes them: countries by total, ties in order of first appearance (among all rows,
    the source's own analysis included, as the reference's categories are), the own analysis last.
    """
    # codes × 2 × 5 stances: a closed, small set
    counts = scope.frame(scope.named("overview.stances", lambda: stance_counts_expr(scope.claims)), limit=None, spec=None)
    columns = [*STANCES, UNLABELLED]
    if counts.empty:
        return pd.DataFrame(columns=["speaker_country", *columns, "total", "own_analysis"])
    counts["author"] = counts["author"].astype(bool)
    first_seen = counts.groupby("country")["first"].min()
    label = own_analysis_label_of(scope) if counts["author"].any() else None
    counts["speaker_country"] = counts["country"].where(~counts["author"], label)
    order = first_seen.rank(method="first")
    # the reference's categories: codes in order of first appearance, then the own analysis' label
    counts["order"] = counts["country"].map(order).where(~counts["author"], len(order) + 1)
    table = counts.pivot_table(index=["order", "speaker_country"], columns="stance", values="n", aggfunc="sum", fill_value=0)
    table = table.reset_index("order", drop=True)
    table.columns = table.columns.astype(object)
    table.index = table.index.astype(object)
    for stance in columns:
        if stance not in table:
            table[stance] = 0
    table = table[columns].astype("int64")
    table["total"] = table.sum(axis=1)
    table["own_analysis"] = table.index == label if label is not None else False
    table.columns.name = "stance"  # as the reference's unstacked columns are named
    return table.sort_values(["own_analysis", "total"], ascending=[True, False], kind="stable").reset_index()


def stance_counts_expr(claims: ir.Table) -> ir.Table:
    """Statements per (speaker country as the reference labels it, author flag, stance) and the first line of each."""
    code = claims.speaker_country.strip()
    country = ibis.ifelse(code.isnull() | (code == ""), ibis.literal(NO_COUNTRY), code)
    return claims.group_by(
        country=country,
        author=is_author(claims),
        stance=claims.stance.fill_null(UNLABELLED),
    ).aggregate(n=claims.count(), first=claims[LINE_COLUMN].min())


def own_analysis_label_of(scope: Scope) -> str:
    """:func:`claimscope.authors.own_analysis_label` of the filtered author rows, from their distinct speakers.

    The label needs only how many distinct speakers there are and, when one, its name: :func:`headline_expr`
    gives those two instead of every author's name.
    """
    totals = headline_row(scope)
    n = _int(totals["author_speakers"])
    if n == 1:
        return own_analysis_label([str(totals["author_name"])])
    return own_analysis_label([f"author {i}" for i in range(n)])  # only their number matters past one


def most_active_speakers(scope: Scope, limit: int = 10) -> pd.DataFrame:
    """:func:`claimscope.views.overview.most_active_speakers` of the filtered claims: the top ``limit`` groups.

    The speaker's country is that of its first statement in dataset order (pandas' ``first``): the
    engine keeps each speaker's first line, and only the top rows are joined back to read it.
    """
    answer = scope.frame(
        scope.named(f"overview.active:{limit}", lambda: active_expr(scope.claims, limit)), limit=limit, spec=None
    )
    if answer.empty:
        return pd.DataFrame(columns=["speaker", "speaker_country", "statements", "reactions"])
    own = answer["own"].astype(bool)
    answer["speaker_country"] = answer["speaker_country"].astype(object).where(~own, f"({OWN_ANALYSIS}, not a stakeholder)")
    answer["statements"] = answer["statements"].astype("int64")
    answer["reactions"] = answer["reactions"].astype("int64")
    return answer.drop(columns="own")


def active_expr(claims: ir.Table, limit: int) -> ir.Table:
    """The top ``limit`` speakers by statements then reactions (ties by name, as pandas' sorted groups), with the
    country of each one's first statement and whether it speaks as the source's own analysis."""
    grouped = claims.group_by("speaker").aggregate(
        statements=claims.count(),
        reactions=claims.count(where=is_reaction(claims)),
        own=is_author(claims).any(),
        first_line=claims[LINE_COLUMN].min(),
    )
    order = [ibis.desc("statements"), ibis.desc("reactions"), "speaker"]
    top = grouped.order_by(order).limit(limit)
    lines = claims.select(line_speaker=claims.speaker, line=claims[LINE_COLUMN], speaker_country=claims.speaker_country)
    joined = top.join(lines, [top.speaker == lines.line_speaker, top.first_line == lines.line])
    return joined.select("speaker", "speaker_country", "statements", "reactions", "own").order_by(order)


def latest_reactions(scope: Scope, limit: int = 8) -> pd.DataFrame:
    """:func:`claimscope.views.overview.latest_reactions`: the reactions that end last, ties in dataset order."""
    latest = scope.named(f"overview.latest:{limit}", lambda: latest_expr(scope.claims, limit, scope.everything))
    return scope.frame(latest, limit=limit).reset_index(drop=True)


def latest_expr(claims: ir.Table, limit: int, everything: ir.Table | None = None) -> ir.Table:
    """The ``limit`` reactions that end last, ties in dataset order; their summaries read for those rows only."""

    def order(table: ir.Table) -> list[ir.Value]:
        return [ibis.desc(table.date_end), table[LINE_COLUMN]]

    reactions = claims.filter(is_reaction(claims))
    keys = reactions.order_by(order(reactions)).limit(limit).select(LINE_COLUMN)
    return rows_of(keys, claims if everything is None else everything, order, LATEST_COLUMNS)


def _int(value: object) -> int:
    """A count that an engine may return as NULL (a sum over no rows) or as a float."""
    return 0 if value is None or pd.isna(value) else int(value)
