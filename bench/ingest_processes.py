"""The first start (ingest) of a dataset folder in one process and in several, measured in the same run.

    .venv/bin/python bench/ingest_processes.py DIR [DIR ...] [--workers 1 2] [--repeat 2] [--out FILE.json]

For each folder and each number of workers (``$CLAIMSCOPE_INGEST_WORKERS``), in turn and ``--repeat`` times,
``python -m claimscope ingest DIR`` runs in a new process with a fresh cache root of its own: wall seconds,
the largest single process's peak memory and the peak of the sum over the process and its workers
(bench/engine_benchmark.py's ``run_measured``). The settings alternate, so a machine that slows down or speeds
up during the run weighs on each alike. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.engine_benchmark import run_measured


def measure(folder: Path, workers: int) -> dict:
    """One ingest of ``folder`` by ``workers`` processes into a cache root of its own (removed after)."""
    root = Path(tempfile.mkdtemp(prefix="claimscope-ingest-bench-"))
    try:
        env = {**os.environ, "CLAIMSCOPE_CACHE_DIR": str(root), "CLAIMSCOPE_INGEST_WORKERS": str(workers)}
        result = run_measured([sys.executable, "-m", "claimscope", "ingest", str(folder)], env)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    if result["exit"] != 0:
        raise SystemExit(f"{folder}: the ingest with {workers} workers failed: {result['tail']}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--workers", nargs="+", type=int, default=[1, 2])
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    runs: dict[str, dict[int, list[dict]]] = {str(f): {w: [] for w in args.workers} for f in args.folders}
    for _ in range(args.repeat):
        for folder in args.folders:
            for workers in args.workers:
                result = measure(folder, workers)
                runs[str(folder)][workers].append(result)
                print(
                    f"{folder.name}: {workers} workers: {result['s']} s, largest process {result['peak_mb']} MB, "
                    f"all processes {result['tree_peak_mb']} MB",
                    flush=True,
                )
    summary = {
        folder: {
            workers: {
                "median_s": statistics.median(r["s"] for r in results),
                "runs_s": [r["s"] for r in results],
                "peak_mb": max(r["peak_mb"] for r in results),
                "tree_peak_mb": max(r["tree_peak_mb"] for r in results),
            }
            for workers, results in by_workers.items()
        }
        for folder, by_workers in runs.items()
    }
    print("\n| folder | workers | median s | runs s | largest process MB | all processes MB |")
    print("|---|---|---|---|---|---|")
    for folder, by_workers in summary.items():
        for workers, row in by_workers.items():
            print(
                f"| {Path(folder).name} | {workers} | {row['median_s']} | {row['runs_s']} | {row['peak_mb']} | {row['tree_peak_mb']} |"
            )
    if args.out:
        meta = {"when": time.strftime("%Y-%m-%d %H:%M"), "cpus": os.cpu_count(), "python": platform.python_version()}
        args.out.write_text(json.dumps({"meta": meta, "summary": summary, "runs": runs}, indent=1) + "\n")


if __name__ == "__main__":
    main()
