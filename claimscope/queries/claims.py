"""The Claims page's questions to the engine: a page of the table, the picker's ids, one claim and its links.

The table is sorted and cut in the engine (``ORDER BY … LIMIT … OFFSET``), so a page of 500 rows costs
the same at a million claims as at a thousand; :func:`claimscope.views.table.table_page` (the pandas reference)
then only shapes the fetched rows. Ties keep dataset order (``_line``, the row's line in its file),
as the reference's stable sort keeps the frame's order.

A claim's detail reads its own row, the claim it answers and the claims that answer it by key, over every
claim of the dataset (not only those the filters keep), as the reference does; the reactions are
bounded (:data:`MAX_REACTIONS`) and their number is given when the list is cut.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from claimscope.engine.lazy import ibis, ir
from claimscope.ingest.csvio import LINE_COLUMN
from claimscope.queries.scope import Scope
from claimscope.schema import CLAIMS, Kind
from claimscope.views.provenance import Link, answer_link, reaction_links, record
from claimscope.views.table import FULL_TABLE_ROWS, PAGE_ROWS, SORTS, TABLE_COLUMNS, page_count
from claimscope.views.table import table_page as shape_page

#: the ids the "Open a claim" picker and the Timeline's cascade picker list (the first ones in dataset order); any
#: other is typed into the picker or given in the URL. The browser builds every option of a select box when the page
#: opens, listed or not: 5,000 of them cost a link about a tenth of a second on 2 cores (docs/scale.md, stop 28)
MAX_PICKER_OPTIONS = 500
#: the reactions a claim's detail lists; past that it says how many more there are
MAX_REACTIONS = 200


def sort_keys(claims: ir.Table, sort: str) -> list[ir.Value]:
    """The ORDER BY of one of :data:`claimscope.views.table.SORTS`, then dataset order (the stable sort's ties).

    An enumeration (stance) sorts in the order of its closed list, as the reference's categorical does;
    empty cells come last either way.
    """
    column, ascending = SORTS.get(sort, ("", True))
    keys: list[ir.Value] = []
    if column and column in claims.columns:
        key = claims[column]
        field = CLAIMS.field(column) if column in CLAIMS.columns else None
        if field is not None and field.kind is Kind.ENUM:
            key = key.cases(*((value, position) for position, value in enumerate(field.values)))
        keys.append(ibis.asc(key, nulls_first=False) if ascending else ibis.desc(key, nulls_first=False))
    return [*keys, claims[LINE_COLUMN]]


def table_page(
    scope: Scope, sort: str = "dataset order", page: int = 1, page_rows: int = PAGE_ROWS, rows: int | None = None
) -> pd.DataFrame:
    """:func:`claimscope.views.table.table_page` of the filtered claims: one page (1-based, clamped), sorted in the engine.

    ``rows`` is how many claims match when the caller knows it (else :attr:`Scope.matched`, which it
    caches). At most :data:`~claimscope.views.table.FULL_TABLE_ROWS` rows come back whatever ``page_rows``.
    """
    matched = scope.matched if rows is None else rows
    page_rows = max(1, min(page_rows, FULL_TABLE_ROWS))
    page = min(max(1, page), page_count(matched, page_rows))
    fetched = scope.frame(page_expr(scope.claims, sort, page, page_rows, scope.everything), limit=page_rows)
    # the rows are already this page, in order: the reference only shapes them (lists, enumerations)
    return shape_page(fetched, page_rows=max(1, len(fetched)))


def rows_of(keys: ir.Table, source: ir.Table, order: Callable[[ir.Table], list[ir.Value]], columns: list[str]) -> ir.Table:
    """The ``columns`` of the rows of ``source`` whose line is in ``keys`` (a bounded list of ``_line``), in ``order``.

    Late materialisation, spelt out because no engine does it for us over Parquet: ``keys`` is sorted
    and cut reading only the sort columns, and the long text (quotes, summaries) is then read for
    those few rows alone. Sorting the whole table with its quotes costs ten times more at a million
    claims. ``_line`` is unique in the claims table (one row per line of its file).
    """
    rows = source.filter(source[LINE_COLUMN].isin(keys[LINE_COLUMN]))
    return rows.order_by(order(rows)).select(columns)


def page_expr(claims: ir.Table, sort: str, page: int, page_rows: int, everything: ir.Table | None = None) -> ir.Table:
    """The table's columns of page ``page`` (1-based, not clamped) of ``claims`` sorted by ``sort``.

    ``everything`` is the unfiltered table the page's rows are read from by line (the filters,
    a text search among them, are then evaluated once, on the sort's side); ``claims`` by default.
    """
    source = claims if everything is None else everything
    columns = [name for name in TABLE_COLUMNS if name in claims.columns]
    keys = claims.order_by(sort_keys(claims, sort)).limit(page_rows, offset=(page - 1) * page_rows).select(LINE_COLUMN)
    return rows_of(keys, source, lambda rows: sort_keys(rows, sort), columns)


def picker_expr(claims: ir.Table) -> ir.Table:
    """The ids in dataset order (the caller bounds the rows)."""
    return claims.order_by(claims[LINE_COLUMN]).select("claim_id")


def picker_ids(scope: Scope, limit: int = MAX_PICKER_OPTIONS) -> list[str]:
    """The first ``limit`` ids of the filtered claims in dataset order (the reference: ``claims["claim_id"][:limit]``)."""
    ids = scope.frame(picker_expr(scope.claims), limit=limit, spec=None)
    return [str(claim_id) for claim_id in ids["claim_id"]]


def by_id_expr(claims: ir.Table, claim_id: str) -> ir.Table:
    """The claims with this id, first in dataset order (ids are unique once validated)."""
    return claims.filter(claims.claim_id == claim_id).order_by(claims[LINE_COLUMN])


def _by_id(scope: Scope, claim_id: str) -> ir.Table:
    """Over every claim of the dataset: the detail opens a claim the filters may leave out."""
    return by_id_expr(scope.everything, claim_id)


def claim_record(scope: Scope, claim_id: str) -> dict | None:
    """``record(dataset.claims, "claim_id", claim_id)``: the claim's row as a dict, typed as the loader's, or None."""
    if not claim_id:
        return None
    return record(scope.frame(_by_id(scope, claim_id), limit=1), "claim_id", claim_id)


def responds_to(scope: Scope, events: pd.DataFrame, claim: dict) -> Link | None:
    """:func:`claimscope.views.provenance.responds_to`: the claim named by ``responds_to`` read by key, else the event.

    ``events`` is the dataset's (small, loaded) events table.
    """
    target = str(claim.get("responds_to") or "")
    if not target:
        return None
    return answer_link(claim, claim_record(scope, target), events)


def answers_expr(claims: ir.Table, claim_id: str) -> ir.Table:
    """The claims that answer ``claim_id`` (``responds_to`` names it)."""
    return claims.filter(claims.responds_to == claim_id)


def reactions_expr(claims: ir.Table, claim_id: str, limit: int) -> ir.Table:
    """The first ``limit`` claims that answer ``claim_id``, earliest start first, ties in dataset order."""

    def order(table: ir.Table) -> list[ir.Value]:
        return [ibis.asc(table.date_start, nulls_first=False), table[LINE_COLUMN]]

    answers = answers_expr(claims, claim_id)
    keys = answers.order_by(order(answers)).limit(limit).select(LINE_COLUMN)
    return rows_of(keys, claims, order, ["claim_id", "date", "speaker", "quote", "date_start"])


@dataclass(frozen=True)
class Reactions:
    """The first :data:`MAX_REACTIONS` reactions to a claim (``links``) and how many there are in all."""

    links: list[Link]
    total: int

    @property
    def more(self) -> int:
        """How many reactions the list leaves out."""
        return self.total - len(self.links)


def reactions_to(scope: Scope, claim: dict, limit: int = MAX_REACTIONS) -> Reactions:
    """:func:`claimscope.views.provenance.reactions_to` of ``claim`` (its row), earliest first, ties in dataset order.

    One query of ``limit + 1`` rows; only when the list is cut does a count say how many there are.
    """
    claim_id = str(claim["claim_id"])
    rows = scope.frame(reactions_expr(scope.everything, claim_id, limit + 1), limit=limit + 1)
    total = scope.count(answers_expr(scope.everything, claim_id)) if len(rows) > limit else len(rows)
    return Reactions(reaction_links(claim, rows.iloc[:limit]), total)
