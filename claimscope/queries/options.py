"""The shared sidebar and summary data: the filter options with their counts, a claim id's check, and
"what to loosen" when nothing matches.

Every page draws the sidebar and the summary line; each query here is one statement over the engine
that brings back a small answer:

* :func:`filter_options`: one ``UNION ALL`` of a ``GROUP BY`` per filter parameter over every claim (the
  filters not applied, as the pandas reference :func:`claimscope.filters.filter_options`), list columns
  counted per item (``unnest``). Its size is the number of distinct values, which the sidebar shows in
  full, as the reference does (2,000 speakers on the synthetic data): callers cache it per dataset. It
  reads every claim (0.3 s at a million, 2.5 s at ten million) and every server start needs it first, so an
  engine over a cache entry keeps the answer in the entry (:meth:`~claimscope.engine.cache.CacheEntry.kept_answer`),
  and ``python -m claimscope ingest`` computes it (:func:`keep_filter_options`): a restart reads it back.
* :func:`claim_exists`: whether the one claim id of the URL is in the data (instead of an index of every id).
* :func:`loosen_counts`: for an empty result, how many statements clearing each active filter alone would
  give, every count in ONE aggregate (a ``CASE WHEN`` sum per filter dropped), as
  :func:`claimscope.filters.loosen_suggestions` gives them.
"""

from __future__ import annotations

import hashlib
import sys
from collections import Counter
from importlib.metadata import version
from pathlib import Path

from claimscope.engine import connection
from claimscope.engine.cache import CacheEntry
from claimscope.engine.connection import Engine
from claimscope.engine.filters import TextMatches, filter_clauses
from claimscope.engine.lazy import ibis, ir
from claimscope.filters import FILTER_PARAMS, Filters, active_params
from claimscope.queries.scope import Scope
from claimscope.schema import LIST_SEPARATOR

#: the options' answer: for every filter parameter, (value, statements with it), most first
Options = dict[str, list[tuple[str, int]]]
#: the name of the options among a cache entry's kept answers
OPTIONS_ANSWER = "filter_options"
#: what made a kept answer (another version's answer is not used): this module's code, the engine's (how it exposes
#: the claims and runs a query), the filter parameters, and the versions of Ibis and DuckDB that compiled and ran it
_OPTIONS_CODE = b"".join(Path(module.__file__).read_bytes() for module in (sys.modules[__name__], connection))
_OPTIONS_CODE += repr((FILTER_PARAMS, LIST_SEPARATOR, version("ibis-framework"), version("duckdb"))).encode("utf-8")
OPTIONS_VERSION = hashlib.sha256(_OPTIONS_CODE).hexdigest()[:16]


def _engine(source: Scope | Engine) -> Engine:
    return source.engine if isinstance(source, Scope) else source


def options_expr(claims: ir.Table) -> ir.Table | None:
    """One table of ``(param, value, n)``: every non-empty value of each filter's column and its count.

    ``None`` when the table has none of the filters' columns. A list column is counted per item (``unnest``);
    one that a backend without arrays keeps as ``;``-joined text (SQLite: :mod:`claimscope.engine.load`)
    is counted per distinct cell instead, which :func:`filter_options` splits into items (see
    :func:`_text_lists`).
    """
    parts = []
    for p in FILTER_PARAMS:
        if p.column not in claims.columns:
            continue
        column = claims[p.column]
        if p.is_list_column and column.type().is_array():
            values = claims.select(value=column.unnest().cast("string"))
        else:
            values = claims.select(value=column.cast("string"))
        values = values.filter(values.value.notnull(), values.value != "")
        parts.append(values.group_by("value").aggregate(n=values.count()).mutate(param=ibis.literal(p.param)))
    if not parts:
        return None
    return ibis.union(*parts, distinct=False).select("param", "value", "n")


def _text_lists(claims: ir.Table) -> set[str]:
    """The list parameters whose column is ``;``-joined text on this backend (no arrays)."""
    return {
        p.param
        for p in FILTER_PARAMS
        if p.is_list_column and p.column in claims.columns and not claims[p.column].type().is_array()
    }


def filter_options(source: Scope | Engine) -> Options:
    """For every filter parameter: its values over the whole dataset and how many statements have each.

    The same dict as :func:`claimscope.filters.filter_options` (keys in ``FILTER_PARAMS`` order, values
    most first, ties by value). The order is made here in Python, not by the engine's ``ORDER BY``, so that
    a server's collation (PostgreSQL's locale) cannot change it.
    """
    engine = _engine(source)
    entry = engine.entry
    if entry is not None:
        kept = _options_from_json(entry.kept_answer(OPTIONS_ANSWER, OPTIONS_VERSION))
        if kept is not None:
            return kept
    options = _query_options(engine)
    if entry is not None:
        entry.keep_answer(OPTIONS_ANSWER, OPTIONS_VERSION, options)
    return options


def keep_filter_options(entry: CacheEntry) -> Options:
    """The options of a cache entry, computed and kept in it unless they are already (after an ingest), so that
    the first page a server draws on the entry reads them instead of scanning every claim."""
    kept = _options_from_json(entry.kept_answer(OPTIONS_ANSWER, OPTIONS_VERSION))
    if kept is not None:
        return kept
    engine = Engine.duckdb(entry)
    try:
        return filter_options(engine)
    finally:
        engine.close()


def _options_from_json(value: object) -> Options | None:
    """Kept options as :func:`filter_options` returns them, or None when they are not in that shape."""
    if not isinstance(value, dict) or list(value) != [p.param for p in FILTER_PARAMS]:
        return None
    try:
        return {param: [(str(item), int(n)) for item, n in pairs] for param, pairs in value.items()}
    except (TypeError, ValueError):
        return None


def _query_options(engine: Engine) -> Options:
    options: Options = {p.param: [] for p in FILTER_PARAMS}
    expr = options_expr(engine.claims)
    if expr is None:
        return options
    # every distinct value comes back: the answer is as long as the sidebar's lists (see the module docstring)
    rows = engine.to_arrow(expr, limit=None).to_pydict()
    text_lists = _text_lists(engine.claims)
    counts: dict[str, Counter[str]] = {p.param: Counter() for p in FILTER_PARAMS}
    for param, value, n in zip(rows["param"], rows["value"], rows["n"], strict=True):
        items = str(value).split(LIST_SEPARATOR) if param in text_lists else [str(value)]
        for item in items:
            if item:
                counts[param][item] += int(n)
    for param, values in counts.items():
        options[param] = sorted(values.items(), key=lambda item: (-item[1], item[0]))
    return options


def claim_exists(source: Scope | Engine, claim_id: str | None) -> bool:
    """Whether a claim has this id (the URL's ``claim``, a chart click; filters do not hide it): one lookup,
    no index of every id in memory."""
    if not claim_id:
        return False
    engine = _engine(source)
    return engine.count(claim_lookup_expr(engine.claims, claim_id)) > 0


def claim_lookup_expr(claims: ir.Table, claim_id: str) -> ir.Table:
    """At most one row: the claim with this id (the id is a bound literal, never SQL text)."""
    return claims.filter(claims.claim_id == claim_id).select("claim_id").limit(1)


def loosen_expr(claims: ir.Table, filters: Filters, matches: TextMatches | None = None) -> ir.Table | None:
    """One row: for each active filter (column ``n0``, ``n1`` … in :func:`claimscope.filters.active_params`'
    order), how many claims match every other filter. ``None`` when no filter is active.

    Each filter's predicate is computed once per row (a boolean column ``f0``, ``f1`` …), and each count sums
    the rows where every other flag holds: the text search, the costly one, runs once and not once per count
    (and on the DuckDB engines it is the kept matches' semi-join on ``_line``, not a read of ``_search``).
    """
    active = active_params(filters)
    if not active:
        return None
    flags = claims.select(
        **{f"f{index}": _predicate(claims, _only(filters, param), matches) for index, param in enumerate(active)}
    )
    counts = {}
    for index in range(len(active)):
        others = [flags[f"f{other}"] for other in range(len(active)) if other != index]
        counts[f"n{index}"] = ibis.and_(*others).ifelse(1, 0).sum() if others else flags.count()
    return flags.aggregate(**counts)


def _only(filters: Filters, param: str) -> Filters:
    """The view with every active filter cleared but ``param`` (``from`` and ``to`` are two)."""
    for other in active_params(filters):
        if other != param:
            filters = filters.without(other)
    return filters


def _predicate(claims: ir.Table, filters: Filters, matches: TextMatches | None = None) -> ir.BooleanValue:
    """Whether a row matches ``filters``, never NULL (a NULL cell matches no value, as when filtering)."""
    clauses = list(filter_clauses(claims, filters, matches).values())
    return ibis.and_(*clauses).fill_null(False) if clauses else ibis.literal(True)


def loosen_counts(scope: Scope) -> list[tuple[str, int]]:
    """For an empty result: each active filter and how many statements clearing it alone would give, most first.

    The answer of :func:`claimscope.filters.loosen_suggestions` (ties keep the filters' order), in one query.
    """
    expr = loosen_expr(scope.everything, scope.filters, scope.text_matches)
    if expr is None:
        return []
    row = scope.engine.to_arrow(expr, limit=None).to_pylist()[0]
    counts = [(param, int(row[f"n{index}"] or 0)) for index, param in enumerate(active_params(scope.filters))]
    return sorted(counts, key=lambda item: -item[1])
