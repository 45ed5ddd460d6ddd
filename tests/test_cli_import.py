"""``python -m claimscope import FILE OUT_DIR``, run as the analyst runs it: exit codes, the questions, the folder."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from claimscope.ingest.dataset import load_folder
from tests.datasets import csv_text
from tests.statements import ANALYST_HEADER, ROWS, analyst_csv, analyst_rows, analyst_workbook, statements

REPO = Path(__file__).resolve().parents[1]


def run_import(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "claimscope", "import", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"},
    )


@pytest.mark.parametrize(("name", "data"), [("statements.xlsx", analyst_workbook), ("statements.csv", analyst_csv)])
def test_the_analysts_sheet_becomes_a_dataset_that_validates_clean(tmp_path, name, data):
    source = tmp_path / name
    source.write_bytes(data())
    out = tmp_path / "dataset"
    result = run_import(str(source), str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""
    assert "Date (A) → date" in result.stderr if name.endswith(".xlsx") else "Date → date" in result.stderr
    assert "Traceback" not in result.stderr
    dataset = load_folder(out)
    assert dataset.is_valid and len(dataset.claims) == ROWS
    assert list(dataset.claims["speaker_country"]) == [s["speaker_country"] for s in statements()]
    mapping = json.loads((out / "import-mapping.json").read_text(encoding="utf-8"))
    assert mapping["columns"]["quote"] == "Statement"
    validate = subprocess.run(
        [sys.executable, "-m", "claimscope", "validate", str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"},
    )
    assert validate.returncode == 0 and validate.stdout == ""


def test_questions_are_listed_exit_1_and_nothing_is_written_until_flags_answer_them(tmp_path):
    rows = analyst_rows()
    rows[2]["Date"], rows[4]["Country"], rows[6]["Date"] = "03/04/2024", "Korea", "04/05/2024"
    source = tmp_path / "may.csv"
    source.write_text(csv_text(ANALYST_HEADER, rows), encoding="utf-8")
    out = tmp_path / "dataset"
    asked = run_import(str(source), str(out))
    assert asked.returncode == 1
    assert asked.stdout.splitlines() == [
        "may.csv:4:Date: '03/04/2024' could be 3 April 2024 or March 4, 2024: say which order the sheet uses (day first or month first)",
        "may.csv:6:Country: 'Korea' could be KOR or PRK: say which code it is",
        "may.csv:8:Date: '04/05/2024' could be 4 May 2024 or April 5, 2024: say which order the sheet uses (day first or month first)",
    ]
    assert "nothing written" in asked.stderr and not out.exists()
    answered = run_import(str(source), str(out), "--monthfirst", "--country", "Korea=KOR")
    assert answered.returncode == 0, answered.stdout + answered.stderr
    claims = load_folder(out).claims
    assert list(claims["date"])[2] == "2024-03-04" and list(claims["speaker_country"])[4] == "KOR"
    # next month's sheet, with the mapping the first import wrote: the same answers, no flag
    rows.append({**rows[0], "Statement": "A new statement.", "Date": "07/08/2025", "Country": "Korea"})
    source.write_text(csv_text(ANALYST_HEADER, rows), encoding="utf-8")
    again = run_import(str(source), str(tmp_path / "june"), "--mapping", str(out / "import-mapping.json"))
    assert again.returncode == 0, again.stdout + again.stderr
    june = load_folder(tmp_path / "june").claims
    assert len(june) == len(rows) and list(june["date"])[-1] == "2025-07-08"
    assert set(claims["claim_id"]) <= set(june["claim_id"])  # the statements already imported keep their ids


def test_set_aside_writes_the_dataset_and_still_exits_1(tmp_path):
    rows = analyst_rows()[:5]
    rows[1]["Date"] = "sometime in 2024"
    source = tmp_path / "s.csv"
    source.write_text(csv_text(ANALYST_HEADER, rows), encoding="utf-8")
    result = run_import(str(source), str(tmp_path / "out"), "--set-aside")
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "s.csv:3:Date: 'sometime in 2024' is not a date claimscope can read: write it as 2024-06-19, 19 June 2024, "
        "June 19, 2024, June 2024 or 2024"
    ]
    dataset = load_folder(tmp_path / "out")
    assert len(dataset.claims) == 4 and dataset.set_aside[0].rows_rejected == 1


def files(**contents: bytes | str):
    """A setup that writes these files (a name ending in / is a folder)."""

    def write(folder: Path) -> None:
        for name, content in contents.items():
            path = folder / name.replace("__", "/")
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")

    return write


@pytest.mark.parametrize(
    ("setup", "args", "code", "fragment"),
    [
        (files(), ["missing.csv", "out"], 2, "No such file"),
        (files(**{"notes.txt": "x"}), ["notes.txt", "out"], 2, "give a .csv or .xlsx file"),
        (files(**{"s.xlsx": b"not a workbook"}), ["s.xlsx", "out"], 1, "s.xlsx:1:-: not an .xlsx workbook"),
        (files(**{"old.xls": b"\xd0\xcf\x11\xe0"}), ["old.xls", "out"], 1, "save it as .xlsx"),
        (files(**{"s.csv": analyst_csv(), "out__x": "x"}), ["s.csv", "out"], 2, "is not empty"),
        (files(**{"s.csv": analyst_csv()}), ["s.csv", "out", "--country", "Korea"], 2, "write it as KEY=VALUE"),
        (files(**{"s.csv": analyst_csv(), "m.json": "[]"}), ["s.csv", "out", "--mapping", "m.json"], 1, "must be a JSON object"),
        (files(**{"s.csv": analyst_csv()}), ["s.csv", "out", "--mapping", "m.json"], 2, "No such file"),
        (files(**{"s.csv": analyst_csv()}), ["s.csv", "out", "--sheet", "X"], 0, ""),  # a CSV has no sheets
        (files(**{"s.xlsx": analyst_workbook()}), ["s.xlsx", "out", "--sheet", "Other"], 1, "the workbook has no sheet 'Other'"),
    ],
)
def test_bad_input_gets_a_message_never_a_traceback(tmp_path, setup, args, code, fragment):
    setup(tmp_path)
    result = run_import(*[str(tmp_path / a) if i < 2 or a.endswith(".json") else a for i, a in enumerate(args)])
    assert result.returncode == code, result.stdout + result.stderr
    assert fragment in result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
