"""Datasets and engines the page-query tests share: every query is held to its pandas reference on each.

``query_case`` (a module-scoped fixture, parametrised) gives a :class:`QueryCase`: a loaded dataset (the
curated data, the foreign dataset of tests/datasets.py, and small datasets of both generators) with an
engine over it. The engine is DuckDB in memory (``Engine.from_dataset``, as for uploads), DuckDB over the
Parquet cache (as for the curated data), or PostgreSQL when the test run has one (``postgres`` cases;
``tests/conftest.py`` starts it). A query module's tests then read::

    def test_headline_counts_match_the_reference(query_case):
        scope = Scope(query_case.engine, Filters())
        assert queries.headline_counts(scope, ...) == reference.headline_counts(query_case.dataset, ...)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import ibis
import pytest

from claimscope.engine.cache import contract_schema, ingest
from claimscope.engine.connection import Engine
from claimscope.engine.load import load_into
from claimscope.filters import Filters, apply_filters
from claimscope.ingest.dataset import Dataset, load_folder
from claimscope.schema import FILES
from tests.conftest import DATA_DIR
from tests.datasets import foreign_dataset
from tests.engine_backends import POSTGRES_URL, postgres_url


@dataclass
class QueryCase:
    name: str
    dataset: Dataset
    engine: Engine

    def reference(self, filters: Filters):
        """The pandas reference's filtered claims for these filters."""
        return apply_filters(self.dataset.claims, filters)


def _synth(folder: Path) -> Path:
    from claimscope import synth

    return synth.write(folder, 3_000, seed=5)


def _threads(folder: Path) -> Path:
    from claimscope import synth_threads

    return synth_threads.write(folder, 3_000, seed=3)


DATASETS = {
    "curated": lambda tmp: DATA_DIR,
    "foreign": lambda tmp: foreign_dataset(tmp / "foreign"),
    "synth": lambda tmp: _synth(tmp / "synth"),
    "threads": lambda tmp: _threads(tmp / "threads"),
}
#: (dataset, backend) pairs every query test runs on: each backend on the curated data, DuckDB on the rest
QUERY_CASES = [
    ("curated", "memory"),
    ("curated", "parquet"),
    ("curated", "postgres"),
    ("foreign", "memory"),
    ("foreign", "postgres"),
    ("synth", "parquet"),
    ("threads", "parquet"),
]


def open_case(tmp: Path, dataset_name: str, backend: str) -> QueryCase:
    folder = DATASETS[dataset_name](tmp)
    loaded = load_folder(folder)
    engine = Engine.from_dataset(loaded) if backend == "memory" else open_engine(folder, backend, tmp, dataset_name)
    return QueryCase(f"{dataset_name}-{backend}", loaded, engine)


def open_engine(folder: Path, backend: str, tmp: Path, name: str) -> Engine:
    """An engine over a dataset folder: its cache entry (``parquet``) or a PostgreSQL database named after ``name``
    (skipped when the run has no server); ``memory`` engines take a loaded dataset (:meth:`Engine.from_dataset`)."""
    if backend == "parquet":
        return Engine.duckdb(ingest(folder, cache_dir=tmp / "cache"))
    if backend == "postgres":
        if not POSTGRES_URL:
            pytest.skip("no PostgreSQL server for this run (CLAIMSCOPE_TEST_POSTGRES_URL)")
        import ibis

        url = postgres_url(f"queries_{name}")
        backend_connection = ibis.connect(url)
        load_into(ingest(folder, cache_dir=tmp / "cache"), backend_connection)
        backend_connection.disconnect()
        return Engine.from_url(url)
    raise ValueError(backend)


@pytest.fixture(scope="module", params=QUERY_CASES, ids=[f"{d}-{b}" for d, b in QUERY_CASES])
def query_case(request, tmp_path_factory):
    case = open_case(tmp_path_factory.mktemp(f"{request.param[0]}-{request.param[1]}"), *request.param)
    yield case
    case.engine.close()


class UnboundEngine(Engine):
    """The contract's tables with no backend behind them: expressions build, and compile to any dialect (the
    warehouse compile tests)."""

    def __init__(self) -> None:
        self._table_map = {spec.stem: spec.stem for spec in FILES}
        self._table_exprs = {spec.stem: ibis.table(contract_schema(spec), name=spec.stem) for spec in FILES}
