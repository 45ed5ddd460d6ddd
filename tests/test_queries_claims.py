"""The Claims page's queries (claimscope.queries.claims) give what the pandas reference gives, on every engine."""

from __future__ import annotations

import ibis
import pandas as pd
import pytest

from claimscope.engine.cache import contract_schema
from claimscope.engine.connection import Engine
from claimscope.engine.filters import filtered
from claimscope.filters import Filters
from claimscope.queries import Scope
from claimscope.queries import claims as queries
from claimscope.queries import options as option_queries
from claimscope.schema import CLAIMS
from claimscope.views import provenance as reference
from claimscope.views import table as reference_table
from tests.query_engines import query_case  # noqa: F401
from tests.test_queries_overview import DIALECTS, FILTER_NAMES, sample_filters, tied_dataset


def same_record(got: dict | None, expected: dict | None) -> bool:
    """Two rows as dicts are the same: the same keys in the same order, equal values of the same Python types."""
    if got is None or expected is None:
        return got is expected
    return list(got) == list(expected) and all(same_value(got[k], expected[k]) for k in expected)


def same_value(a: object, b: object) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, list):
        return a == b
    return bool((pd.isna(a) and pd.isna(b)) or a == b)


@pytest.mark.parametrize("name", FILTER_NAMES)
def test_table_pages_match_the_reference(query_case, name):  # noqa: F811
    filters = sample_filters(query_case.dataset, name)
    claims = query_case.reference(filters)
    scope = Scope(query_case.engine, filters)
    if len(claims) <= reference_table.FULL_TABLE_ROWS:
        # the page as the Claims page asks for it when the rows fit in one table: every row, dataset order
        unpaged = reference_table.table_page(claims, page_rows=max(1, len(claims)))
        pd.testing.assert_frame_equal(queries.table_page(scope, page_rows=max(1, len(claims))), unpaged)
    pages = reference_table.page_count(len(claims))
    # the first page, one past the last (clamped to it), and a middle page of a small size
    for page, page_rows in ((1, reference_table.PAGE_ROWS), (pages + 5, reference_table.PAGE_ROWS), (2, 37)):
        for sort in reference_table.SORTS:
            expected = reference_table.table_page(claims, sort, page, page_rows)
            got = queries.table_page(scope, sort, page, page_rows)
            pd.testing.assert_frame_equal(got, expected, obj=f"{sort}, page {page} of {page_rows}")


def test_table_page_rows_are_bounded(query_case):  # noqa: F811
    scope = Scope(query_case.engine, Filters())
    assert len(queries.table_page(scope, page_rows=10**9)) <= reference_table.FULL_TABLE_ROWS


@pytest.mark.parametrize("name", FILTER_NAMES)
def test_picker_ids_match_the_reference(query_case, name):  # noqa: F811
    filters = sample_filters(query_case.dataset, name)
    claims = query_case.reference(filters)
    scope = Scope(query_case.engine, filters)
    for limit in (1, 25, queries.MAX_PICKER_OPTIONS):
        assert queries.picker_ids(scope, limit) == list(claims["claim_id"][:limit])


def some_ids(claims: pd.DataFrame) -> list[str]:
    """The first, a middle and the last claim; those most answered; those that answer something."""
    ids = [claims["claim_id"].iloc[i] for i in (0, len(claims) // 2, len(claims) - 1)]
    answered = claims["responds_to"].loc[claims["responds_to"] != ""].value_counts()
    ids += [i for i in answered.index[:4] if i in set(claims["claim_id"])]
    ids += list(claims["claim_id"].loc[claims["responds_to"] != ""].iloc[:4])
    return list(dict.fromkeys(ids))


def test_claim_detail_matches_the_reference(query_case):  # noqa: F811
    dataset = query_case.dataset
    # the detail reads every claim, the filters do not hide the selected one
    scope = Scope(query_case.engine, Filters(q="zqxj-no-statement-says-this"))
    for claim_id in some_ids(dataset.claims):
        expected = reference.record(dataset.claims, "claim_id", claim_id)
        claim = queries.claim_record(scope, claim_id)
        assert same_record(claim, expected), claim_id
        assert option_queries.claim_exists(scope, claim_id)
        assert queries.responds_to(scope, dataset.events, claim) == reference.responds_to(dataset, expected), claim_id
        reactions = queries.reactions_to(scope, claim)
        assert reactions.links == reference.reactions_to(dataset, claim_id), claim_id
        assert reactions.total == len(reactions.links) and reactions.more == 0
    assert queries.claim_record(scope, "no-such-claim") is None
    assert not option_queries.claim_exists(scope, "no-such-claim")
    assert queries.claim_record(scope, "") is None


def test_a_long_list_of_reactions_is_cut_and_counted(query_case):  # noqa: F811
    dataset = query_case.dataset
    answered = dataset.claims["responds_to"].loc[dataset.claims["responds_to"].isin(set(dataset.claims["claim_id"]))]
    if answered.empty:
        pytest.skip("no claim of this dataset is answered by another")
    claim_id = answered.value_counts().index[0]
    scope = Scope(query_case.engine, Filters())
    expected = reference.reactions_to(dataset, claim_id)
    reactions = queries.reactions_to(scope, queries.claim_record(scope, claim_id), limit=1)
    assert reactions.links == expected[:1]
    assert reactions.total == len(expected) and reactions.more == len(expected) - 1


def test_reactions_of_one_day_keep_dataset_order_in_the_reference_and_the_engine(tmp_path):
    dataset = tied_dataset(tmp_path)
    reactions = dataset.claims.loc[dataset.claims["responds_to"] == "root"]
    first = reactions["date_start"] == reactions["date_start"].min()
    # the month-precise ones start first (on the 1st), then the others: each group in dataset order
    expected = [*reactions.loc[first, "claim_id"], *reactions.loc[~first, "claim_id"]]
    assert [link.id for link in reference.reactions_to(dataset, "root")] == expected
    engine = Engine.from_dataset(dataset)
    try:
        scope = Scope(engine, Filters())
        assert [link.id for link in queries.reactions_to(scope, queries.claim_record(scope, "root")).links] == expected
    finally:
        engine.close()


def test_the_stance_sort_follows_the_closed_list_not_the_alphabet(tmp_path):
    dataset = tied_dataset(tmp_path)
    engine = Engine.from_dataset(dataset)
    try:
        page = queries.table_page(Scope(engine, Filters()), "stance", 1, 5)
    finally:
        engine.close()
    pd.testing.assert_frame_equal(page, reference_table.table_page(dataset.claims, "stance", 1, 5))


# --- every query compiles for the warehouses -----------------------------------------------------------------------


def claims_expressions(claims, everything) -> dict[str, ibis.Expr]:
    page_rows = reference_table.PAGE_ROWS
    expressions = {f"page {sort}": queries.page_expr(claims, sort, 3, page_rows, everything) for sort in reference_table.SORTS}
    return expressions | {
        "picker": queries.picker_expr(claims).limit(queries.MAX_PICKER_OPTIONS),
        "by id": queries.by_id_expr(claims, "it's-1").limit(1),
        "reactions": queries.reactions_expr(claims, "it's-1", queries.MAX_REACTIONS + 1),
        "reactions counted": queries.answers_expr(claims, "x").count(),
    }


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize("filters", [Filters(), Filters(stance=("oppose",), about=("RUS",), q="treaty")], ids=["all", "some"])
def test_claims_queries_compile_for_the_warehouses(dialect, filters):
    everything = ibis.table(contract_schema(CLAIMS), name="claims")
    for name, expr in claims_expressions(filtered(everything, filters), everything).items():
        sql = str(ibis.to_sql(expr, dialect=dialect))
        assert "SELECT" in sql.upper(), name
