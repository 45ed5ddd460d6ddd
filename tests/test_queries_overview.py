"""The Overview page's queries (claimscope.queries.overview) give what the pandas reference gives, on every engine."""

from __future__ import annotations

import ibis
import pandas as pd
import pytest

from claimscope.engine.cache import contract_schema
from claimscope.engine.connection import Engine
from claimscope.engine.filters import filtered
from claimscope.filters import Filters
from claimscope.ingest.dataset import Dataset, fold_for_search, load_folder
from claimscope.queries import Scope
from claimscope.queries import overview as queries
from claimscope.schema import CLAIMS
from claimscope.views import overview as reference
from tests.datasets import CLAIM_COLUMNS, csv_text, write_dataset
from tests.query_engines import open_engine, query_case  # noqa: F401

FILTER_NAMES = ["none", "stance", "country", "authors", "text", "reactions", "nothing"]
DIALECTS = ["bigquery", "snowflake", "trino"]


def sample_filters(dataset: Dataset, name: str) -> Filters:
    """A filter of each kind, its value read from the dataset (the curated data changes; nothing is hard-coded)."""
    claims = dataset.claims
    if name == "stance":
        stances = claims["stance"].dropna().astype(str)
        return Filters(stance=(stances.mode().iloc[0] if len(stances) else "support",))
    if name == "country":
        countries = claims["speaker_country"].loc[claims["speaker_country"] != ""]
        return Filters(country=(str(countries.mode().iloc[0]),))
    if name == "authors":
        return Filters(authors="exclude")
    if name == "text":
        words = [w for w in fold_for_search(str(claims["quote"].iloc[len(claims) // 2])).split() if len(w) >= 5]
        return Filters(q=words[0] if words else "the")
    if name == "reactions":
        return Filters(kind=("reaction",))
    if name == "nothing":
        return Filters(q="zqxj-no-statement-says-this")
    return Filters()


@pytest.mark.parametrize("name", FILTER_NAMES)
def test_headline_counts_match_the_reference(query_case, name):  # noqa: F811
    filters = sample_filters(query_case.dataset, name)
    expected = reference.headline_counts(query_case.dataset, query_case.reference(filters))
    assert queries.headline_counts(Scope(query_case.engine, filters), query_case.dataset) == expected


@pytest.mark.parametrize("name", FILTER_NAMES)
def test_stance_by_country_matches_the_reference(query_case, name):  # noqa: F811
    filters = sample_filters(query_case.dataset, name)
    expected = reference.stance_by_country(query_case.reference(filters))
    pd.testing.assert_frame_equal(queries.stance_by_country(Scope(query_case.engine, filters)), expected)


@pytest.mark.parametrize("name", FILTER_NAMES)
@pytest.mark.parametrize("limit", [3, 10])
def test_most_active_speakers_match_the_reference(query_case, name, limit):  # noqa: F811
    filters = sample_filters(query_case.dataset, name)
    expected = reference.most_active_speakers(query_case.reference(filters), limit=limit)
    pd.testing.assert_frame_equal(queries.most_active_speakers(Scope(query_case.engine, filters), limit=limit), expected)


@pytest.mark.parametrize("name", FILTER_NAMES)
def test_latest_reactions_match_the_reference(query_case, name):  # noqa: F811
    filters = sample_filters(query_case.dataset, name)
    expected = reference.latest_reactions(query_case.reference(filters))
    got = queries.latest_reactions(Scope(query_case.engine, filters))
    pd.testing.assert_frame_equal(got, expected, check_index_type=not expected.empty)


# --- ties: the reference and the engine both keep dataset order --------------------------------------------------


def tied_dataset(tmp_path, reactions: int = 40) -> Dataset:
    """``reactions`` reactions that all end on the same day (an unstable sort would shuffle them), one claim they answer."""
    rows = [{"claim_id": "root", "date": "2024-06-01", "speaker": "Root", "speaker_country": "RUS", "kind": "claim"}]
    rows += [
        {
            "claim_id": f"r{(i * 7) % reactions:03d}",  # ids not in line order: the order cannot come from them
            "date": "2024-06-19" if i % 3 else "2024-06",  # month-precise ones end on the 30th, after the others
            "speaker": f"Speaker {i % 5}",
            "speaker_country": "USA",
            "kind": "reaction",
            "responds_to": "root",
        }
        for i in range(reactions)
    ]
    for r in rows:
        r |= {"quote": f"quote {r['claim_id']}", "summary": "s", "stance": "oppose", "attribution": "paraphrase"}
    folder = write_dataset(tmp_path / "tied", {"claims.csv": csv_text(CLAIM_COLUMNS, rows)})
    dataset = load_folder(folder)
    assert dataset.is_valid, dataset.problems
    return dataset


def test_latest_reactions_of_one_day_keep_dataset_order_in_the_reference_and_the_engine(tmp_path):
    dataset = tied_dataset(tmp_path)
    reactions = dataset.claims.loc[dataset.claims["kind"] == "reaction"]
    latest = reactions["date_end"] == reactions["date_end"].max()
    # the month-precise ones end last, then the others: each group in dataset order
    expected = [*reactions.loc[latest, "claim_id"], *reactions.loc[~latest, "claim_id"]][:20]
    assert list(reference.latest_reactions(dataset.claims, limit=20)["claim_id"]) == expected
    engine = Engine.from_dataset(dataset)
    try:
        assert list(queries.latest_reactions(Scope(engine, Filters()), limit=20)["claim_id"]) == expected
    finally:
        engine.close()


# --- every query compiles for the warehouses -----------------------------------------------------------------------


def overview_expressions(claims, everything) -> dict[str, ibis.Expr]:
    return {
        "headline": queries.headline_expr(claims),
        "countries": queries.country_count_expr(claims),
        "stance_counts": queries.stance_counts_expr(claims),
        "active": queries.active_expr(claims, 10),
        "latest": queries.latest_expr(claims, 8, everything),
    }


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize("filters", [Filters(), Filters(country=("RUS",), authors="exclude", q="treaty")], ids=["all", "some"])
def test_overview_queries_compile_for_the_warehouses(dialect, filters):
    everything = ibis.table(contract_schema(CLAIMS), name="claims")
    for name, expr in overview_expressions(filtered(everything, filters), everything).items():
        sql = str(ibis.to_sql(expr, dialect=dialect))
        assert "SELECT" in sql.upper(), name


@pytest.mark.parametrize(
    "dates",
    [
        ["2024-12", "1965", "2024", "1965-01-01", "2024-12-31", "1965-01", "2000-05-05"],
        ["2024-12-31", "1965-01", "2024-12", "1965", "2024", "1965-01-01", "1999"],
        ["2001-02-03"],
        ["2024-06-19", "2024-06"],
    ],
    ids=["ties at both ends, before 1970", "the same, other lines first", "one claim", "a month spans a day"],
)
@pytest.mark.parametrize("backend", ["memory", "postgres"])
def test_the_date_span_takes_the_first_line_among_claims_starting_or_ending_the_same_day(tmp_path, dates, backend):
    """The span's text is the first claim in file order among those starting on the earliest day (and ending on the
    latest), as the reference's idxmin/idxmax pick it, whatever the precision it is written with (PostgreSQL has no
    arg_min: Ibis orders an array there)."""
    rows = [
        {
            "claim_id": f"c{i}",
            "date": date,
            "speaker": f"Speaker {i}",
            "speaker_country": "USA",
            "kind": "claim",
            "quote": f"quote {i}",
            "summary": "s",
            "stance": "oppose",
            "attribution": "paraphrase",
        }
        for i, date in enumerate(dates)
    ]
    folder = write_dataset(tmp_path / "span", {"claims.csv": csv_text(CLAIM_COLUMNS, rows)})
    dataset = load_folder(folder)
    assert dataset.is_valid, dataset.problems
    expected = reference.headline_counts(dataset, dataset.claims)["span"]
    engine = Engine.from_dataset(dataset) if backend == "memory" else open_engine(folder, "postgres", tmp_path, "span")
    try:
        assert queries.headline_counts(Scope(engine, Filters()), dataset)["span"] == expected
    finally:
        engine.close()
