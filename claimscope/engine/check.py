"""Validation where the data already is: the contract's rules as queries on any Ibis backend, reported by row key.

A newsroom's pipeline may keep its claims in a warehouse, in the contract's shape, without ever writing a
CSV: there are no lines to report, and fetching millions of rows to validate them in pandas would defeat
the engine. :func:`check_engine` therefore runs the rules of :mod:`claimscope.schema` (the one definition
of the schema) as queries where the tables are, and reports each problem by its table, the row's key
(``claim_id``, ``event_id`` …) and column, with how many rows break each rule and the first keys.

Two layers, each with the tool made for it:

* **the tables' shape**: a ``pandera.ibis`` schema derived from each :class:`~claimscope.schema.FileSpec`
  (every contract column present, typed as the cache types it);
  pandera checks it on the table's schema without fetching rows;
* **the rows**: one Ibis predicate per rule of :mod:`claimscope.ingest.validation` that a query can state
  (required cells, unique keys, closed lists, dates, codes, addresses, references to other tables,
  ``responds_to``), counted and sampled in the engine. Rules that need files (a quote found in its
  source's text, a path that exists) cannot run in a warehouse and are listed as not checked.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import ibis
import ibis.expr.datatypes as dt
import ibis.expr.types as ir
import pandera.ibis as pandera_ibis
from ibis import _

from claimscope.engine.cache import contract_schema
from claimscope.engine.connection import Engine
from claimscope.ingest.places import known_codes
from claimscope.schema import CLAIMS, EVENTS, FILES, FileSpec, Kind

#: keys sampled per broken rule (the count says how many rows break it)
SAMPLE_KEYS = 20
DATE_PATTERN = r"^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$"
URL_PATTERN = r"^[Hh][Tt][Tt][Pp][Ss]?://[^\s/]+"
SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
#: rules of the contract no query can check (they need the dataset's files)
NOT_CHECKED = (
    "claims.csv quote: found verbatim in its source's text file (the texts are files, not tables)",
    "sources.csv text: a path to a file that exists",
)


@dataclass(frozen=True)
class RowProblem:
    """One rule broken by ``rows`` rows of a table; ``keys`` are the first of them (by key)."""

    table: str
    column: str
    rule: str
    message: str
    rows: int
    keys: tuple[str, ...]

    def __str__(self) -> str:
        if not self.rows:  # a problem of the table's shape, not of rows
            return f"{self.table} {self.column}: {self.message}"
        shown = ", ".join(self.keys)
        more = f" and {self.rows - len(self.keys):,} more" if self.rows > len(self.keys) else ""
        return f"{self.table} [{shown}{more}] {self.column}: {self.message} ({self.rows:,} rows)"


def pandera_schema(spec: FileSpec) -> pandera_ibis.DataFrameSchema:
    """The table's shape as pandera sees it: every contract column, typed as the cache types it."""
    columns = {}
    for field in contract_schema(spec):
        if field.name.startswith("_") or field.name in ("date_start", "date_end", "date_precision"):
            continue
        declared = spec.field(field.name)
        # pandera's Ibis engine has no array type: a list column is checked for presence (arrays on backends
        # that have them, ``;``-text elsewhere, both of which the row rules read)
        dtype = None if declared.is_list else dt.dtype(field.type)
        # empty required cells are a row rule (reported with the rows' keys), not the shape's
        columns[field.name] = pandera_ibis.Column(dtype, nullable=True, required=True)
    return pandera_ibis.DataFrameSchema(columns, name=spec.name)


def shape_problems(engine: Engine, spec: FileSpec) -> list[RowProblem]:
    """Columns missing or of another type, from the table's schema alone (pandera, no rows fetched)."""
    table = engine.table(spec.stem)
    problems = []
    schema = pandera_schema(spec)
    try:
        schema.validate(table.limit(0), lazy=True)
    except pandera_ibis.errors.SchemaErrors as errors:
        for case in errors.failure_cases.itertuples():
            check, found = str(case.check), str(case.failure_case)
            if check == "column_in_dataframe":
                problems.append(RowProblem(spec.stem, found, "column", "the column is missing", 0, ()))
            elif check.startswith("dtype("):
                wanted = check.removeprefix("dtype(").removesuffix(")").strip("'")
                problems.append(RowProblem(spec.stem, str(case.column), "type", f"is {found}, not {wanted}", 0, ()))
            else:
                problems.append(RowProblem(spec.stem, str(case.column), check, found, 0, ()))
    except pandera_ibis.errors.SchemaError as error:
        problems.append(RowProblem(spec.stem, "-", "shape", str(error), 0, ()))
    return problems


def _filled(column: ir.Column) -> ir.BooleanValue:
    if column.type().is_array():
        return column.length().fill_null(0) > 0
    return column.notnull() & (column.cast("string").strip() != "")


def _items(table: ir.Table, key: str, name: str) -> ir.Table:
    """(key, item) for every item of a list column (arrays; ``;``-text where the backend has no arrays)."""
    column = table[name]
    if not column.type().is_array():
        column = column.cast("string").split(";")
    return table.select(_key=table[key].cast("string"), _item=column.unnest().strip()).filter(_._item != "")


def row_rules(engine: Engine, spec: FileSpec) -> Iterable[tuple[str, str, str, ir.Table]]:
    """(column, rule, message, table of the breaking rows' keys as ``_key``) for every rule a query can state."""
    table = engine.table(spec.stem)
    key = spec.key or spec.fields[0].name
    keyed = table.mutate(_key=table[key].cast("string"))
    codes = sorted(known_codes())
    if engine.has_table("countries"):
        dataset_codes = engine.table("countries").select(_code=_.code.cast("string"))
    for field in spec.fields:
        if field.name not in table.columns:
            continue
        column = keyed[field.name]
        if field.required:
            yield field.name, "required", "is empty", keyed.filter(~_filled(column))
        if field.kind is Kind.ID:
            duplicated = keyed.group_by("_key").agg(n=_.count()).filter(_.n > 1).select("_key")
            yield field.name, "unique", "is used by more than one row", duplicated
        if column.type().is_array() or field.is_list:
            items = _items(keyed, "_key", field.name)
        else:
            text = column.cast("string").strip()
            items = keyed.select("_key", _item=text).filter(_._item.notnull() & (_._item != ""))
        if field.kind is Kind.ENUM:
            yield (
                field.name,
                "one_of",
                f"is not one of {', '.join(field.values)}",
                items.filter(~_._item.isin(list(field.values))),
            )
        elif field.kind is Kind.DATE:
            yield field.name, "date", "is not a date YYYY, YYYY-MM or YYYY-MM-DD", items.filter(~_._item.re_search(DATE_PATTERN))
        elif field.kind is Kind.URL:
            yield field.name, "url", "is not an absolute http or https address", items.filter(~_._item.re_search(URL_PATTERN))
        elif field.kind is Kind.SLUG_LIST:
            yield field.name, "slug", "holds an item that is not a lowercase slug", items.filter(~_._item.re_search(SLUG_PATTERN))
        elif field.kind in (Kind.CODE, Kind.CODE_LIST):
            unknown = items.filter(~_._item.isin(codes))
            if engine.has_table("countries"):
                unknown = unknown.anti_join(dataset_codes, unknown._item == dataset_codes._code)
            yield (
                field.name,
                "code",
                "holds a code that is not ISO 3166-1 alpha-3, a built-in group or a code of countries",
                unknown,
            )
        elif field.kind in (Kind.REF, Kind.REF_LIST) and not (spec is CLAIMS and field.name == "responds_to"):
            targets = [target.rsplit(".", 1) for target in field.refers_to]
            present = [(f.removesuffix(".csv"), c) for f, c in targets if engine.has_table(f.removesuffix(".csv"))]
            if present:
                known = ibis.union(*(engine.table(t).select(_target=engine.table(t)[c].cast("string")) for t, c in present))
                yield (
                    field.name,
                    "reference",
                    f"names an id that is not in {' or '.join(f'{t}.{c}' for t, c in present)}",
                    items.anti_join(known, items._item == known._target),
                )
    if spec is CLAIMS and "responds_to" in table.columns:
        answering = keyed.filter(_filled(keyed.responds_to)).mutate(_target=_.responds_to.strip())
        known = engine.table("claims").select(_id=_.claim_id.cast("string"))
        if engine.has_table(EVENTS.stem):
            known = ibis.union(known, engine.table(EVENTS.stem).select(_id=_.event_id.cast("string")))
        yield (
            "responds_to",
            "reference",
            "names no claim_id or event_id of the dataset",
            answering.anti_join(known, answering._target == known._id),
        )
        yield "responds_to", "self", "is the claim itself", answering.filter(_._target == _._key)


def check_engine(engine: Engine, sample: int = SAMPLE_KEYS) -> list[RowProblem]:
    """Every problem of every contract table the engine holds: shapes first, then the rows' rules, by table."""
    problems: list[RowProblem] = []
    for spec in FILES:
        if not engine.has_table(spec.stem):
            continue
        shape = shape_problems(engine, spec)
        problems.extend(shape)
        if shape:
            continue  # the row rules would fail on the same missing or mistyped columns
        for column, rule, message, broken in row_rules(engine, spec):
            keys = broken.select("_key").distinct()
            rows = engine.count(keys)
            if rows:
                first = engine.to_frame(keys.order_by("_key"), limit=sample)["_key"].astype(str)
                problems.append(RowProblem(spec.stem, column, rule, message, rows, tuple(first)))
    return problems


def rule_queries(engine: Engine) -> list[ir.Table]:
    """Every row rule's query (to compile them for another backend's dialect in tests)."""
    return [broken for spec in FILES if engine.has_table(spec.stem) for *_, broken in row_rules(engine, spec)]
