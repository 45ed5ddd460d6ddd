"""Command line: ``python -m claimscope validate [DIR]``, ``import FILE OUT_DIR``, ``dictionary``, ``datapackage [DIR]``,
``coverage [DIR]``, ``ingest [DIR]``, ``load DIR --into URL``.

``validate`` prints every problem as ``file:line:column: message`` and exits 0 when the dataset is
clean, 1 when it found problems, 2 when the folder cannot be read. ``import`` turns an analyst's own
spreadsheet or CSV into a dataset folder: it prints each question (an ambiguous date, a country name it
cannot place) in the sheet's terms and exits 1 until flags or a saved mapping answer them.
``ingest`` validates through the cache (:mod:`claimscope.engine.cache`), printing each stage with
its rows on the console; ``load`` ingests, then writes the accepted tables into the backend a URL names.
No command ever shows a traceback.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

from claimscope.ingest.dataset import DatasetFolderError, load_folder
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


def _pairs(values: list[str], option: str, separator: str = "=") -> dict[str, str]:
    pairs = {}
    for value in values or []:
        key, sep, answer = value.partition(separator)
        if not sep or not key.strip() or not answer.strip():
            raise ValueError(f"{option} {value!r}: write it as KEY{separator}VALUE")
        pairs[key.strip()] = answer.strip()
    return pairs


def import_sheet(args: argparse.Namespace) -> int:
    """``import FILE OUT_DIR``: the analyst's sheet as a dataset folder, with the mapping used beside it."""
    from claimscope.ingest.importer import MAPPING_FILE, SUFFIXES, Mapping, describe_mapping, import_file
    from claimscope.schema import SHEET_SUFFIX

    source, out_dir = Path(args.file), Path(args.out_dir)
    if not source.name.lower().endswith((*SUFFIXES, ".xls")):
        print(f"error: {source}: give a .csv or .xlsx file", file=sys.stderr)
        return 2
    try:
        data = source.read_bytes()
        saved = None
        if args.mapping:
            saved, mapping_problems = Mapping.from_json(Path(args.mapping).read_text(encoding="utf-8"), args.mapping)
            for problem in mapping_problems:
                print(problem)
            if mapping_problems:
                return 1
    except OSError as exc:
        print(f"error: {exc.filename or source}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    try:
        columns = _pairs(args.column, "--column")
        countries = _pairs(args.country, "--country")
        values: dict[str, dict[str, str]] = {}
        for field_name, pair in _pairs(args.value, "--value", ":").items():
            values.setdefault(field_name, {}).update(_pairs([pair], "--value"))
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    order = "dayfirst" if args.dayfirst else "monthfirst" if args.monthfirst else None
    table, result = import_file(
        source.name,
        data,
        saved,
        sheet=args.sheet,
        header_row=args.header_row,
        columns=columns,
        countries=countries,
        values=values,
        date_order=order,
        kind=args.kind,
        settle_unanswered=args.set_aside,
    )
    for line in describe_mapping(table, result.mapping):
        print(f"  {line}", file=sys.stderr)
    for note in result.notes:
        print(f"note: {note}", file=sys.stderr)
    for problem in result.problems:
        print(problem)
    if not result.files:
        print(
            f"{source.name}: {len(result.problems)} question(s) or problem(s); nothing written. Answer them with --column FIELD=HEADER, "
            "--dayfirst or --monthfirst, --country NAME=CODE, --value FIELD:TEXT=VALUE or --sheet NAME (or fix the sheet), "
            "then run the command again.",
            file=sys.stderr,
        )
        return 1
    try:
        if out_dir.exists() and any(out_dir.iterdir()) and not args.overwrite:
            print(f"error: {out_dir} is not empty: choose an empty folder, or pass --overwrite", file=sys.stderr)
            return 2
        out_dir.mkdir(parents=True, exist_ok=True)
        for spec in FILES:  # a file an earlier import made, and this one does not, must not linger
            for name in (spec.name, spec.stem + SHEET_SUFFIX):
                (out_dir / name).unlink(missing_ok=True)
        for name, content in result.files.items():
            (out_dir / name).write_bytes(content)
        (out_dir / MAPPING_FILE).write_text(result.mapping.to_json(), encoding="utf-8")
    except OSError as exc:
        print(f"error: {out_dir}: cannot be written ({exc.strerror or exc})", file=sys.stderr)
        return 2
    verdict = "it validates clean" if not result.problems else f"{len(result.problems)} row problem(s) are set aside"
    print(
        f"{source.name}: wrote {result.rows} statement(s) to {out_dir} ({verdict}); the mapping used is {out_dir / MAPPING_FILE}: "
        f"pass it with --mapping to import the next version of the sheet the same way.",
        file=sys.stderr,
    )
    return 1 if result.problems else 0


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
    from claimscope.ingest.coverage import coverage, coverage_markdown

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
    from claimscope.queries.cascade import keep_picker_answers
    from claimscope.queries.options import keep_filter_options

    say = console_progress()
    try:
        entry = ingest(folder, cache_dir, progress=say)
    except (DatasetFolderError, CacheError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    # what every server start asks first is computed once, here (read back when it is kept already)
    say("counting the filter options", None)
    try:
        options = keep_filter_options(entry)
    except Exception as exc:  # DuckDB's own errors (a full disk, memory): the server counts them at its start instead
        print(f"warning: the filter options were not kept ({type(exc).__name__}: {exc})", file=sys.stderr)
    else:
        say("counting the filter options", sum(len(values) for values in options.values()))
    # and so is what the Timeline's cascade section opens on (the largest thread, the picker's statements)
    say("listing the cascade picker's statements", None)
    try:
        _, picked = keep_picker_answers(entry)
    except Exception as exc:  # as above: the server asks them when the section is first opened
        print(f"warning: the cascade picker's statements were not kept ({type(exc).__name__}: {exc})", file=sys.stderr)
    else:
        say("listing the cascade picker's statements", 0 if picked is None else len(picked))
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


def check_url(url: str) -> int:
    """Validate tables already in a database, where they are: problems by table, row key and column; exit 1 if any."""
    from claimscope.engine.check import NOT_CHECKED, check_engine
    from claimscope.engine.connection import Engine, EngineError

    try:
        engine = Engine.from_url(url)
    except EngineError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        problems = check_engine(engine)
    finally:
        engine.close()
    for problem in problems:
        print(problem)
    print(f"{engine.description}: " + ("clean" if not problems else f"{len(problems)} rule(s) broken"), file=sys.stderr)
    print("not checked in a database: " + "; ".join(NOT_CHECKED), file=sys.stderr)
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m claimscope", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("validate", help="validate a dataset folder")
    check.add_argument("folder", nargs="?", default=DEFAULT_DIR)
    sheet = commands.add_parser(
        "import",
        help="turn a spreadsheet or CSV with its own headers, country names and written dates into a dataset folder",
        description="Headers are matched to the contract's fields by their usual names; country names become codes; written "
        "dates become ISO dates at their precision; claim_ids are made when there are none. Anything ambiguous is listed "
        "(exit 1) until a flag answers it. The mapping used is written to OUT_DIR/import-mapping.json.",
    )
    sheet.add_argument("file", help="the .csv or .xlsx file")
    sheet.add_argument("out_dir", help="the dataset folder to write (empty, or --overwrite)")
    sheet.add_argument("--sheet", help="the sheet to read, when the workbook has several")
    sheet.add_argument("--header-row", type=int, help="the sheet's header row (default: the first row with two cells filled)")
    sheet.add_argument("--column", action="append", metavar="FIELD=HEADER", help="the column that holds a field (repeatable)")
    order = sheet.add_mutually_exclusive_group()
    order.add_argument("--dayfirst", action="store_true", help="dates such as 03/04/2024 are day first (3 April)")
    order.add_argument("--monthfirst", action="store_true", help="dates such as 03/04/2024 are month first (March 4)")
    sheet.add_argument(
        "--country", action="append", metavar="NAME=CODE", help="the code of a name typed in the sheet (repeatable)"
    )
    sheet.add_argument(
        "--value",
        action="append",
        metavar="FIELD:TEXT=VALUE",
        help="the contract's value for a typed one, e.g. stance:positive=support",
    )
    sheet.add_argument(
        "--kind", choices=("claim", "reaction"), help="the kind of every row when no column holds it (default claim)"
    )
    sheet.add_argument("--mapping", help="a mapping written by an earlier import (import-mapping.json)")
    sheet.add_argument(
        "--set-aside", action="store_true", help="write the dataset even with rows in question (they are set aside)"
    )
    sheet.add_argument("--overwrite", action="store_true", help="replace the dataset files already in OUT_DIR")
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
    check_db = commands.add_parser(
        "check", help="validate tables already in a database (by URL) where they are; problems by row key"
    )
    check_db.add_argument("url", help="an Ibis connection URL whose tables are in the contract's shape")
    args = parser.parse_args(argv)
    try:
        if args.command == "validate":
            return validate(args.folder)
        if args.command == "import":
            return import_sheet(args)
        if args.command == "dictionary":
            return dictionary()
        if args.command == "coverage":
            return write_coverage(args.folder, args.write)
        if args.command == "ingest":
            return ingest_folder(args.folder, args.cache_dir)
        if args.command == "check":
            return check_url(args.url)
        if args.command == "load":
            return load_folder_into(args.folder, args.into, args.cache_dir)
        return write_datapackage(args.folder)
    except Exception as exc:  # the promise is: never a traceback
        print(f"error: unexpected failure: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
