"""The filter compiler: :class:`claimscope.filters.Filters` to an Ibis predicate over the claims table.

The model (which parameters exist, how the URL reads them) stays in :mod:`claimscope.filters`; this
module only says what each *kind* of parameter means as a predicate, in one registry
(:data:`PREDICATES`), so that a new parameter of a known kind is one entry of ``FILTER_PARAMS`` and a
new kind is one entry here. The semantics are exactly those of :func:`claimscope.filters.filter_mask`,
the pandas reference (a property test holds the two together):

* value: the column equals any selected value (match any value within one parameter);
* list: the list cell holds any selected value;
* date range: the statement's date interval overlaps [from, to] (``2024-06`` is all of June 2024), so
  ``date_end >= start of from`` and ``date_start <= end of to``;
* authors: ``exclude`` drops the rows flagged as the source's own analysis (``_author``);
* text: every word of the query, folded by :func:`claimscope.ingest.dataset.fold_for_search` (case and
  accents), occurs in the folded ``_search`` column (quote, summary and speaker folded at ingest).

Text search reads every folded quote, a large part of the claims' bytes (at a million claims the one
costly predicate). An engine that can keep the claims a text query matches (:meth:`Engine.text_matches`)
hands them over as :class:`TextMatches`; the text clause is then a semi-join on the row's line number,
the same rows.

Parameters are AND-ed. A NULL cell matches no value, as in the reference (a NULL predicate drops the
row in a filter; use ``.fill_null(False)`` to keep a predicate as a column).

Lists on backends without arrays (SQLite, MySQL, SQL Server) are stored as the contract's own
``;``-joined text (``python -m claimscope load`` does that); the list predicate sees the column's type
and tests ``';' || cell || ';'`` for ``';value;'`` there, which means the same since items never hold
``;``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from claimscope.authors import AUTHOR_COLUMN
from claimscope.dates import parse_partial_date
from claimscope.engine.lazy import ibis, ir
from claimscope.filters import FILTER_PARAMS, Filters
from claimscope.ingest.csvio import LINE_COLUMN
from claimscope.ingest.dataset import SEARCH_COLUMN, fold_for_search
from claimscope.schema import LIST_SEPARATOR

#: builds one parameter's predicate from the claims table and the parameter's (non-empty) value
Predicate = Callable[["ir.Table", Sequence[str], Any], "ir.BooleanValue | None"]


def value_predicate(claims: ir.Table, columns: Sequence[str], values: Sequence[str]) -> ir.BooleanValue:
    """The column equals one of the values."""
    return claims[columns[0]].isin(list(values))


def list_predicate(claims: ir.Table, columns: Sequence[str], values: Sequence[str]) -> ir.BooleanValue | None:
    """The list cell holds one of the values (an array column, or ``;``-joined text where arrays are missing)."""
    column = claims[columns[0]]
    if column.type().is_array():
        return ibis.or_(*(column.contains(value) for value in values))
    wrapped = LIST_SEPARATOR + column.cast("string") + LIST_SEPARATOR
    wanted = [value for value in values if value and LIST_SEPARATOR not in value]  # such items cannot exist
    if not wanted:
        return ibis.literal(False)
    return ibis.or_(*(wrapped.contains(LIST_SEPARATOR + value + LIST_SEPARATOR) for value in wanted))


def date_range_predicate(claims: ir.Table, columns: Sequence[str], bounds: tuple[str, str]) -> ir.BooleanValue | None:
    """The date interval [date_start, date_end] overlaps [from, to]; either bound may be open ("")."""
    start_column, end_column = columns
    date_from, date_to = bounds
    clauses = []
    if date_from and end_column in claims.columns:
        clauses.append(claims[end_column] >= ibis.timestamp(_midnight(parse_partial_date(date_from).start)))
    if date_to and start_column in claims.columns:
        clauses.append(claims[start_column] <= ibis.timestamp(_midnight(parse_partial_date(date_to).end)))
    return ibis.and_(*clauses) if clauses else None


def search_words(query: str) -> tuple[str, ...]:
    """The words a text query looks for, folded as the ``_search`` column is (case and accents)."""
    return tuple(fold_for_search(query).split())


@dataclass(frozen=True)
class TextMatches:
    """The line numbers (``_line``) of the claims whose ``_search`` holds every one of ``words``.

    An engine keeps them per text query (:meth:`claimscope.engine.connection.Engine.text_matches`), so
    that the page's many queries under one text filter test a row number instead of reading the texts.
    """

    words: tuple[str, ...]
    lines: ir.Table


def text_predicate(claims: ir.Table, columns: Sequence[str], query: str) -> ir.BooleanValue | None:
    """Every folded word of the query occurs in the folded search column."""
    words = search_words(query)
    if not words:
        return None
    haystack = claims[columns[0]]
    return ibis.and_(*(haystack.contains(word) for word in words))


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day)


#: every kind of parameter and how it becomes a predicate: the one registry of the compiler
def authors_predicate(claims: ir.Table, columns: Sequence[str], value: str) -> ir.BooleanValue | None:
    """``authors=exclude``: leave out the rows the loader flagged as the source's own analysis."""
    if value != "exclude":
        return None
    return ~claims[columns[0]].fill_null(False)


PREDICATES: dict[str, Predicate] = {
    "value": value_predicate,
    "authors": authors_predicate,
    "list": list_predicate,
    "date_range": date_range_predicate,
    "text": text_predicate,
}


@dataclass(frozen=True)
class Clause:
    """One filter of the model as the compiler sees it: the URL parameters, their kind and columns, their value."""

    params: tuple[str, ...]  # the URL parameters it reads (also what "clear this filter" removes)
    kind: str  # a key of PREDICATES
    columns: tuple[str, ...]  # the claims columns it needs; a table without them is not filtered by it
    value: Callable[[Filters], Any]  # the filter's value; falsy when the filter is not active


def _selected(param: str) -> Callable[[Filters], tuple[str, ...]]:
    return lambda filters: filters.selected(param)


#: the model's parameters, each with its kind, derived from FILTER_PARAMS plus the date range and the text
CLAUSES: tuple[Clause, ...] = (
    *(Clause((p.param,), "list" if p.is_list_column else "value", (p.column,), _selected(p.param)) for p in FILTER_PARAMS),
    Clause(
        ("from", "to"),
        "date_range",
        ("date_start", "date_end"),
        lambda f: (f.date_from, f.date_to) if f.date_from or f.date_to else None,
    ),
    Clause(("q",), "text", (SEARCH_COLUMN,), lambda f: f.q),
    Clause(("authors",), "authors", (AUTHOR_COLUMN,), lambda f: f.authors),
)


def filter_clauses(claims: ir.Table, filters: Filters, matches: TextMatches | None = None) -> dict[str, ir.BooleanValue]:
    """The predicate of each active filter, keyed by its URL parameter(s) (``"from,to"`` for the date range).

    Kept apart so that a page can count what clearing one filter would give (the "what to loosen" hint)
    from the same compiled clauses. ``matches``, when it is the text query's, stands for the text clause.
    """
    compiled: dict[str, ir.BooleanValue] = {}
    for clause in CLAUSES:
        value = clause.value(filters)
        if not value or not any(column in claims.columns for column in clause.columns):
            continue
        if clause.kind == "text" and _answers(matches, value, claims):
            compiled[",".join(clause.params)] = claims[LINE_COLUMN].isin(matches.lines[LINE_COLUMN])
            continue
        predicate = PREDICATES[clause.kind](claims, clause.columns, value)
        if predicate is not None:
            compiled[",".join(clause.params)] = predicate
    return compiled


def _answers(matches: TextMatches | None, query: str, claims: ir.Table) -> bool:
    return matches is not None and matches.words == search_words(query) and LINE_COLUMN in claims.columns


def filter_predicate(claims: ir.Table, filters: Filters, matches: TextMatches | None = None) -> ir.BooleanValue:
    """One predicate for every active filter, AND-ed (``True`` when none is active)."""
    clauses = list(filter_clauses(claims, filters, matches).values())
    return ibis.and_(*clauses) if clauses else ibis.literal(True)


def filtered(claims: ir.Table, filters: Filters, matches: TextMatches | None = None) -> ir.Table:
    """The claims that match: the one filtered table every count, row and facet of a page derives from."""
    clauses = list(filter_clauses(claims, filters, matches).values())
    return claims.filter(*clauses) if clauses else claims
