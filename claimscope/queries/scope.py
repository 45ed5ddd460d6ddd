"""The scope of a page's queries: the engine and the filters of this view, and how answers come back."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, TypeVar

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from claimscope.engine.cache import from_arrow
from claimscope.engine.connection import DEFAULT_LIMIT, Engine, NamedQuery
from claimscope.engine.filters import TextMatches, filter_clauses, filtered
from claimscope.engine.lazy import ibis, ir
from claimscope.filters import Filters
from claimscope.schema import CLAIMS, FileSpec

T = TypeVar("T")

#: the column of :meth:`Scope.frames`' union that says which part a row answers
PART_COLUMN = "_part"


@dataclass(frozen=True)
class Scope:
    """One view's questions to the engine: every page query takes a Scope and returns a small answer.

    Expressions are values: building them costs no I/O; :meth:`frame`, :meth:`value` and
    :meth:`count` run them through :meth:`Engine.execute`'s lock and bound. The two headline counts
    are kept once per Scope (a Scope lives for one script run).
    """

    engine: Engine
    filters: Filters
    _once: dict[Hashable, object] = field(default_factory=dict, init=False, repr=False, compare=False)

    @property
    def everything(self) -> ir.Table:
        """Every claim of the dataset (the filters not applied)."""
        return self.engine.claims

    @cached_property
    def text_matches(self) -> TextMatches | None:
        """The text filter's matching claims where the engine keeps them (see :meth:`Engine.text_matches`)."""
        return self.engine.text_matches(self.filters.q)

    @cached_property
    def claims(self) -> ir.Table:
        """The claims the filters keep: every count, row and facet of a page derives from this table."""
        return filtered(self.engine.claims, self.filters, self.text_matches)

    def table(self, name: str) -> ir.Table:
        """Another of the contract's tables (actors, countries, sources, events, relations, texts)."""
        return self.engine.table(name)

    def has_table(self, name: str) -> bool:
        return self.engine.has_table(name)

    def with_filters(self, filters: Filters) -> Scope:
        """The same engine under other filters (a comparison's subjects, "what clearing this filter gives")."""
        return Scope(self.engine, filters)

    @cached_property
    def total(self) -> int:
        """How many claims the dataset holds."""
        return self.count(self.named("claims.all", lambda: self.everything))

    @cached_property
    def matched(self) -> int:
        """How many claims the filters keep."""
        return self.count(self.named("claims.matched", lambda: self.claims))

    def named(self, name: str, build: Callable[[], ir.Expr]) -> ir.Expr | NamedQuery:
        """``build()`` as a :class:`~claimscope.engine.connection.NamedQuery` in the unfiltered view (whose answer a
        restart reads back by ``name`` without building it), else ``build()`` itself. ``name`` must say every argument
        of ``build`` but the scope (``overview.active:10``)."""
        return NamedQuery(name, build) if self.between_starts else build()

    def clauses(self) -> dict[str, ir.BooleanValue]:
        """The compiled predicate of each active filter, keyed by its URL parameter(s)."""
        return filter_clauses(self.engine.claims, self.filters, self.text_matches)

    @property
    def between_starts(self) -> bool:
        """Whether this view's answers are kept in the cache entry for the next start: those of the unfiltered
        view with no claim selected, which every page opens on and a restart's first links ask
        (:meth:`Engine.to_arrow`). A selected claim's answers are not: one claim after another would crowd the
        unfiltered views' out of the entry's budget."""
        return self.filters.is_empty and not self.filters.claim

    def once(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()``'s answer, asked once per Scope (one script run) for ``key``: for two parts of a page that
        read the same query's answer on engines that keep no answers (over a URL)."""
        if key not in self._once:
            self._once[key] = compute()
        return self._once[key]  # type: ignore[return-value]

    def count(self, expr: ir.Table | NamedQuery) -> int:
        return self.engine.count(expr, between_starts=self.between_starts)

    def value(self, expr: ir.Scalar | NamedQuery) -> Any:
        """One scalar (a count, a minimum date)."""
        return self.engine.execute(expr, between_starts=self.between_starts)

    def arrow(self, expr: ir.Table | NamedQuery, limit: int | None = DEFAULT_LIMIT) -> pa.Table:
        """A table expression's rows (at most ``limit``) as Arrow, kept between starts for the unfiltered view
        (:meth:`frame` and :meth:`frames` take them from here; so do the warehouse compile tests)."""
        return self.engine.to_arrow(expr, limit=limit, between_starts=self.between_starts)

    def frame(
        self, expr: ir.Table | NamedQuery, limit: int | None = DEFAULT_LIMIT, spec: FileSpec | None = CLAIMS
    ) -> pd.DataFrame:
        """A table expression's rows (at most ``limit``), typed as the loader types ``spec``'s frames."""
        return as_loaded(self.arrow(expr, limit), spec)

    def frames(self, parts: Mapping[str, ir.Table]) -> dict[str, pd.DataFrame]:
        """Several bounded answers about one expression in one query: each part's rows, as :meth:`frame` with
        ``spec=None`` would give them (no limit: each part must be bounded by how it is built).

        Why: a page that lists the first rows of a join and summarises all of it (counts, a histogram) asked
        one query per part, and each scanned and joined again. Their union refers to the join once, which
        Ibis writes as a common table expression; DuckDB and PostgreSQL compute a CTE that is referred to more
        than once only once. Each part's columns are the union's under names of their own, the other parts' are
        NULLs of their types, and a column tags each row with its part; the answer is split on Arrow, so a part's
        columns keep their own types (no NULL padding turns its integers into floats). A union has no order: a
        part that needs one carries its own rank to sort on.
        """
        names = list(parts)
        # every part's columns under names of their own (``_<part>_<column>``): parts may use one name for two types
        own = {
            name: {f"_{number}_{column}": (column, dtype.copy(nullable=True)) for column, dtype in parts[name].schema().items()}
            for number, name in enumerate(names)
        }
        padded = [
            parts[name].select(
                ibis.literal(number, "int16").name(PART_COLUMN),
                *(
                    (parts[name][own[name][key][0]] if key in own[name] else ibis.null(dtype)).cast(dtype).name(key)
                    for other in names
                    for key, (_, dtype) in own[other].items()
                ),
            )
            for number, name in enumerate(names)
        ]
        answer = self.arrow(ibis.union(*padded, distinct=False), limit=None)
        tags = answer.column(PART_COLUMN)
        return {
            name: as_loaded(
                answer.filter(pc.equal(tags, number)).select(list(own[name])).rename_columns(list(parts[name].columns)), None
            )
            for number, name in enumerate(names)
        }


def as_loaded(table: pa.Table, spec: FileSpec | None = CLAIMS) -> pd.DataFrame:
    """A query's Arrow answer typed like the loader's frames (:func:`claimscope.engine.cache.from_arrow`)."""
    return from_arrow(table, spec)
