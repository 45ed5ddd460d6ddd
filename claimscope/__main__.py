"""Command line: ``python -m claimscope validate [DIR]``, ``dictionary``, ``datapackage [DIR]``, ``coverage [DIR]``, ``ingest [DIR]``, ``load DIR --into URL``.

``validate`` prints every problem as ``file:line:column: message`` and exits 0 when the dataset is
clean, 1 when it found problems, 2 when the folder cannot be read. It never shows a traceback.
``ingest`` does the same through the cache (:mod:`claimscope.engine.cache`), printing each stage with
its rows on the console; ``load`` ingests, then writes the accepted tables into the backend a URL names.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

from claimscope.dataset import DatasetFolderError, load_folder
from claimscope.schema import FILES, PACKAGE_FILE, data_dictionary, frictionless_schema

DEFAULT_DIR = "data"


def validate(folder: str) -> int:
    try:
        dataset = load_folder(folder)
    except DatasetFolderError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for problem in dataset.problems:
        print(problem)
    rows = ", ".join(
        f"{report.file} {report.rows_accepted}/{report.rows_read}" for report in dataset.reports.values() if report.present
    )
    verdict = "clean" if dataset.is_valid else f"{len(dataset.problems)} problem(s)"
    print(f"{folder}: {verdict}; rows accepted/read: {rows}", file=sys.stderr)
    return 0 if dataset.is_valid else 1


def dictionary() -> int:
    rows = data_dictionary()
    print("| file | column | required | type | values | description |")
    print("|---|---|---|---|---|---|")
    for row in rows:
        print(
            f"| {row['file']} | `{row['column']}` | {row['required']} | {row['type']} | {row['values']} | {row['description']} |"
        )
    return 0


def file_header(path: Path) -> list[str]:
    """The column names of a CSV file's first line."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return next(csv.reader(handle), [])


def write_datapackage(folder: str) -> int:
    """Regenerate the ``resources`` of ``datapackage.json`` from the schema (the rest is kept)."""
    path = Path(folder) / PACKAGE_FILE
    try:
        package = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    except (OSError, ValueError) as exc:
        print(f"error: {path}: {exc}", file=sys.stderr)
        return 2
    package["resources"] = [
        {
            "name": spec.stem,
            "path": spec.name,
            "profile": "tabular-data-resource",
            "format": "csv",
            "encoding": "utf-8",
            "description": spec.description,
            "schema": frictionless_schema(spec, file_header(Path(folder) / spec.name)),
        }
        for spec in FILES
        if (Path(folder) / spec.name).exists()
    ]
    path.write_text(json.dumps(package, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {path}")
    return 0


def write_coverage(folder: str, out: str | None) -> int:
    """Print (or write) the coverage table of a dataset folder; exits 1 when the folder has problems."""
    from claimscope.coverage import coverage, coverage_markdown

    try:
        dataset = load_folder(folder)
    except DatasetFolderError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    text = coverage_markdown(coverage(dataset))
    if out:
        Path(out).write_text(text, encoding="utf-8")
        print(f"wrote {out}")
    else:
        print(text)
    return 0 if dataset.is_valid else 1


def console_progress() -> Callable[[str, int | None], None]:
    """Print each stage of a long ingest on stderr with the time since the start (stdout keeps the report)."""
    started = time.perf_counter()

    def say(stage: str, rows: int | None) -> None:
        elapsed = time.perf_counter() - started
        done = "…" if rows is None else f": {rows:,} rows"
        print(f"[{elapsed:7.2f} s] {stage}{done}", file=sys.stderr, flush=True)

    return say


def report_entry(folder: str, entry) -> int:
    """The validation report of a cache entry, as ``validate`` prints it; the exit code."""
    for problem in entry.problems:
        print(problem)
    rows = ", ".join(
        f"{file} {info['rows_accepted']}/{info['rows_read']}" for file, info in entry.files.items() if info["present"]
    )
    verdict = "clean" if entry.is_valid else f"{len(entry.problems)} problem(s)"
    origin = "read from the cache" if entry.from_cache else "written to the cache"
    print(f"{folder}: {verdict}; rows accepted/read: {rows}; {origin} {entry.path}", file=sys.stderr)
    return 0 if entry.is_valid else 1


def ingest_folder(folder: str, cache_dir: str | None) -> int:
    """Validate a folder into the cache (nothing is parsed when the cache is current)."""
    from claimscope.engine.cache import CacheError, ingest

    try:
        entry = ingest(folder, cache_dir, progress=console_progress())
    except (DatasetFolderError, CacheError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return report_entry(folder, entry)


def load_folder_into(folder: str, url: str, cache_dir: str | None) -> int:
    """Ingest a folder, then write its accepted tables into the Ibis backend named by ``url``."""
    import ibis

    from claimscope.engine.cache import CacheError, ingest
    from claimscope.engine.connection import redact
    from claimscope.engine.load import load_into

    say = console_progress()
    try:
        entry = ingest(folder, cache_dir, progress=say)
    except (DatasetFolderError, CacheError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    code = report_entry(folder, entry)
    try:
        backend = ibis.connect(url)
    except Exception as exc:  # the driver's own errors: refused, bad password, unknown scheme
        print(f"error: {redact(url)}: cannot connect ({type(exc).__name__}: {exc})", file=sys.stderr)
        return 2
    try:
        written = load_into(entry, backend, progress=say)
    finally:
        disconnect = getattr(backend, "disconnect", None)
        if disconnect is not None:
            disconnect()
    tables = ", ".join(f"{name} {rows}" for name, rows in written.items())
    print(f"loaded into {redact(url)}: {tables}", file=sys.stderr)
    return code


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m claimscope", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("validate", help="validate a dataset folder")
    check.add_argument("folder", nargs="?", default=DEFAULT_DIR)
    commands.add_parser("dictionary", help="print the data dictionary as Markdown")
    package = commands.add_parser("datapackage", help="regenerate datapackage.json resources from the schema")
    package.add_argument("folder", nargs="?", default=DEFAULT_DIR)
    cover = commands.add_parser("coverage", help="the coverage table of a dataset (statements per quarter, country, source kind)")
    cover.add_argument("folder", nargs="?", default=DEFAULT_DIR)
    cover.add_argument("--write", metavar="FILE", help="write the Markdown table to FILE instead of printing it")
    ingest = commands.add_parser("ingest", help="validate a dataset folder into the cache of typed Parquet (see docs/scale.md)")
    ingest.add_argument("folder", nargs="?", default=DEFAULT_DIR)
    ingest.add_argument("--cache-dir", metavar="D", help="the cache root (default: $CLAIMSCOPE_CACHE_DIR or ~/.cache/claimscope)")
    load = commands.add_parser("load", help="validate a dataset folder and write its tables into a database named by a URL")
    load.add_argument("folder")
    load.add_argument(
        "--into", metavar="URL", required=True, help="an Ibis connection URL: duckdb:///file.db, postgres://user:pass@host/db"
    )
    load.add_argument("--cache-dir", metavar="D", help="the cache root (default: $CLAIMSCOPE_CACHE_DIR or ~/.cache/claimscope)")
    args = parser.parse_args(argv)
    try:
        if args.command == "validate":
            return validate(args.folder)
        if args.command == "dictionary":
            return dictionary()
        if args.command == "coverage":
            return write_coverage(args.folder, args.write)
        if args.command == "ingest":
            return ingest_folder(args.folder, args.cache_dir)
        if args.command == "load":
            return load_folder_into(args.folder, args.into, args.cache_dir)
        return write_datapackage(args.folder)
    except Exception as exc:  # the promise is: never a traceback
        print(f"error: unexpected failure: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
