"""The second synthetic generator (claimscope.synth_threads): a valid dataset with deep reaction threads."""

from __future__ import annotations

import pandas as pd
import pytest

from claimscope import synth_threads
from claimscope.ingest.dataset import load_folder
from claimscope.views.cascade import reaction_cascade, threads


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    return load_folder(synth_threads.write(tmp_path_factory.mktemp("threads") / "threads-500", 500, seed=3))


def depths(claims: pd.DataFrame) -> dict[str, int]:
    """Steps from each claim up its responds_to chain to the root (a claim or an event)."""
    parent = dict(zip(claims["claim_id"].astype(str), claims["responds_to"].astype(object).fillna("").astype(str), strict=True))
    found: dict[str, int] = {}
    for claim_id in parent:
        steps, node, seen = 0, claim_id, {claim_id}
        while parent.get(node):
            node = parent[node]
            assert node not in seen, f"responds_to loops through {node}"
            seen.add(node)
            steps += 1
        found[claim_id] = steps
    return found


def test_validates_clean(dataset):
    assert dataset.problems == []
    for name in ("claims.csv", "actors.csv", "countries.csv", "sources.csv", "events.csv", "relations.csv"):
        report = dataset.reports[name]
        assert report.present and report.rows_read == report.rows_accepted > 0, name
    assert len(dataset.claims) == 500
    assert dataset.texts, "some sources keep their text"


def test_threads_are_deep_and_bounded(dataset):
    found = depths(dataset.claims)
    deepest = max(found.values())
    assert synth_threads.MAX_DEPTH >= deepest >= 3
    # the app's cascade finds the same depth from the deepest chain's root
    leaf = max(found, key=found.get)
    node, parent = leaf, dict(zip(dataset.claims["claim_id"], dataset.claims["responds_to"], strict=True))
    while parent.get(node):
        node = parent[node]
    cascade = reaction_cascade(dataset.claims, dataset.events, node)
    assert cascade.nodes["depth"].max() == deepest
    assert leaf in set(cascade.nodes["node_id"])


def test_reactions_answer_claims_and_events(dataset):
    answered = set(threads(dataset.claims)["node_id"])
    assert answered & set(dataset.claims["claim_id"])
    assert answered & set(dataset.events["event_id"])
    reactions = dataset.claims["responds_to"].astype(str).str.strip() != ""
    assert (dataset.claims.loc[reactions, "kind"].astype(str) == "reaction").all()


def test_several_scripts_and_precisions(dataset):
    quotes = " ".join(dataset.claims["quote"].astype(str))
    for low, high in (("\u0400", "\u04ff"), ("\uac00", "\ud7a3"), ("\u4e00", "\u9fff"), ("a", "z")):
        assert any(low <= ch <= high for ch in quotes), (low, high)
    assert set(dataset.claims["date_precision"].astype(str)) == {"day", "month", "year"}


def test_deterministic_for_a_seed():
    first, _ = synth_threads.generate(200, seed=5)
    again, _ = synth_threads.generate(200, seed=5)
    other, _ = synth_threads.generate(200, seed=6)
    pd.testing.assert_frame_equal(first["claims.csv"], again["claims.csv"])
    assert not first["claims.csv"]["quote"].equals(other["claims.csv"]["quote"])
