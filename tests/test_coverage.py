"""Coverage figures of a dataset (docs/coverage.md): threads, own analysis, quarters, source kinds."""

from __future__ import annotations

import contextlib
import io

import pandas as pd
import pytest

from claimscope.__main__ import main
from claimscope.ingest.coverage import coverage, coverage_markdown, thread_depth
from claimscope.ingest.dataset import load_dataset
from tests.conftest import DATA_DIR, ROOT
from tests.datasets import CLAIM_COLUMNS, csv_text

SOURCE_COLUMNS = ["source_id", "title", "publisher", "published", "url", "license", "text", "note", "kind"]


def claim(claim_id: str, date: str, speaker: str, country: str, responds_to: str = "", **extra: str) -> dict:
    kind = "reaction" if responds_to else "claim"
    return {
        "claim_id": claim_id,
        "date": date,
        "speaker": speaker,
        "speaker_country": country,
        "kind": kind,
        "quote": f"words of {claim_id}",
        "responds_to": responds_to,
        "attribution": "direct_quote",
        **extra,
    }


def build(claims: list[dict], sources: list[dict] | None = None):
    files = {"claims.csv": csv_text([*CLAIM_COLUMNS], claims).encode()}
    if sources is not None:
        files["sources.csv"] = csv_text(SOURCE_COLUMNS, sources).encode()
    dataset = load_dataset(files)
    assert dataset.is_valid, dataset.problems
    return dataset


@pytest.mark.parametrize(
    ("edges", "expected"),
    [
        ({"a": ""}, {"a": 0}),
        ({"a": "", "b": "a"}, {"a": 0, "b": 1}),
        ({"a": "", "b": "a", "c": "b", "d": "c"}, {"a": 0, "b": 1, "c": 2, "d": 3}),
        ({"a": "", "b": "a", "c": "a", "d": "c"}, {"a": 0, "b": 1, "c": 1, "d": 2}),
        ({"a": "ev-1", "b": "a"}, {"a": 1, "b": 2}),  # an event is a root: answering it is depth 1
        ({"a": "b", "b": "a"}, None),  # a cycle stops at the pass limit instead of looping for ever
    ],
)
def test_thread_depth(edges, expected):
    frame = pd.DataFrame({"claim_id": list(edges), "responds_to": list(edges.values())})
    depth = dict(zip(frame["claim_id"], thread_depth(frame), strict=True))
    if expected is None:
        assert all(d >= 1 for d in depth.values())
    else:
        assert depth == expected


def test_coverage_counts_stakeholders_quarters_and_source_kinds():
    claims = [
        claim("a", "2023-09-13", "Putin", "RUS", source_id="s1"),
        claim("b", "2023-09-14", "Kirby", "USA", "a", source_id="s2"),
        claim("c", "2023-10", "Peskov", "RUS", "b", source_id="s2"),
        claim("d", "2024", "Wong", "AUS", source_id="s3"),
        {**claim("e", "2025-04-28", "The outlet", ""), "attribution": "unattributed"},
    ]
    sources = [
        {"source_id": "s1", "kind": "official"},
        {"source_id": "s2", "kind": "wire"},
        {"source_id": "s3", "kind": "wire"},
        {"source_id": "s4"},
    ]
    report = coverage(build(claims, sources))
    assert report.statements == 5 and report.own_analysis == 1 and report.stakeholder_statements == 4
    assert report.speakers == 4 and report.speaker_countries == 3
    assert report.share_day == pytest.approx(2 / 4)
    assert (report.reactions, report.deep_threads, report.max_depth) == (2, 1, 2)
    assert dict(zip(report.per_quarter["quarter"], report.per_quarter["statements"], strict=True)) == {
        "2023Q3": 2,
        "2023Q4": 1,
        "year only": 1,
    }
    assert "2023Q3" not in report.empty_quarters and "2024Q1" in report.empty_quarters
    kinds = report.sources_per_kind.set_index("kind")
    assert kinds.loc["wire", "sources"] == 2 and kinds.loc["wire", "statements"] == 3
    assert kinds.loc["(not given)", "sources"] == 1 and kinds.loc["official", "statements"] == 1
    markdown = coverage_markdown(report)
    assert "| statements by stakeholders (not the source's own analysis) | ≥ 300 | 4 | **no** |" in markdown


def test_committed_coverage_table_follows_the_data():
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        main(["coverage", str(DATA_DIR)])
    assert out.getvalue().strip() == (ROOT / "docs" / "coverage.md").read_text(encoding="utf-8").strip(), (
        "docs/coverage.md is behind data/: run `python -m claimscope coverage data --write docs/coverage.md`"
    )
