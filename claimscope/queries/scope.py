"""The scope of a page's queries: the engine and the filters of this view, and how answers come back."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

import ibis.expr.types as ir
import pandas as pd
import pyarrow as pa

from claimscope.dataset import SEARCH_COLUMN
from claimscope.engine.connection import DEFAULT_LIMIT, Engine
from claimscope.engine.filters import filter_clauses, filtered
from claimscope.filters import Filters
from claimscope.schema import CLAIMS, FileSpec, Kind

LIST_DTYPE = pd.ArrowDtype(pa.large_list(pa.large_string()))


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
    def claims(self) -> ir.Table:
        """The claims the filters keep: every count, row and facet of a page derives from this table."""
        return filtered(self.engine.claims, self.filters)

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
        return filter_clauses(self.engine.claims, self.filters)

    def count(self, expr: ir.Table) -> int:
        return self.engine.count(expr)

    def value(self, expr: ir.Scalar) -> Any:
        """One scalar (a count, a minimum date)."""
        return self.engine.execute(expr)

    def frame(self, expr: ir.Table, limit: int | None = DEFAULT_LIMIT, spec: FileSpec | None = CLAIMS) -> pd.DataFrame:
        """A table expression's rows (at most ``limit``), typed as the loader types ``spec``'s frames."""
        return as_loaded(self.engine.to_arrow(expr, limit=limit), spec)


def as_loaded(table: pa.Table, spec: FileSpec | None = CLAIMS) -> pd.DataFrame:
    """An Arrow result as a frame typed like :func:`claimscope.dataset.load_folder`'s: the pandas reference
    functions and the figure builders take it as they take the loaded frames.

    Lists become Arrow list columns, enumerations categoricals over their closed list, dates
    ``datetime64[ns]``, text pandas strings; columns ``spec`` does not declare keep Arrow's mapping.
    """
    frame = table.to_pandas()
    for name, arrow_type in zip(table.column_names, table.schema.types, strict=True):
        field = _field(spec, name)
        if pa.types.is_list(arrow_type) or pa.types.is_large_list(arrow_type):
            frame[name] = pd.Series(
                pd.arrays.ArrowExtensionArray(table.column(name).cast(pa.large_list(pa.large_string())).combine_chunks()),
                index=frame.index,
            )
        elif field is not None and field.kind is Kind.ENUM:
            frame[name] = pd.Categorical(frame[name], categories=list(field.values))
        elif pa.types.is_timestamp(arrow_type):
            frame[name] = frame[name].astype("datetime64[ns]")
        elif pa.types.is_string(arrow_type) or pa.types.is_large_string(arrow_type):
            frame[name] = frame[name].astype("string" if name == SEARCH_COLUMN else "str")
    return frame


def _field(spec: FileSpec | None, name: str):
    if spec is None:
        return None
    try:
        return spec.field(name)
    except KeyError:
        return None
