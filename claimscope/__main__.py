"""Command line: ``python -m claimscope validate [DIR]``, ``dictionary``, ``datapackage [DIR]``, ``coverage [DIR]``.

``validate`` prints every problem as ``file:line:column: message`` and exits 0 when the dataset is
clean, 1 when it found problems, 2 when the folder cannot be read. It never shows a traceback.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
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
    args = parser.parse_args(argv)
    try:
        if args.command == "validate":
            return validate(args.folder)
        if args.command == "dictionary":
            return dictionary()
        if args.command == "coverage":
            return write_coverage(args.folder, args.write)
        return write_datapackage(args.folder)
    except Exception as exc:  # the promise is: never a traceback
        print(f"error: unexpected failure: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
