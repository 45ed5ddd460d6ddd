"""The Data page's queries (claimscope.queries.export) held to the pandas exports, and the page building them on click.

The pandas exports of claimscope.views.export are the reference: the streamed CSV and JSON must be the
same bytes on every engine and filter, the zip the same members with the same contents.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable
from contextlib import closing

import ibis
import pandas as pd
import pyarrow as pa
import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from claimscope.engine.cache import TEXTS_SCHEMA, contract_schema
from claimscope.engine.filters import filtered
from claimscope.filters import Filters, apply_filters
from claimscope.queries import Scope
from claimscope.queries import export as exports
from claimscope.schema import CLAIMS, FILES, SOURCES
from claimscope.text import neutralise_cell
from claimscope.views import export as reference
from tests.conftest import DATA_DIR, ROOT
from tests.query_engines import query_case  # noqa: F401


def _common(claims: pd.DataFrame, column: str) -> str:
    values = claims[column].astype(str)
    return str(values[values != ""].value_counts().index[0])


def _word(claims: pd.DataFrame) -> str:
    return next(w for quote in claims["quote"] for w in str(quote).split() if len(w) > 3)


#: filters built from the dataset at hand (its own values), so every case selects something it has
FILTERS: dict[str, Callable[[pd.DataFrame], Filters]] = {
    "none": lambda claims: Filters(),
    "stance": lambda claims: Filters(stance=(_common(claims, "stance"),)),
    "country": lambda claims: Filters(country=(_common(claims, "speaker_country"),)),
    "authors-exclude": lambda claims: Filters(authors="exclude"),
    "search": lambda claims: Filters(q=_word(claims)),
    "nothing": lambda claims: Filters(q="no-statement-says-this-xq"),
}


@pytest.mark.parametrize("name", list(FILTERS))
def test_claims_csv_and_json_are_the_bytes_of_the_pandas_export(query_case, name):  # noqa: F811
    filters = FILTERS[name](query_case.dataset.claims)
    expected = query_case.reference(filters)
    scope = Scope(query_case.engine, filters)
    assert exports.claims_csv(scope) == reference.claims_csv(expected)
    assert exports.claims_json(scope) == reference.claims_json(expected)
    if name == "nothing":
        assert expected.empty


def test_dataset_zip_has_the_members_and_contents_of_the_pandas_zip(query_case):  # noqa: F811
    dataset = query_case.dataset
    present = [name for name, report in dataset.reports.items() if report.present]
    built = zipfile.ZipFile(io.BytesIO(exports.dataset_zip(query_case.engine, present, dataset.package)))
    expected = zipfile.ZipFile(io.BytesIO(reference.dataset_zip(dataset)))
    assert built.namelist() == expected.namelist()
    for name in expected.namelist():
        assert built.read(name) == expected.read(name), name
    assert built.testzip() is None


def test_claims_per_source_matches_the_pandas_count(query_case):  # noqa: F811
    dataset = query_case.dataset
    counts = exports.claims_per_source(Scope(query_case.engine, Filters(stance=("oppose",))))  # filters do not apply
    shown = exports.sources_table(dataset.sources, counts, dataset.texts)
    # the Sources tab's table as the page built it from the frame of every claim
    coverage = dataset.claims.groupby("source_id").size().rename("claims")
    before = dataset.sources.drop(columns=[c for c in dataset.sources if c.startswith("_") or c == "index"]).merge(
        coverage, left_on="source_id", right_index=True, how="left"
    )
    before["claims"] = before["claims"].fillna(0).astype(int)
    before["text kept"] = before["source_id"].isin(list(dataset.texts))
    pd.testing.assert_frame_equal(shown, before)


def test_a_large_export_arrives_in_batches_of_bounded_size(query_case, monkeypatch):  # noqa: F811
    """No export is built whole: the rows come and go out CHUNK_ROWS at a time."""
    claims = query_case.dataset.claims
    if len(claims) < 1_000:
        pytest.skip("a small dataset fits in one batch")
    monkeypatch.setattr(exports, "CHUNK_ROWS", 100)
    scope = Scope(query_case.engine, Filters())
    chunks = list(exports.claims_csv_chunks(scope))
    assert len(chunks) == 1 + -(-len(claims) // 100)  # the header, then one chunk per batch
    assert max(len(chunk.splitlines()) for chunk in chunks[1:]) <= 100
    assert b"".join(chunks) == reference.claims_csv(claims)
    json_chunks = list(exports.claims_json_chunks(scope))
    assert len(json_chunks) == 1 + -(-len(claims) // 100)
    assert b"".join(json_chunks) == reference.claims_json(claims)


def test_an_export_does_not_stall_the_other_sessions_on_duckdb(query_case):  # noqa: F811
    """Mid-export, DuckDB answers other queries (a cursor of its own); other backends hold the lock until closed."""
    engine = query_case.engine
    scope = Scope(engine, Filters())
    batches = exports.record_batches(engine, exports.claims_expr(scope), chunk_size=2)
    first = next(batches)
    assert first.num_rows == 2
    if engine.backend.name == "duckdb":
        assert not engine._lock.locked()
        assert engine.count(engine.claims) == len(query_case.dataset.claims)  # the engine's own connection
        rest = sum(batch.num_rows for batch in batches)
        assert first.num_rows + rest == len(query_case.dataset.claims)  # the export went on unharmed
    else:
        assert engine._lock.locked()
        batches.close()
        assert not engine._lock.locked()
        assert engine.count(engine.claims) == len(query_case.dataset.claims)


def test_closing_an_export_early_releases_the_engine(query_case):  # noqa: F811
    engine = query_case.engine
    with closing(exports.claims_csv_chunks(Scope(engine, Filters()))) as chunks:
        next(chunks)
    assert not engine._lock.locked()
    assert engine.count(engine.claims) == len(query_case.dataset.claims)


# --- the cell formatting, on the characters that matter -------------------------------------------------------

CELLS = [
    "",
    "plain",
    "with, comma",
    'a "quoted" word',
    "two\nlines",
    "carriage\rreturn",
    "crlf\r\nend",
    "=SUM(A1)",
    "+1",
    "-2+3",
    "@cmd",
    "\ttab first",
    "\rcr first",
    "'=already",
    "''+twice",
    "'plain apostrophe",
    " =space first",
    "é, ü and 漢字",
    "😀",
    '=HYPERLINK("http://x", "y")',
    "back\\slash",
    "\x01control",
    "\u2028line separator",
]


@pytest.mark.parametrize("columns", [1, 3])
def test_csv_cells_are_those_of_the_csv_module_after_neutralising(columns):
    rows = [[cell] * columns for cell in CELLS]
    batch = pa.RecordBatch.from_pydict({f"c{i}": [row[i] for row in rows] for i in range(columns)})
    expected = io.StringIO()
    csv.writer(expected, lineterminator="\r\n").writerows([[neutralise_cell(c) for c in row] for row in rows])
    assert exports.csv_rows([f"c{i}" for i in range(columns)], batch) == expected.getvalue().encode("utf-8")


def test_json_strings_are_those_of_json_dumps():
    values = [*CELLS, None, '"', "\\", "\x00", "\x1f", "\x7f"]
    assert exports.json_strings(pa.array(values)).to_pylist() == [json.dumps(v, ensure_ascii=False) for v in values]


def test_json_lists_are_those_of_json_dumps():
    batch = pa.RecordBatch.from_pydict(
        {"about": pa.array([["RUS", "PRK"], [], None, ['q"uote']], type=pa.list_(pa.string())), "claim_id": ["a", "b", "c", "d"]}
    )
    records = [{"about": about, "claim_id": claim_id} for about, claim_id in zip(*batch.to_pydict().values(), strict=True)]
    built = b"".join(exports.json_chunks(CLAIMS, [batch[:2], batch[2:]]))
    assert built == json.dumps(records, ensure_ascii=False, indent=1).encode("utf-8")
    assert b"".join(exports.json_chunks(CLAIMS, [])) == json.dumps([], indent=1).encode("utf-8")


# --- every backend compiles the page's queries ------------------------------------------------------------------


def _table(name: str) -> ibis.Table:
    if name == "texts":
        return ibis.table(ibis.Schema.from_pyarrow(TEXTS_SCHEMA), name=name)
    spec = next(spec for spec in FILES if spec.stem == name)
    return ibis.table(ibis.Schema.from_pyarrow(contract_schema(spec)), name=name)


@pytest.mark.parametrize("dialect", ["bigquery", "snowflake", "trino"])
def test_the_data_pages_queries_compile_for_warehouses(dialect):
    claims = _table("claims")
    filters = Filters(stance=("oppose",), about=("RUS",), q="treaty", authors="exclude", date_from="2024")
    queries = [
        exports.export_expr(filtered(claims, filters), ordered=True),
        *(exports.export_expr(_table(spec.stem), ordered=True) for spec in FILES),
        exports.texts_expr(_table(SOURCES.stem), _table("texts")),
        exports.source_counts_expr(claims, _table(SOURCES.stem)),
    ]
    for expr in queries:
        assert "SELECT" in str(ibis.to_sql(expr, dialect=dialect)).upper()
    ordered = str(ibis.to_sql(queries[0], dialect=dialect))
    assert "ORDER BY" in ordered.upper() and "_line" in ordered  # a warehouse keeps no order unless asked


# --- the page builds nothing until a click --------------------------------------------------------------------


def test_the_data_page_builds_its_downloads_only_when_clicked(monkeypatch):
    """A run registers the three downloads as callables and builds none; calling them gives the export's bytes."""
    built: list[str] = []
    deferred: dict[str, Callable] = {}
    for name in ("claims_csv", "claims_json", "dataset_zip"):
        original = getattr(exports, name)

        def spy(*args, _name=name, _original=original, **kwargs):
            built.append(_name)
            return _original(*args, **kwargs)

        monkeypatch.setattr(exports, name, spy)
    register = MediaFileManager.add_deferred

    def remember(self, callable_, mimetype, coordinates, file_name=None, **kwargs):
        deferred[file_name] = callable_
        return register(self, callable_, mimetype, coordinates, file_name=file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", remember)
    monkeypatch.setenv("CLAIMSCOPE_DATA_DIR", str(DATA_DIR))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["stance"] = "support"
    at.run()
    at.switch_page("pages/data.py").run()
    assert not at.exception, [e.value for e in at.exception]

    buttons = {b.label: b.proto for b in at.get("download_button")}
    for label in ("Claims as CSV", "Claims as JSON", "Dataset as zip"):
        assert buttons[label].deferred_file_id and not buttons[label].url, label
    assert built == []  # two runs, nothing built
    assert {"claims-filtered.csv", "claims-filtered.json", "claimscope-dataset.zip"} <= set(deferred)

    from claimscope.ingest.dataset import load_folder

    dataset = load_folder(DATA_DIR)
    expected = apply_filters(dataset.claims, Filters(stance=("support",)))
    assert deferred["claims-filtered.csv"]() == reference.claims_csv(expected)
    assert deferred["claims-filtered.json"]() == reference.claims_json(expected)
    archive = zipfile.ZipFile(io.BytesIO(deferred["claimscope-dataset.zip"]()))
    assert archive.read("claims.csv") == reference.claims_csv(dataset.claims)  # the whole dataset, not the filtered
    assert built == ["claims_csv", "claims_json", "dataset_zip"]


def test_lists_held_as_text_export_as_lists_held_as_arrays():
    """A backend without arrays keeps lists as ;-joined text (claimscope.engine.load): the exports are the same."""
    arrays = pa.RecordBatch.from_pydict(
        {"claim_id": ["a", "b", "c"], "about": pa.array([["RUS", "PRK"], [], None], type=pa.list_(pa.string()))}
    )
    text = pa.RecordBatch.from_pydict({"claim_id": ["a", "b", "c"], "about": ["RUS;PRK", "", None]})
    assert b"".join(exports.json_chunks(CLAIMS, [text])) == b"".join(exports.json_chunks(CLAIMS, [arrays]))
    names = ["claim_id", "about"]
    assert exports.csv_rows(names, text) == exports.csv_rows(names, arrays)
