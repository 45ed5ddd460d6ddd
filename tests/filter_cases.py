"""The filter semantics as one table of cases on the foreign dataset (tests/datasets.py).

The pandas reference (``claimscope.filters.apply_filters``) and the query engine's compiler
(``claimscope.engine.filters``) must select the same claims: both test modules run this table.
"""

from __future__ import annotations

from claimscope.filters import Filters

#: (filters, the claim ids they select on the foreign dataset, in its order)
FOREIGN_FILTER_CASES: list[tuple[Filters, list[str]]] = [
    (Filters(), ["ru-1", "cn-1", "kr-1", "eu-1", "g7-1"]),
    (Filters(speaker=("外交部",)), ["cn-1"]),
    (Filters(speaker=("外交部", "G7 leaders")), ["cn-1", "g7-1"]),  # OR within a parameter
    (Filters(country=("EUU",)), ["eu-1"]),
    (Filters(about=("BLR",)), ["ru-1", "kr-1", "eu-1", "g7-1"]),  # list column: any item
    (Filters(about=("BLR", "RUS")), ["ru-1", "cn-1", "kr-1", "eu-1", "g7-1"]),
    (Filters(about=("BLR",), stance=("oppose",)), ["kr-1", "eu-1"]),  # AND across parameters
    (Filters(kind=("reaction",)), ["cn-1", "kr-1", "eu-1"]),
    (Filters(topic=("diplomacy",)), ["ru-1", "cn-1"]),
    (Filters(topic=("security",), about=("RUS",)), ["cn-1", "kr-1", "eu-1"]),
    (Filters(type=("concern",)), ["cn-1", "kr-1"]),
    (Filters(attribution=("direct_quote",)), ["ru-1"]),
    (Filters(certainty=("hedged", "speculative")), ["cn-1", "g7-1"]),
    # dates are intervals: 2023 (year) overlaps any range in 2023; 2023-03 overlaps 2023-03-06
    (Filters(date_from="2023-03-06", date_to="2023-03-06"), ["cn-1", "kr-1"]),
    (Filters(date_from="2023-03-07"), ["cn-1", "kr-1", "eu-1", "g7-1"]),
    (Filters(date_to="2023-03-04"), ["cn-1", "kr-1"]),
    (Filters(date_from="2023-04", date_to="2023-04"), ["kr-1", "g7-1"]),
    (Filters(date_from="2024"), []),
    # text: every word, case- and accent-insensitive, in quote, summary or speaker
    (Filters(q="ALARMED"), ["eu-1", "g7-1"]),
    (Filters(q="eu alarmed"), ["eu-1", "g7-1"]),
    (Filters(q="bloc alarmed"), ["g7-1"]),
    (Filters(q="СОГЛАШЕНИЕ"), ["ru-1"]),
    (Filters(q="Захарова"), ["ru-1"]),
    (Filters(q="  "), ["ru-1", "cn-1", "kr-1", "eu-1", "g7-1"]),  # no word: no text filter
    (Filters(q="50%_'"), []),  # LIKE wildcards and quotes are plain characters
    (Filters(q="nothing-like-this"), []),
    (Filters(about=("BLR",), stance=("oppose",), date_from="2023-03", q="alarmed"), ["eu-1"]),
]
