"""The Country relations page's queries (claimscope.queries.relations) held to the pandas reference (claimscope.views.relations).

Every query runs on every dataset × engine of tests/query_engines.py under several filters, and must
give what the reference gives on the pandas-filtered claims: the pairs (less the reference's full id
lists, which the engine does not bring back), the matrix and map derived from them, the hover's latest
statements and the statements behind a pair.
"""

from __future__ import annotations

import re
from collections import Counter

import ibis
import pandas as pd
import pytest

from claimscope.engine.connection import Engine
from claimscope.figures.network import curated_figure, network_figure
from claimscope.filters import Filters
from claimscope.ingest.dataset import Dataset, load_folder, short_country_names
from claimscope.queries import Scope
from claimscope.queries import relations as queries
from claimscope.text import escape_plotly
from claimscope.views import relations as reference
from tests.conftest import DATA_DIR
from tests.datasets import CLAIM_COLUMNS, FOREIGN_CLAIMS, csv_text, foreign_dataset
from tests.query_engines import query_case  # noqa: F401

FILTER_NAMES = ["none", "stance", "country", "about", "authors", "text", "nothing"]


def case_filters(dataset: Dataset, name: str) -> Filters:
    """Filters that keep something on this dataset (derived from its claims), and one that keeps nothing."""
    claims = dataset.claims
    if name == "none":
        return Filters()
    if name == "stance":
        return Filters(stance=("oppose",))
    if name == "country":
        counts = Counter(c for c in claims["speaker_country"] if isinstance(c, str) and c)
        return Filters(country=(min(counts, key=lambda c: (-counts[c], c)),))
    if name == "about":
        counts = Counter(code for codes in claims["about"] if codes is not None for code in codes)
        return Filters(about=(min(counts, key=lambda c: (-counts[c], c)),))
    if name == "authors":
        return Filters(authors="exclude")
    if name == "text":  # the longest word of the summary of the first statement that makes a pair
        paired = claims.loc[(claims["speaker_country"].fillna("") != "") & (claims["about"].list.len() > 0)]
        words = re.findall(r"\w+", str(paired["summary"].iloc[0]))
        return Filters(q=max(words, key=len))
    if name == "nothing":
        return Filters(q="no statement says this-zzqx")
    raise ValueError(name)


def reference_pairs(claims: pd.DataFrame) -> pd.DataFrame:
    """The reference's pairs without the full id lists (the engine leaves them out)."""
    return reference.statement_pairs(claims).drop(columns="claim_ids")


@pytest.mark.parametrize("name", FILTER_NAMES)
def test_pairs_matrix_and_map_match_the_reference(query_case, name):  # noqa: F811
    filters = case_filters(query_case.dataset, name)
    claims = query_case.reference(filters)
    scope = Scope(query_case.engine, filters)
    got, want = queries.statement_pairs(scope), reference_pairs(claims)
    pd.testing.assert_frame_equal(got, want)
    if name == "none":  # the filters keep something: the comparison compared rows
        assert len(want) > 0
    got_matrix, want_matrix = reference.pair_matrix(got, 30), reference.pair_matrix(want, 30)
    for got_part, want_part in zip(got_matrix, want_matrix, strict=True):
        if isinstance(want_part, pd.DataFrame):
            pd.testing.assert_frame_equal(got_part, want_part)
        else:
            assert got_part == want_part
    countries = query_case.dataset.countries
    got_map, got_left = reference.with_coordinates(reference.top_pairs(got, 60), countries)
    want_map, want_left = reference.with_coordinates(reference.top_pairs(want, 60), countries)
    pd.testing.assert_frame_equal(got_map, want_map)
    assert got_left == want_left


def test_pairs_are_cut_to_the_heaviest_and_counted(query_case):  # noqa: F811
    scope = Scope(query_case.engine, Filters())
    want = reference_pairs(query_case.reference(Filters()))
    cut = queries.statement_pairs(scope, limit=3)
    pd.testing.assert_frame_equal(cut, want.head(3))
    assert queries.pair_count(scope) == len(want)


@pytest.mark.parametrize("name", ["none", "country", "text", "nothing"])
def test_pairs_come_with_the_lines_of_their_latest_statements(query_case, name):  # noqa: F811
    filters = case_filters(query_case.dataset, name)
    claims = query_case.reference(filters)
    pairs, lines = queries.pairs_with_lines(Scope(query_case.engine, filters))
    want = reference_pairs(claims)
    pd.testing.assert_frame_equal(pairs, want)
    assert lines == reference.statement_lines(claims, list(want["latest_id"]))
    assert set(lines) == set(want["latest_id"])


@pytest.mark.parametrize("name", ["none", "stance", "text"])
@pytest.mark.parametrize("limit", [3, 2000])
def test_the_statements_behind_a_pair_match_the_reference(query_case, name, limit):  # noqa: F811
    filters = case_filters(query_case.dataset, name)
    claims = query_case.reference(filters)
    full = reference.statement_pairs(claims)
    if full.empty:
        pytest.skip("these filters keep no pair")
    scope = Scope(query_case.engine, filters)
    for index in {0, len(full) - 1}:  # the heaviest pair and the lightest
        pair = (full["from"].iloc[index], full["to"].iloc[index])
        ids = full["claim_ids"].iloc[index]
        want = claims.loc[claims["claim_id"].isin(ids), queries.STATEMENT_COLUMNS].head(limit).reset_index(drop=True)
        got = queries.pair_statements(scope, pair, limit)
        pd.testing.assert_frame_equal(got, want)
        assert len(got) == min(limit, full["statements"].iloc[index])


def edge_case_dataset(folder) -> Dataset:
    """The foreign dataset with claims that test the rules: a code twice in one statement, three codes with a
    repeat, ties on the date (the later line wins), a year-only date, no speaker country, no stance."""
    template = FOREIGN_CLAIMS[0]
    rows = [
        ("e1", "2023-03-05", "RUS", "BLR;BLR", "support"),
        ("e2", "2023-03-05", "RUS", "BLR;KOR;BLR", "oppose"),
        ("e3", "2023-03-05", "RUS", "KOR;BLR", ""),
        ("e4", "2023", "RUS", "KOR", "concern"),
        ("e5", "2023-03-05", "", "BLR", "support"),
        ("e6", "2023-02-01", "KOR", "RUS;RUS;RUS", "neutral"),
        ("e7", "2023-02", "KOR", "RUS", "neutral"),
    ]
    claims = [
        {
            **template,
            "claim_id": cid,
            "date": date,
            "speaker_country": country,
            "about": about,
            "stance": stance,
            "attribution": "paraphrase" if country else "unattributed",
        }
        for cid, date, country, about, stance in rows
    ]
    foreign_dataset(folder)
    (folder / "claims.csv").write_text(csv_text(CLAIM_COLUMNS, claims), encoding="utf-8")
    loaded = load_folder(folder)
    assert len(loaded.claims) == len(rows)
    return loaded


def test_repeated_codes_count_once_and_the_later_line_wins_a_tie(tmp_path):
    dataset = edge_case_dataset(tmp_path / "edge")
    engine = Engine.from_dataset(dataset)
    try:
        got = queries.statement_pairs(Scope(engine, Filters()))
    finally:
        engine.close()
    want = reference_pairs(dataset.claims)
    pd.testing.assert_frame_equal(got, want)
    by_pair = got.set_index(["from", "to"])
    assert by_pair.loc[("RUS", "BLR"), "statements"] == 3  # e1, e2 (each once), e3
    assert by_pair.loc[("RUS", "BLR"), "latest_id"] == "e3"  # the same day as e1 and e2, a later line
    assert by_pair.loc[("KOR", "RUS"), "statements"] == 2
    assert by_pair.loc[("KOR", "RUS"), "latest_id"] == "e7"  # 2023-02 starts on 2023-02-01, e6's day: the later line
    assert by_pair.loc[("RUS", "KOR"), "latest_id"] == "e3"  # 2023 (e4) starts before 2023-03-05
    assert by_pair.loc[("RUS", "KOR"), "unlabelled"] == 1


@pytest.fixture(scope="module")
def curated_scope():
    engine = Engine.from_dataset(load_folder(DATA_DIR))
    yield Scope(engine, Filters(stance=("oppose",), q="missile"))
    engine.close()


@pytest.mark.parametrize("dialect", ["bigquery", "snowflake", "trino"])
def test_the_page_queries_compile_for_other_warehouses(curated_scope, dialect):
    expressions = [
        queries.pairs_expr(curated_scope).order_by([ibis.desc("statements"), "from", "to"]),
        queries.pair_rows(curated_scope).select("from", "to").distinct().count(),
        queries.pairs_expr(curated_scope, lines=True),
        queries.pair_statements_expr(curated_scope, ("RUS", "PRK")),
    ]
    for expr in expressions:
        assert "SELECT" in str(ibis.to_sql(expr, dialect=dialect)).upper()


def test_the_network_of_the_engine_pairs_labels_every_node_once(query_case):  # noqa: F811
    """The page's network and curated figures from the engine's pairs: one label per node drawn, at the node, then the key."""
    countries = query_case.dataset.countries
    pairs = queries.statement_pairs(Scope(query_case.engine, Filters()))
    shown = reference.top_pairs(pairs, 60)
    curated = reference.curated_relations(query_case.dataset.relations)
    shorts = short_country_names(countries)
    for figure, nodes, positions in drawn_networks(shown, curated, countries, shorts):
        drawn = [c for c in nodes["code"] if c in positions]
        nodes_drawn = [trace for trace in figure.data if (trace.meta or {}).get("role") == "nodes"]
        labels = [(x, y, text) for trace in nodes_drawn for x, y, text in zip(trace.x, trace.y, trace.text, strict=True)]
        assert len(labels) == len(drawn) > 0
        by_place = {(x, y): text for x, y, text in labels}
        assert by_place == {positions[c]: escape_plotly(shorts.get(c, c), limit=20) for c in drawn}
        marked = [c for trace in nodes_drawn for (c,) in trace.customdata]
        assert sorted(marked) == sorted(drawn)


def drawn_networks(shown: pd.DataFrame, curated: pd.DataFrame, countries: pd.DataFrame, shorts: dict[str, str]):
    """The statement network (when a pair is between two countries) and the curated one (when it has relations)."""
    between = shown.loc[shown["from"] != shown["to"]]
    if not between.empty:
        nodes = reference.node_table(between, None, countries)
        positions = reference.layout(list(zip(between["from"], between["to"], strict=True)), list(nodes["code"]))
        figure = network_figure(between, positions, nodes, short_names=shorts)
        assert figure.layout.annotations[-1].text.startswith("Nodes:")  # the key comes after the labels
        yield figure, nodes, positions
    if not curated.empty:
        nodes = reference.node_table(shown, curated, countries)
        edges = list(zip(shown["from"], shown["to"], strict=True)) + list(zip(curated["from"], curated["to"], strict=True))
        positions = reference.layout(edges, list(nodes["code"]))
        figure = curated_figure(curated, positions, nodes, short_names=shorts)
        if figure.data:
            yield figure, nodes, positions
