"""What a server start spends on the engine's derived tables, without and with the copy kept in the cache entry.

    .venv/bin/python bench/derived_tables.py DIR [DIR ...] [--cache-dir D] [--rounds 3]

For each dataset folder (ingested into the cache first if needed): the kept copy is removed, then a fresh engine
derives every reaction's target (``reaction_targets(..., wait=True)``: what a server's first start does in the
background after its first page) and keeps it in the entry; then ``--rounds`` fresh engines each read it back (what
every later start does). Wall seconds, and the process's CPU seconds over the same span (both cores count).
Not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def timed_start(entry) -> tuple[float, float, int]:
    """A fresh engine over the entry until its derived targets are in memory: (wall s, CPU s, rows)."""
    from claimscope.engine.connection import Engine
    from claimscope.filters import Filters
    from claimscope.queries import Scope
    from claimscope.queries.actor import reaction_targets

    engine = Engine.duckdb(entry)
    wall, cpu = time.perf_counter(), time.process_time()
    table = reaction_targets(Scope(engine, Filters()), wait=True)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    rows = engine.count(table) if table is not None else 0
    engine.close()  # waits for the copy to be kept in the entry
    return wall, cpu, rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", type=Path, nargs="+")
    parser.add_argument("--cache-dir", type=Path, default=None)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if args.cache_dir:
        os.environ["CLAIMSCOPE_CACHE_DIR"] = str(args.cache_dir)
    from claimscope.engine.cache import DERIVED_FOLDER, ingest

    results = {}
    for folder in args.folders:
        entry = ingest(folder)
        shutil.rmtree(entry.path / DERIVED_FOLDER, ignore_errors=True)
        derived = timed_start(entry)
        kept = [timed_start(entry) for _ in range(args.rounds)]
        results[folder.name] = {
            "rows": derived[2],
            "derived_wall_s": round(derived[0], 2),
            "derived_cpu_s": round(derived[1], 2),
            "kept_wall_s": round(statistics.median(k[0] for k in kept), 2),
            "kept_cpu_s": round(statistics.median(k[1] for k in kept), 2),
        }
        print(folder.name, results[folder.name], file=sys.stderr)
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
