"""The Timeline page's statements view, asked of the engine: lanes, marks, context events, reaction latency.

The pandas references are in :mod:`claimscope.views.timeline` (``timeline_points`` + ``timeline_marks``,
``events_in_range`` + ``timeline_events``, ``reaction_latency`` + ``latency_view``; the blocs' codes are asked in :mod:`claimscope.queries.trends`);
the tests hold every function here to them. What comes back is bounded whatever the number of claims:

* the lanes (at most :data:`~claimscope.views.timeline.MAX_LANES`, the rest gathered into one) with their
  counts, from one aggregate;
* the statements as rows when at most ``max_points`` are dated, else their counts per lane, period and
  stance (grouped in the engine);
* the context events of the range as rows when at most ``max_events``, else per period;
* the reaction latency (a join of the reactions on what they answer, in the engine) as per-country
  counts, medians and box statistics, plus a page of rows for the table and the points of the chart.

Presentation (labels, periods' bounds, the order of ties by name) is the pandas code of
:mod:`claimscope.views.timeline`, run on those small answers, so that both paths share it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from claimscope.authors import AUTHOR_COLUMN, NO_COUNTRY, own_analysis_label
from claimscope.dates import NS_YEARS
from claimscope.engine.lazy import _, ibis, ir
from claimscope.figures.common import STANCE_ORDER, UNLABELLED
from claimscope.ingest.csvio import LINE_COLUMN
from claimscope.queries.actor import with_targets
from claimscope.queries.periods import coarsened
from claimscope.queries.scope import Scope
from claimscope.schema import EVENTS
from claimscope.views.timeline import (
    EVENT_COLUMNS,
    MAX_EVENT_GROUPS,
    MAX_EVENTS,
    MAX_GROUPS,
    MAX_LANES,
    MAX_LATENCY_POINTS,
    MAX_POINTS,
    MAX_ROWS,
    NO_SPEAKER,
    POINT_COLUMNS,
    QUARTILES,
    LatencyView,
    TimelineEvents,
    TimelineMarks,
    boxes_frame,
    finish_event_groups,
    finish_groups,
    finish_points,
    lane_order,
    latency_rows,
    no_events,
    no_latency,
    no_points,
    sort_events,
    summary_frame,
)

#: lanes tied at the cut come back (at most this many) so that Python orders ties by name, as pandas does
LANE_ROWS = 1000
#: the decades a timeline holds (pandas places the years 1678 to 2261)
DECADES = NS_YEARS[1] // 10 - NS_YEARS[0] // 10 + 1
#: aggregated marks per decade are a closed set: lanes × decades × stances
DECADE_GROUPS = MAX_LANES * DECADES * len(STANCE_ORDER)
#: stands for the source's own analysis while the lanes are counted, before its label is known; a
#: cleaned country code never starts with a space, so it cannot collide with one
AUTHOR_KEY = " own analysis"
#: what follows an author's name in its actor lane: ``Name — the outlet's own analysis``
OWN_SUFFIX = own_analysis_label(["x"])[1:]


# --- lanes ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Lanes:
    """How statements are put in lanes for this view, and how many dated statements each lane holds.

    ``kept`` is None when every lane is drawn; else the lanes drawn, the others sharing ``other``.
    """

    by: str
    blocs: dict[str, str] | None
    author_label: str
    kept: tuple[str, ...] | None
    other: str
    dated: dict[str, int]
    statements: int
    first: pd.Timestamp | None
    last: pd.Timestamp | None

    def expr(self, claims: ir.Table) -> ir.StringValue:
        """Each statement's lane, as the chart names it."""
        lane = _lane(claims, self.by, self.blocs, ibis.literal(self.author_label))
        if self.kept is None:
            return lane
        return lane.isin(list(self.kept)).ifelse(lane, ibis.literal(self.other))

    @property
    def order(self) -> tuple[str, ...]:
        return tuple(lane_order(self.dated))


def _cleaned(column: ir.StringValue, missing: str, blocs: dict[str, str] | None = None) -> ir.StringValue:
    """The cell stripped (mapped to its bloc), or ``missing`` when empty: :func:`claimscope.views.timeline.speaker_groups`."""
    value = column.strip()
    if blocs:
        value = value.substitute(blocs)
    return value.nullif("").fill_null(missing)


def _lane(claims: ir.Table, by: str, blocs: dict[str, str] | None, author: ir.StringValue) -> ir.StringValue:
    """The lane before the smallest lanes are gathered: speaker country, bloc or speaker; the source's own
    analysis named as such (per speaker in actor lanes, ``author`` otherwise)."""
    is_author = claims[AUTHOR_COLUMN].fill_null(False)
    if by == "actor":
        speaker = claims["speaker"]
        named = (speaker.fill_null("") == "").ifelse(ibis.literal(own_analysis_label([])), speaker.concat(OWN_SUFFIX))
        return is_author.ifelse(named, _cleaned(speaker, NO_SPEAKER))
    return is_author.ifelse(author, _cleaned(claims["speaker_country"], NO_COUNTRY, blocs if by == "bloc" else None))


def _raw_key(by: str) -> str:
    return "speaker" if by == "actor" else "speaker_country"


def timeline_lanes(scope: Scope, by: str = "country", blocs: dict[str, str] | None = None, max_lanes: int = MAX_LANES) -> Lanes:
    """The lanes of the filtered statements (:func:`claimscope.views.timeline.lanes_of`), counted in one query.

    The claims are first grouped on the raw cells a lane comes from (a few hundred speaker countries, a
    few thousand speakers), so that cleaning and naming run on those, not on every row. Lanes are ranked
    on every filtered statement (dated or not), as in the reference; the lanes tied at the cut all come
    back, so that ties are broken by name here and not by the backend's collation.
    """
    claims = scope.claims
    key = _raw_key(by)
    is_author = claims[AUTHOR_COLUMN].fill_null(False)
    speaker = claims["speaker"]
    keys = {key: claims[key], AUTHOR_COLUMN: is_author}
    if by != "actor":  # the one label of the author rows counts their distinct speakers
        keys["author_speaker"] = (is_author & (speaker.fill_null("") != "")).ifelse(speaker, ibis.null("string"))
    raw = claims.group_by(**keys).aggregate(
        n=_.count(), dated=_.date_start.count(), first=_.date_start.min(), last=_.date_end.max()
    )
    author_stats = (
        {"authors": _.author_speaker.nunique(), "author": _.author_speaker.min()}
        if by != "actor"
        else {"authors": ibis.literal(0), "author": ibis.null("string")}
    )
    grouped = (
        raw.mutate(lane=_lane(raw, by, blocs, ibis.literal(AUTHOR_KEY)))
        .group_by("lane")
        .aggregate(n=_.n.sum(), dated=_.dated.sum(), first=_.first.min(), last=_.last.max(), **author_stats)
    )
    ranked = grouped.mutate(
        lanes=_.n.count().over(),
        all_dated=_.dated.sum().over(),
        all_first=_.first.min().over(),
        all_last=_.last.max().over(),
        rank=ibis.rank().over(order_by=ibis.desc(_.n)),
    )
    rows = scope.frame(ranked.filter(_.rank < max_lanes).order_by([ibis.desc("n"), "lane"]), limit=LANE_ROWS, spec=None)
    author_label = own_analysis_label([])
    if len(rows) and (rows["lane"] == AUTHOR_KEY).any():
        names, name = rows.loc[rows["lane"] == AUTHOR_KEY, ["authors", "author"]].iloc[0]
        # own_analysis_label counts distinct names: the count stands for the names the engine counted
        author_label = own_analysis_label([name] if int(names) == 1 else [str(i) for i in range(int(names))])
        rows.loc[rows["lane"] == AUTHOR_KEY, "lane"] = author_label
    if rows.empty:
        return Lanes(by, blocs, author_label, None, "", {}, 0, None, None)
    counts = dict(zip(rows["lane"], rows["n"].astype(int), strict=True))
    dated = dict(zip(rows["lane"], rows["dated"].astype(int), strict=True))
    total_lanes, statements = int(rows["lanes"].iloc[0]), int(rows["all_dated"].iloc[0])
    kept, other = None, ""
    if total_lanes > max_lanes:
        kept = tuple(sorted(counts, key=lambda lane: (-counts[lane], lane))[: max_lanes - 1])
        other = f"{total_lanes - len(kept)} other {'actors' if by == 'actor' else 'countries'}"
        dated = {lane: dated[lane] for lane in kept} | {other: statements - sum(dated[lane] for lane in kept)}
    first, last = rows["all_first"].iloc[0], rows["all_last"].iloc[0]
    return Lanes(
        by,
        blocs,
        author_label,
        kept,
        other,
        dated,
        statements,
        None if pd.isna(first) else pd.Timestamp(first),
        None if pd.isna(last) else pd.Timestamp(last),
    )


# --- the statements' marks ------------------------------------------------------------------------------------


def timeline_marks(
    scope: Scope,
    by: str = "country",
    blocs: dict[str, str] | None = None,
    *,
    max_points: int = MAX_POINTS,
    max_groups: int = MAX_GROUPS,
    max_lanes: int = MAX_LANES,
    lanes: Lanes | None = None,
) -> TimelineMarks:
    """What the statements chart draws: :func:`claimscope.views.timeline.timeline_marks` of the filtered statements.

    At most ``max_points`` rows; past that, the counts per lane, period and stance come from a group-by
    in the engine (per year when months would give more than ``max_groups`` marks, per decade when years
    still would): at most ``max_groups`` marks unless the data spans more decades than that allows.
    """
    lanes = lanes or timeline_lanes(scope, by, blocs, max_lanes)
    if lanes.statements == 0:
        return TimelineMarks(no_points(), None, 0, (), None, None)
    claims = scope.claims
    dated = claims.filter(claims.date_start.notnull())
    common = {"statements": lanes.statements, "lanes": lanes.order, "first": lanes.first, "last": lanes.last}
    if lanes.statements <= max_points:
        rows = dated.mutate(lane=lanes.expr(dated)).select(*POINT_COLUMNS).order_by(["lane", "date_start", "claim_id"])
        return TimelineMarks(points=finish_points(scope.frame(rows, limit=max_points)), groups=None, **common)
    # grouped first on the raw cells (speaker country or speaker, author flag, month, stance), so that the
    # lane is named on those groups (stripping every row costs more than grouping); then per lane
    raw = dated.group_by(
        **{
            _raw_key(by): dated[_raw_key(by)],
            AUTHOR_COLUMN: dated[AUTHOR_COLUMN].fill_null(False),
            # the date is ISO YYYY, YYYY-MM or YYYY-MM-DD: its 7 first characters are its month, or its year
            "period": dated.date.substr(0, 7),
            "stance": dated.stance.nullif("").fill_null(UNLABELLED),
        }
    ).aggregate(k=_.count())
    months = raw.mutate(lane=lanes.expr(raw)).group_by(["lane", "period", "stance"]).aggregate(statements=_.k.sum())
    grouped = coarsened(months, ["lane", "period", "stance"], "statements", max_groups)
    frame = scope.frame(grouped, limit=max(max_groups, DECADE_GROUPS), spec=None)
    return TimelineMarks(points=no_points(), groups=finish_groups(frame), **common)


# --- context events ----------------------------------------------------------------------------------------


def timeline_events(
    scope: Scope,
    start: pd.Timestamp | None = None,
    end: pd.Timestamp | None = None,
    *,
    max_events: int = MAX_EVENTS,
    max_groups: int = MAX_EVENT_GROUPS,
    max_rows: int = MAX_ROWS,
) -> TimelineEvents:
    """The dated events overlapping [start, end]: :func:`claimscope.views.timeline.timeline_events` of
    :func:`claimscope.views.timeline.events_in_range`, the rows and (past ``max_events``) counts per period."""
    columns = [c for c in EVENT_COLUMNS if scope.has_table("events") and c in scope.table("events").columns]
    if "date_start" not in columns:
        return TimelineEvents(no_events(), None, 0)
    events = scope.table("events")
    in_range = events.filter(events.date_start.notnull())
    if start is not None:
        in_range = in_range.filter(in_range.date_end >= start.to_pydatetime())
    if end is not None:
        in_range = in_range.filter(in_range.date_start <= end.to_pydatetime())
    ordered = in_range.select(*columns).order_by(["date_start", "event_id"])
    rows = sort_events(scope.frame(ordered, limit=max(max_events + 1, max_rows), spec=EVENTS))
    if len(rows) <= max_events:
        return TimelineEvents(rows, None, len(rows))
    months = in_range.group_by(period=in_range.date.substr(0, 7)).aggregate(events=_.count())
    grouped = scope.frame(coarsened(months, ["period"], "events", max_groups), limit=max(max_groups, DECADES), spec=None)
    return TimelineEvents(rows.head(max_rows), finish_event_groups(grouped), int(grouped["events"].sum()))


# --- reaction latency ------------------------------------------------------------------------------------------

#: the columns of a reaction joined to its target that :func:`claimscope.views.timeline.latency_rows` takes
JOINED_COLUMNS = [
    "claim_id",
    "speaker",
    "speaker_country",
    "date",
    "stance",
    "responds_to",
    "date_start",
    "date_precision",
    "target_kind",
    "target_date",
    "target_start",
    "target_precision",
]


def timed_reactions(scope: Scope, countries: list[str] | None = None) -> ir.Table:
    """Every filtered reaction joined to what it answers (:func:`claimscope.views.timeline.reaction_latency`'s join).

    The target is a claim of the whole dataset (filters never hide what is answered) or, when no claim
    has that id, an event (:func:`claimscope.queries.actor.with_targets`: the engine's kept targets, joined on
    ``_line``, or two left joins on ``responds_to``). ``counted`` says
    both dates are known to the day, ``days`` is then the days between, and ``country`` is the speaker
    country as the summary lists it.

    The reference keeps the reactions whose ``responds_to`` is not blank once stripped; the join keeps
    only those that name an existing id, and ids are never blank (validation), so the cheap test for
    an empty cell is enough here (stripping every row costs more than the join).

    ``countries`` keeps the reactions of those speaker countries only (as :data:`NO_COUNTRY` names
    them), before the join: a page of the table needs only its first countries.
    """
    claims = scope.claims
    reactions = claims.filter(claims.responds_to != "")
    if countries is not None:
        country = reactions.speaker_country
        wanted = country.isin([c for c in countries if c != NO_COUNTRY])
        if NO_COUNTRY in countries:
            wanted = wanted | country.isnull() | (country == "")
        reactions = reactions.filter(wanted.fill_null(False))
    reactions = reactions.select(*JOINED_COLUMNS[:8], *([LINE_COLUMN] if LINE_COLUMN in reactions.columns else []))
    joined = with_targets(scope, reactions)
    counted = ((joined.date_precision == "day") & (joined.target_precision == "day")).fill_null(False)
    country = joined.speaker_country
    return joined.select(
        *JOINED_COLUMNS,
        country=(country.isnull() | (country == "")).ifelse(ibis.literal(NO_COUNTRY), country),
        counted=counted,
        days=counted.ifelse(joined.date_start.delta(joined.target_start, unit="day"), ibis.null("int64")),
    )


def _latency_stats(joined: ir.Table) -> ir.Table:
    """Per speaker country: how many reactions, how many counted, min/max days, quartiles and whiskers.

    The reactions are first counted per (country, days): a few thousand rows however many reactions.
    On those, running sums give each value's positions in the country's sorted days, so that the
    quartiles are exact and the same on every backend (BigQuery and Trino have no exact median) and
    match :func:`claimscope.views.timeline.box_stats`: the value at ``p * n - 0.5``, interpolated. The
    whiskers need the quartiles first: window aggregates carry them to every row, one group-by takes all.
    """
    histogram = joined.group_by(["country", "counted", "days"]).aggregate(k=_.count())
    country = ibis.window(group_by="country")
    running = ibis.cumulative_window(group_by=["country", "counted"], order_by="days")
    ranked = histogram.mutate(n=_.k.sum(where=_.counted).over(country), end=_.k.sum().over(running))
    ranked = ranked.mutate(start=ranked.end - ranked.k)
    picked = {}
    # float arithmetic throughout: PostgreSQL would otherwise compute in numeric and return decimals
    for name, p in QUARTILES.items():
        at = ranked.n.cast("float64") * p - 0.5
        for side, position in (("lo", at.floor()), ("hi", at.ceil())):
            index = ibis.greatest(ibis.least(position, ranked.n - 1), 0)
            holds = ranked.counted & (ranked.start <= index) & (index < ranked.end)
            picked[f"{name}_{side}"] = ranked.days.max(where=holds).over(country).cast("float64")
    ranked = ranked.mutate(**picked)
    values = {}
    for name, p in QUARTILES.items():
        at = ranked.n.cast("float64") * p - 0.5
        low, high = ranked[f"{name}_lo"], ranked[f"{name}_hi"]
        values[name] = (low + (high - low) * (at - at.floor().cast("float64"))).cast("float64")
    ranked = ranked.mutate(**values)
    reach = (ranked.q3 - ranked.q1) * ibis.literal(1.5, type="float64")
    return ranked.group_by("country").aggregate(
        reactions=ranked.k.sum(),
        counted=ranked.k.sum(where=ranked.counted),
        min_days=ranked.days.min(),
        max_days=ranked.days.max(),
        q1=ranked.q1.max(),
        median=ranked.median.max(),
        q3=ranked.q3.max(),
        low=ranked.days.min(where=ranked.counted & (ranked.days >= ranked.q1 - reach)),
        high=ranked.days.max(where=ranked.counted & (ranked.days <= ranked.q3 + reach)),
    )


def reaction_latency(scope: Scope, *, max_points: int = MAX_LATENCY_POINTS, max_rows: int = MAX_ROWS) -> LatencyView:
    """The latency section's data: :func:`claimscope.views.timeline.latency_view` of the filtered reactions.

    One aggregate gives the summary and the boxes (per speaker country, a closed list of codes); the
    table's first ``max_rows`` reactions and, when at most ``max_points`` are counted, the counted ones
    for the chart's points come back as rows.
    """
    joined = timed_reactions(scope)
    # one row per speaker country: a closed list of codes (ISO, built-in groups, countries.csv)
    stats = scope.frame(_latency_stats(joined), limit=None, spec=None)
    empty = no_latency()
    if stats.empty:
        return LatencyView(summary_frame([]), boxes_frame([]), empty, empty, 0, 0, None)
    stats = stats.sort_values("country", kind="stable")
    summary, boxes = [], []
    for row in stats.itertuples(index=False):
        counted = 0 if pd.isna(row.counted) else int(row.counted)
        summary.append(
            {
                "speaker_country": row.country,
                "reactions": int(row.reactions),
                "counted": counted,
                "too coarse": int(row.reactions) - counted,
                "median days": float(row.median) if counted else None,
                "min days": int(row.min_days) if counted else None,
                "max days": int(row.max_days) if counted else None,
            }
        )
        if counted:
            boxes.append(
                {
                    "speaker_country": row.country,
                    "counted": counted,
                    "q1": float(row.q1),
                    "median": float(row.median),
                    "q3": float(row.q3),
                    "lowerfence": min(float(row.q1), float(row.low)),
                    "upperfence": max(float(row.q3), float(row.high)),
                }
            )
    reactions, counted = int(stats["reactions"].sum()), int(stats["counted"].fillna(0).sum())
    ordered = ["country", "date", "claim_id"]
    # the table lists reactions by country: its first page comes from the first countries only
    covering = stats["reactions"].cumsum().shift(fill_value=0) < max_rows
    first = timed_reactions(scope, list(stats.loc[covering, "country"]))
    rows = latency_rows(scope.frame(first.order_by(ordered).select(*JOINED_COLUMNS), limit=max_rows))
    if counted > max_points or not counted:
        points = empty
    elif reactions <= max_rows:
        points = rows.loc[rows["status"] == "counted"].reset_index(drop=True)
    else:
        timed = joined.filter(joined.counted).order_by(ordered).select(*JOINED_COLUMNS)
        points = latency_rows(scope.frame(timed, limit=max_points))
    max_days = stats["max_days"].dropna()
    return LatencyView(
        summary=summary_frame(summary),
        boxes=boxes_frame(boxes),
        rows=rows,
        points=points,
        reactions=reactions,
        counted=counted,
        max_days=float(max_days.max()) if len(max_days) else None,
    )
