"""The scope of a page's queries: the engine and the filters of this view, and how answers come back."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

import ibis.expr.types as ir
import pandas as pd
import pyarrow as pa

from claimscope.engine.cache import from_arrow
from claimscope.engine.connection import DEFAULT_LIMIT, Engine
from claimscope.engine.filters import TextMatches, filter_clauses, filtered
from claimscope.filters import Filters
from claimscope.schema import CLAIMS, FileSpec


@dataclass(frozen=True)
class Scope:
    """One view's questions to the engine: every page query takes a Scope and returns a small answer.

    Expressions are values: building them costs no I/O; :meth:`frame`, :meth:`value` and
    :meth:`count` run them through :meth:`Engine.execute`'s lock and bound. The two headline counts
    are kept once per Scope (a Scope lives for one script run).
    """

    engine: Engine
    filters: Filters

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
        return self.count(self.everything)

    @cached_property
    def matched(self) -> int:
        """How many claims the filters keep."""
        return self.count(self.claims)

    def clauses(self) -> dict[str, ir.BooleanValue]:
        """The compiled predicate of each active filter, keyed by its URL parameter(s)."""
        return filter_clauses(self.engine.claims, self.filters, self.text_matches)

    def count(self, expr: ir.Table) -> int:
        return self.engine.count(expr)

    def value(self, expr: ir.Scalar) -> Any:
        """One scalar (a count, a minimum date)."""
        return self.engine.execute(expr)

    def frame(self, expr: ir.Table, limit: int | None = DEFAULT_LIMIT, spec: FileSpec | None = CLAIMS) -> pd.DataFrame:
        """A table expression's rows (at most ``limit``), typed as the loader types ``spec``'s frames."""
        return as_loaded(self.engine.to_arrow(expr, limit=limit), spec)


def as_loaded(table: pa.Table, spec: FileSpec | None = CLAIMS) -> pd.DataFrame:
    """A query's Arrow answer typed like the loader's frames (:func:`claimscope.engine.cache.from_arrow`)."""
    return from_arrow(table, spec)
