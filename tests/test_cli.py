"""``python -m claimscope validate``, run as the user runs it: a subprocess, exit codes, stdout lines."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.corpus_helpers import base_files, set_cell, write_folder

REPO = Path(__file__).resolve().parents[1]
CURATED_DATA = REPO / "data"


def run_validate(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "claimscope", "validate", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"},
    )


def test_clean_dataset_exits_0_and_prints_no_problem(tmp_path):
    folder = write_folder(base_files(), tmp_path / "clean")
    result = run_validate(str(folder))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""
    assert "clean" in result.stderr and "claims.csv 4/4" in result.stderr
    assert "Traceback" not in result.stderr


def test_broken_dataset_exits_1_and_prints_exactly_the_problems(tmp_path):
    files = base_files()
    set_cell(files, "claims.csv", 4, "stance", "positive")
    set_cell(files, "countries.csv", 2, "lat", "91")
    files["texts/seed.txt"] = files["texts/seed.txt"].replace(b"Kim called", b"Kim \xe9 called")
    folder = write_folder(files, tmp_path / "broken")
    result = run_validate(str(folder))
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "claims.csv:4:stance: 'positive' is not one of support, oppose, concern, neutral",
        "countries.csv:2:lat: '91' is outside -90 to 90",
        "sources.csv:2:text: 'texts/seed.txt' cannot be read: not valid UTF-8 (byte 0xE9 on line 4)",
        "texts/seed.txt:4:-: not valid UTF-8 (byte 0xE9); save it as UTF-8",
    ]
    assert "4 problem(s)" in result.stderr and "claims.csv 3/4" in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_folder_exits_2_with_a_message(tmp_path):
    result = run_validate(str(tmp_path / "nowhere"))
    assert result.returncode == 2
    assert result.stdout == ""
    assert "nowhere: no such folder" in result.stderr
    assert "Traceback" not in result.stderr


def test_file_instead_of_folder_exits_2_with_a_message(tmp_path):
    path = tmp_path / "claims.csv"
    path.write_bytes(base_files()["claims.csv"])
    result = run_validate(str(path))
    assert result.returncode == 2
    assert result.stdout == ""
    assert "claims.csv: not a folder" in result.stderr
    assert "Traceback" not in result.stderr


# --- the project's curated dataset ------------------------------------------------------------------
# CURATED DATA: /work/main/data is written by another engineer. This test validates the real
# curated dataset and deliberately FAILS (never skips) while data/ or data/claims.csv is missing
# or has problems: a release must not ship without it.


def test_CURATED_DATA_in_data_folder_validates_clean():
    assert (CURATED_DATA / "claims.csv").is_file(), f"the curated dataset is missing: {CURATED_DATA}/claims.csv"
    result = run_validate("data")
    assert result.stdout == "", "curated data has problems:\n" + result.stdout
    assert result.returncode == 0, result.stderr
