"""The engine: the cache of validated Parquet, and the connections that serve it.

This package owns two things and nothing else:

* :mod:`claimscope.engine.cache`: a dataset folder is read and validated once (by
  :func:`claimscope.ingest.dataset.load_folder`, same rules, same ``file:line:column: message`` report) and
  written as typed Parquet plus a manifest; a restart on unchanged files neither parses nor validates.
* :mod:`claimscope.engine.connection`: an :class:`Engine` holds an Ibis backend (DuckDB over the
  cached Parquet, or any backend named by a URL) and is the one place where expressions run.

:mod:`claimscope.engine.filters` compiles the filter model of :mod:`claimscope.filters` to an Ibis
predicate, so that the same filters select the same statements on every backend, and
:mod:`claimscope.engine.load` writes a dataset into any backend (``python -m claimscope load``).
The page queries (what each page asks of the engine) are not here: they build on these pieces.

The names below are imported lazily: ``ingest`` (and ``python -m claimscope ingest``) needs pyarrow,
not Ibis, whose import alone takes about a second. For the same reason the engine and the page queries take Ibis
from :mod:`claimscope.engine.lazy`, which imports it when the first expression is built: a restart's first page,
drawn from answers kept in the cache entry, builds none.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "CacheEntry": "cache",
    "CacheError": "cache",
    "ingest": "cache",
    "Engine": "connection",
    "EngineError": "connection",
    "filter_clauses": "filters",
    "filter_predicate": "filters",
    "filtered": "filters",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)
