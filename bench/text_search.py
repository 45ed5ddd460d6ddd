"""What keeping a text query's matches saves (Engine.text_matches): one count under ``q`` + a stance, over the cache.

    .venv/bin/python bench/text_search.py DATASET_FOLDER [--queries treaty "sanctions missile"]

For each query, in one process over DuckDB on the folder's cache (ingested first if needed): the count with the
text predicate reading ``_search`` (as every query did before), the first keeping of the matches (one scan), the
same count from the kept lines, and a count under the same text with another stance (another session's view).
A micro-measurement of one query; the pages' times come from bench/engine_benchmark.py.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from claimscope.engine.cache import ingest
from claimscope.engine.connection import Engine
from claimscope.engine.filters import filtered
from claimscope.filters import Filters
from claimscope.queries.scope import Scope


def timed(run) -> tuple[float, object]:
    start = time.perf_counter()
    value = run()
    return time.perf_counter() - start, value


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--queries", nargs="+", default=["treaty", "sanctions missile"])
    args = parser.parse_args()
    engine = Engine.duckdb(ingest(args.folder), memory_limit="1GB")
    print("| query | matched | text read s | keep s (once) | from kept lines s | another stance s |")
    print("|---|---|---|---|---|---|")
    for query in args.queries:
        filters = Filters(q=query, stance=("oppose",))
        read_s, expected = timed(lambda: engine.count(filtered(engine.claims, filters)))
        scope = Scope(engine, filters)
        keep_s, _ = timed(lambda: scope.text_matches)
        kept_s, matched = timed(lambda: scope.matched)
        assert matched == expected, (matched, expected)
        other_s, _ = timed(lambda: Scope(engine, Filters(q=query, stance=("support",))).matched)
        print(f"| {query} | {matched:,} | {read_s:.3f} | {keep_s:.3f} | {kept_s:.3f} | {other_s:.3f} |")
    engine.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
