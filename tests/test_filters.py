"""The filter model: URL parameters in, Filters and notices out; Filters in, matching rows out."""

from __future__ import annotations

import pandas as pd
import pytest

from claimscope.filters import (
    FILTER_PARAMS,
    Filters,
    apply_filters,
    filter_options,
    loosen_suggestions,
    parse_query_params,
)
from claimscope.ingest.dataset import load_folder
from tests.filter_cases import FOREIGN_FILTER_CASES


@pytest.fixture(scope="module")
def foreign(foreign_dir):
    return load_folder(foreign_dir)


def ids(frame: pd.DataFrame) -> list[str]:
    return list(frame["claim_id"])


@pytest.mark.parametrize(("filters", "expected"), FOREIGN_FILTER_CASES)
def test_apply_filters(foreign, filters, expected):
    assert ids(apply_filters(foreign.claims, filters)) == expected


def test_accents_are_ignored_both_ways():
    claims = pd.DataFrame({"claim_id": ["a", "b"], "_search": ["seoul a declare", "pyongyang"]})
    assert ids(apply_filters(claims, Filters(q="Déclaré"))) == ["a"]


def test_options_count_statements_most_first(foreign):
    options = filter_options(foreign.claims)
    assert options["stance"][0] == ("oppose", 2)
    assert dict(options["about"]) == {"BLR": 4, "RUS": 4}
    assert dict(options["kind"]) == {"reaction": 3, "claim": 2}
    assert set(options) == {p.param for p in FILTER_PARAMS}


@pytest.mark.parametrize(
    ("params", "expected", "notices"),
    [
        ({}, Filters(), 0),
        ({"speaker": ["外交部"], "stance": ["oppose", "support"]}, Filters(speaker=("外交部",), stance=("oppose", "support")), 0),
        ({"stance": "oppose"}, Filters(stance=("oppose",)), 0),  # a single value as a plain string
        ({"stance": ["oppose", "oppose"]}, Filters(stance=("oppose",)), 0),  # duplicates folded
        ({"stance": ["positive", "oppose"]}, Filters(stance=("oppose",)), 1),  # unknown value dropped, noticed
        ({"speaker": ["x" * 10_000]}, Filters(), 1),  # a 10 KB value
        ({"zzz": ["1"]}, Filters(), 1),  # unknown parameter
        ({"from": ["2024-13"]}, Filters(), 1),
        ({"from": ["2023-03"], "to": ["2023"]}, Filters(date_from="2023-03", date_to="2023"), 0),
        ({"from": ["2024"], "to": ["2023"]}, Filters(date_from="2024"), 1),  # to before from
        ({"q": ["  alarmed  "]}, Filters(q="alarmed"), 0),
        ({"q": ["y" * 400]}, Filters(), 1),
        ({"claim": ["eu-1"]}, Filters(claim="eu-1"), 0),
        ({"claim": ["nope"]}, Filters(), 1),
        ({"stance": [""]}, Filters(), 0),  # ?stance= clears
    ],
)
def test_parse_query_params(foreign, params, expected, notices):
    filters, messages = parse_query_params(params, filter_options(foreign.claims), frozenset(foreign.claims["claim_id"]))
    assert filters == expected
    assert filters.claim == expected.claim
    assert len(messages) == notices, messages


@pytest.mark.parametrize(
    "filters",
    [
        Filters(),
        Filters(speaker=("外交部", "G7 leaders"), about=("BLR",), date_from="2023-03", q="alarmed", claim="eu-1"),
        Filters(
            kind=("reaction",),
            stance=("oppose",),
            topic=("security",),
            type=("warning",),
            attribution=("paraphrase",),
            certainty=("asserted",),
            date_to="2023",
        ),
    ],
)
def test_url_round_trip(foreign, filters):
    params = filters.to_query_params()
    parsed, notices = parse_query_params(params, filter_options(foreign.claims), frozenset(foreign.claims["claim_id"]))
    assert (parsed, parsed.claim, notices) == (filters, filters.claim, [])


def test_describe_lists_each_active_filter():
    lines = Filters(speaker=("A", "B"), date_from="2024", q="x").describe()
    assert lines == ["Speaker: A, B", "Date: 2024 to …", "Text: x"]


def test_loosen_suggestions_counts(foreign):
    # clearing the speaker leaves the 2 'oppose' statements; clearing stance leaves 外交部's 1
    filters = Filters(speaker=("外交部",), stance=("oppose",))
    assert apply_filters(foreign.claims, filters).empty
    assert loosen_suggestions(foreign.claims, filters) == [("speaker", 2), ("stance", 1)]  # most rewarding first
