"""Shared fixtures: the repo root, the curated data folder, and the small datasets of tests/datasets.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.datasets import foreign_dataset, hostile_dataset

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"


@pytest.fixture(scope="session")
def foreign_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return foreign_dataset(tmp_path_factory.mktemp("foreign"))


@pytest.fixture(scope="session")
def hostile_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return hostile_dataset(tmp_path_factory.mktemp("hostile"))
