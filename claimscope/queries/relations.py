"""The Country relations page's queries: the (speaker country → country spoken about) pairs, aggregated in the engine.

A pair is one speaker country and one code of a statement's ``about`` (one statement about three
countries makes three pairs). The engine unnests ``about``, drops the statements without a speaker
country and the empty codes, and counts per pair the statements of each stance and finds the latest
one. One row per pair comes back, so the answer grows with the codes of the dataset (60 codes: at most
3,600 pairs), never with the claims. The pandas work on that small table (net and prevailing stance,
order) is :func:`claimscope.views.relations.finish_pairs`, the code the pandas reference
:func:`claimscope.views.relations.statement_pairs` ends with, so both give the same frame; the network, the
matrix, the map and the graph measures take it as before.

The reference also lists every claim id of a pair (``claim_ids``): a million ids at a million claims,
where the page showed 50 a pair in its tables. The engine's pairs leave them out; the statements behind
a pair are fetched by the pair itself (:func:`pair_statements`, bounded), and the hover's latest
statements (the reference's :func:`claimscope.views.relations.statement_lines`) come with the pairs, from the
join that names them (:func:`pairs_with_lines`).

How the engine's answer stays the reference's, cheaply:

* a code listed twice in one statement counts once (the reference drops duplicate (pair, claim) rows).
  Deduplicating every list costs as much as the rest of the query, so only lists that may hold a
  duplicate are deduplicated: a list of one code, or of two different codes, cannot;
* the latest statement is the last by ``date_start`` (undated statements earliest), a tie going to the
  later row of the file. Both are packed into one integer (:func:`_recency`: the day, then the CSV
  line), so the engine takes a plain ``max`` per pair and the winner's id and date are joined back by
  its line: no window, no ordered aggregate.
"""

from __future__ import annotations

import pandas as pd

from claimscope.engine.lazy import ibis, ir
from claimscope.figures.common import STANCE_ORDER, UNLABELLED
from claimscope.ingest.csvio import LINE_COLUMN
from claimscope.queries.scope import Scope
from claimscope.schema import STANCES
from claimscope.views.relations import empty_pairs, finish_pairs, statement_line

#: at most this many pairs come back (the heaviest): far more than a dataset's codes make
MAX_PAIRS = 100_000
#: the columns of the page's "statements behind a pair" table
STATEMENT_COLUMNS = ["claim_id", "date", "speaker", "speaker_country", "about", "stance", "kind", "summary"]
#: the recency key: days since 1970 times this, plus the CSV line (a line below 2³² is unique within it)
_LINE_SPAN = 2**32
#: the day an undated statement counts as (before any date the loader parses)
_UNDATED_DAY = -(10**7)
_SECONDS_PER_DAY = 86_400


def _recency(claims: ir.Table) -> ir.IntegerValue:
    """One integer that orders statements as the reference picks the latest: by day (undated first), then by line."""
    day = (claims.date_start.epoch_seconds() // _SECONDS_PER_DAY).cast("int64").fill_null(_UNDATED_DAY)
    return day * _LINE_SPAN + claims[LINE_COLUMN]


def _codes(claims: ir.Table) -> ir.ArrayValue:
    """``about`` with each code once: only lists that can hold a duplicate (three codes or more, or two equal) pay for it."""
    about = claims.about
    size = about.length()
    plain = (size <= 1) | ((size == 2) & (about[0] != about[1]))
    return ibis.ifelse(plain, about, about.unique())


def pair_rows(scope: Scope) -> ir.Table:
    """One row per (speaker country, code in ``about``, statement) of the filtered claims: the rows the reference counts.

    The speaker country is trimmed; statements without one make no row, nor do empty codes.
    """
    claims = scope.claims
    # the trimmed country is computed once, then filtered on (not trimmed again in each test)
    base = claims.select(
        **{"from": claims.speaker_country.strip()}, about=_codes(claims), stance=claims.stance, recency=_recency(claims)
    )
    base = base.filter(base["from"].notnull(), base["from"] != "", base.about.length() > 0)
    rows = base.select("from", to=base.about.unnest(), stance=base.stance, recency=base.recency)
    return rows.filter(rows["to"].notnull(), rows["to"] != "")


def pairs_expr(scope: Scope, lines: bool = False) -> ir.Table:
    """Per pair: statements, statements of each stance, and the latest statement's id and date (``latest_id``, ``latest_date``).

    With ``lines``, also the latest statement's ``speaker`` and ``summary`` (the network's hover), taken
    by the same join: cheaper than looking the ids up again.
    """
    rows = pair_rows(scope)
    # counted per (pair, stance) first, then the few rows per pair summed: one count per group is cheaper over
    # every statement's codes than a filtered count per stance
    fine = rows.group_by(["from", "to", "stance"]).aggregate(n=rows.count(), recency=rows.recency.max())
    counts = fine.group_by(["from", "to"]).aggregate(
        statements=fine.n.sum(),
        **{stance: fine.n.sum(where=fine.stance == stance).fill_null(0) for stance in STANCES},
        recency=fine.recency.max(),
    )
    counts = counts.mutate(line=counts.recency % _LINE_SPAN)
    everything = scope.everything
    text = {"speaker": everything.speaker, "summary": everything.summary} if lines else {}
    latest = everything.select(line=everything[LINE_COLUMN], latest_id=everything.claim_id, latest_date=everything.date, **text)
    return counts.join(latest, "line").drop("recency", "line")


def statement_pairs(scope: Scope, limit: int = MAX_PAIRS) -> pd.DataFrame:
    """The pairs of the filtered claims, as :func:`claimscope.views.relations.statement_pairs` gives them without ``claim_ids``.

    The heaviest ``limit`` pairs come back (ties by codes, in the engine's collation: only the cut of
    more than ``limit`` pairs can differ from the reference's); when there are that many,
    :func:`pair_count` says how many there are in all.
    """
    return _pairs(scope, limit, lines=False)[0]


def pairs_with_lines(scope: Scope, limit: int = MAX_PAIRS) -> tuple[pd.DataFrame, dict[str, str]]:
    """:func:`statement_pairs` and, in the same query, the line of each pair's latest statement.

    The lines are what :func:`claimscope.views.relations.statement_lines` gives for the pairs' ``latest_id``
    (``speaker: summary``), for every pair: the network's and the focus chart's hovers look theirs up.
    """
    return _pairs(scope, limit, lines=True)


def _pairs(scope: Scope, limit: int, lines: bool) -> tuple[pd.DataFrame, dict[str, str]]:
    expr = pairs_expr(scope, lines).order_by([ibis.desc("statements"), "from", "to"])
    counts = scope.frame(expr, limit=limit, spec=None)
    if counts.empty:
        return empty_pairs().drop(columns="claim_ids"), {}
    texts = {}
    if lines:
        texts = {
            str(cid): statement_line(speaker, summary)
            for cid, speaker, summary in zip(counts["latest_id"], counts["speaker"], counts["summary"], strict=True)
        }
        counts = counts.drop(columns=["speaker", "summary"])
    counts[UNLABELLED] = counts["statements"] - counts[list(STANCES)].sum(axis=1)
    # the reference's counts are int64, its ids and dates plain objects (from numpy object arrays)
    counts = counts.astype({**dict.fromkeys(STANCE_ORDER, "int64"), "latest_id": object, "latest_date": object})
    return finish_pairs(counts.drop(columns="statements").set_index(["from", "to"])), texts


def pair_count(scope: Scope) -> int:
    """How many pairs the filtered claims make (to say so when :func:`statement_pairs` was cut)."""
    rows = pair_rows(scope)
    return scope.count(rows.select("from", "to").distinct())


def pair_statements(scope: Scope, pair: tuple[str, str], limit: int) -> pd.DataFrame:
    """The filtered statements behind one pair (speaker country, code spoken about), in file order, at most ``limit``.

    The reference's ``claims.loc[claims.claim_id.isin(ids)]`` over the pair's ids; the pair's
    ``statements`` says how many there are in all.
    """
    return scope.frame(pair_statements_expr(scope, pair), limit=limit)


def pair_statements_expr(scope: Scope, pair: tuple[str, str]) -> ir.Table:
    """The filtered statements whose speaker country is the pair's first code and whose ``about`` holds its second."""
    claims = scope.claims
    # a code has no surrounding space (the contract's pattern): a plain equality, which the engine can push down
    return (
        claims.filter(claims.speaker_country == pair[0], claims.about.contains(pair[1]))
        .order_by(claims[LINE_COLUMN])
        .select(STATEMENT_COLUMNS)
    )
