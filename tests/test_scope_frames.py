"""Scope.frames: several bounded answers in one query, each as Scope.frame would give it alone."""

from __future__ import annotations

import ibis
import pandas as pd

from claimscope.filters import Filters
from claimscope.queries.scope import Scope
from tests.query_engines import query_case  # noqa: F401


def sorted_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A union keeps no order: compare parts sorted on every column."""
    return frame.sort_values(list(frame.columns), kind="stable", na_position="last").reset_index(drop=True)


def parts_of(claims: ibis.Table) -> dict[str, ibis.Table]:
    """Parts of different shapes and types over one filtered join-free expression: counts (integers), a list of
    strings, a summary with a NULL-able minimum and a boolean, ranked rows, and a part with no row at all."""
    reactions = claims.filter(claims.responds_to.notnull() & (claims.responds_to != ""))
    ranked = reactions.mutate(_rank=ibis.row_number().over(order_by=[reactions.date, reactions.claim_id]))
    return {
        "per_country": reactions.group_by("speaker_country").aggregate(n=reactions.count()),
        "answered": reactions.select("responds_to").distinct(),
        "summary": reactions.aggregate(
            total=reactions.count(),
            speakers=reactions.speaker.nunique(),
            never=reactions.speaker.min(where=reactions.claim_id == "no such claim"),
            any_oppose=(reactions.stance == "oppose").any(),
        ),
        "first": ranked.filter(ranked._rank < 5).select("claim_id", "date", "_rank"),
        "nothing": reactions.filter(reactions.claim_id == "no such claim").select("claim_id", "speaker"),
    }


def test_each_part_is_what_frame_gives_it_alone_in_one_query(query_case):  # noqa: F811
    scope = Scope(query_case.engine, Filters())
    parts = parts_of(scope.claims)
    alone = {name: scope.frame(part, limit=None, spec=None) for name, part in parts.items()}
    asked = []
    real = scope.engine.to_arrow

    def counted(expr, *args, **kwargs):
        asked.append(expr)
        return real(expr, *args, **kwargs)

    scope.engine.to_arrow = counted
    try:
        together = scope.frames(parts)
    finally:
        del scope.engine.to_arrow
    assert len(asked) == 1
    assert list(together) == list(parts)
    assert len(together["first"]) == min(5, int(together["summary"]["total"].iloc[0])) > 0
    assert together["nothing"].empty and list(together["nothing"].columns) == ["claim_id", "speaker"]
    for name, frame in together.items():
        assert list(frame.columns) == list(parts[name].columns)
        pd.testing.assert_frame_equal(sorted_frame(frame), sorted_frame(alone[name]), check_dtype=True)


def test_parts_may_give_one_column_name_two_types(query_case):  # noqa: F811
    scope = Scope(query_case.engine, Filters())
    claims = scope.claims
    parts = {
        "names": claims.order_by("claim_id").select(value=claims.claim_id, _part=claims.speaker).limit(3),
        "counts": claims.aggregate(value=claims.count(), _part=claims.speaker.nunique()),
    }
    together = scope.frames(parts)
    for name, part in parts.items():
        pd.testing.assert_frame_equal(
            sorted_frame(together[name]), sorted_frame(scope.frame(part, limit=None, spec=None)), check_dtype=True
        )
    assert together["counts"]["value"].iloc[0] == scope.matched
