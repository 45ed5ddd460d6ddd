"""Counts per period, coarsened in the engine: per month, else per year, else per decade.

The Timeline's marks and an actor's timeline draw counts per lane, period and stance once there are too many
statements to draw each. Months come first; when they would make more than ``max_groups`` marks, years; when
years still would, decades (:func:`claimscope.views.timeline.aggregate_points`, the pandas reference). The level
is chosen inside one query, from the counts of the finer levels, so that a prolific subject costs one scan of
the claims, not one per level tried.
"""

from __future__ import annotations

from claimscope.engine.lazy import _, ibis, ir
from claimscope.views.timeline import DECADE_SUFFIX


def coarsened(months: ir.Table, keys: list[str], count: str, max_groups: int) -> ir.Table:
    """``months`` (counts in ``count`` per ``keys``, whose ``period`` is a month ``2024-06`` or a year ``2024``)
    per month, or per year when months give more than ``max_groups`` rows, or per decade (``2020s``) when years
    still do."""
    years = months.mutate(period=months.period.substr(0, 4)).group_by(keys).aggregate(**{count: months[count].sum()})
    period = ibis.cases(
        (months.count() <= max_groups, months.period),
        (years.count() <= max_groups, months.period.substr(0, 4)),
        else_=months.period.substr(0, 3).concat(DECADE_SUFFIX),
    )
    return months.mutate(period=period).group_by(keys).aggregate(**{count: _[count].sum()})
