"""How much of the story a dataset covers: the numbers behind ``docs/coverage.md``.

The curated dataset is judged by what an analyst can do with it: how many statements stakeholders made
(the seed article's own analysis does not count), how many voices, how evenly the quarters are covered,
how precisely the statements are dated, how deep the reaction threads go, and what kinds of sources back
them. ``python -m claimscope coverage data --write docs/coverage.md`` regenerates the table from the data,
and a test keeps the committed table in line with the data.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from claimscope.ingest.dataset import Dataset

#: the span the curated dataset must cover without an empty quarter
SPAN_START, SPAN_END = pd.Period("2023Q3", "Q"), pd.Period("2025Q4", "Q")
#: the targets of the curated dataset (issue 9); each is checked against the data in the table
TARGETS = {
    "stakeholder_statements": 300,
    "speaker_countries": 25,
    "speakers": 100,
    "share_day": 0.60,
    "events": 80,
    "deep_threads": 24,
}
_MAX_DEPTH = 64  # a longer chain of responds_to is a cycle or an error; the validator reports those


@dataclass(frozen=True)
class Coverage:
    """Coverage figures of one dataset; the frames are small (one row per quarter, country or kind)."""

    statements: int
    own_analysis: int
    stakeholder_statements: int
    speakers: int
    speaker_countries: int
    share_day: float
    reactions: int
    reactions_answering: int
    deep_threads: int
    max_depth: int
    events: int
    per_quarter: pd.DataFrame  # quarter, statements, reactions, day_precise
    per_country: pd.DataFrame  # speaker_country, name, statements, speakers, reactions
    per_attribution: pd.DataFrame  # attribution, statements
    sources_per_kind: pd.DataFrame  # kind, sources, statements
    empty_quarters: tuple[str, ...]


def own_analysis_mask(claims: pd.DataFrame, actors: pd.DataFrame) -> pd.Series:
    """Rows that are a source's own analysis (attribution ``unattributed`` or an actor of kind ``author``)."""
    authors = set(actors.loc[actors["kind"].astype("string") == "author", "name"]) if "kind" in actors else set()
    attribution = claims["attribution"].astype("string") if "attribution" in claims else pd.Series("", index=claims.index)
    return attribution.eq("unattributed").fillna(False) | claims["speaker"].isin(authors)


def thread_depth(claims: pd.DataFrame) -> pd.Series:
    """Depth of each statement in its reaction thread.

    0 for a statement that answers nothing, 1 for a reaction to an event or to such a statement, 2 for a
    reaction to a reaction, and so on. Computed by following ``responds_to`` one level per pass.
    """
    ids = claims["claim_id"]
    target = claims["responds_to"].fillna("").astype(str) if "responds_to" in claims else pd.Series("", index=claims.index)
    answering = target.ne("")
    depth = pd.Series(answering.astype(int).to_numpy(), index=ids.to_numpy())
    target_by_id = pd.Series(target.to_numpy(), index=ids.to_numpy())
    target_by_id = target_by_id[target_by_id.ne("") & ~target_by_id.index.duplicated()]
    depth = depth[~depth.index.duplicated()]
    for _ in range(_MAX_DEPTH):
        parent_depth = target_by_id.map(depth).fillna(0).astype(int)
        updated = depth.copy()
        updated.loc[parent_depth.index] = parent_depth + 1
        if updated.equals(depth):
            break
        depth = updated
    return pd.Series(ids.map(depth).fillna(0).astype(int).to_numpy(), index=claims.index)


def coverage(dataset: Dataset) -> Coverage:
    """Count what the dataset covers; stakeholder figures leave the source's own analysis out."""
    claims = dataset.claims
    own = own_analysis_mask(claims, dataset.actors)
    stake = claims.loc[~own]
    day = stake["date_precision"].eq("day")
    is_reaction = stake["kind"].astype("string").eq("reaction").fillna(False)
    depth = thread_depth(claims).loc[~own]
    answering = stake["responds_to"].fillna("").astype(str).ne("")

    quarter = stake["date_start"].dt.to_period("Q").astype(str).where(stake["date_precision"].ne("year"), "year only")
    per_quarter = (
        pd.DataFrame({"quarter": quarter, "reaction": is_reaction, "day": day})
        .groupby("quarter", sort=True)
        .agg(statements=("day", "size"), reactions=("reaction", "sum"), day_precise=("day", "sum"))
        .reset_index()
    )
    wanted = [str(p) for p in pd.period_range(SPAN_START, SPAN_END, freq="Q")]
    empty = tuple(q for q in wanted if q not in set(per_quarter["quarter"]))

    country = stake["speaker_country"].fillna("").astype(str)
    per_country = (
        pd.DataFrame({"speaker_country": country, "speaker": stake["speaker"], "reaction": is_reaction})
        .groupby("speaker_country", sort=False)
        .agg(statements=("speaker", "size"), speakers=("speaker", "nunique"), reactions=("reaction", "sum"))
        .reset_index()
        .sort_values(["statements", "speaker_country"], ascending=[False, True], kind="stable")
    )
    per_country.insert(1, "name", per_country["speaker_country"].map(dataset.country_name))

    per_attribution = (
        stake["attribution"]
        .astype("string")
        .fillna("(none)")
        .value_counts()
        .rename_axis("attribution")
        .reset_index(name="statements")
    )

    sources = dataset.sources
    kinds = (
        sources["kind"].astype("string").fillna("(not given)")
        if "kind" in sources
        else pd.Series("(not given)", index=sources.index)
    )
    kind_of_source = pd.Series(kinds.to_numpy(), index=sources["source_id"].to_numpy())
    kind_of_source = kind_of_source[~kind_of_source.index.duplicated()]
    statement_kinds = stake["source_id"].map(kind_of_source).fillna("(no source)")
    sources_per_kind = (
        kinds.value_counts()
        .rename_axis("kind")
        .rename("sources")
        .to_frame()
        .join(statement_kinds.value_counts().rename("statements"), how="outer")
        .fillna(0)
        .astype(int)
        .reset_index()
        .sort_values(["statements", "kind"], ascending=[False, True], kind="stable")
    )

    return Coverage(
        statements=len(claims),
        own_analysis=int(own.sum()),
        stakeholder_statements=len(stake),
        speakers=int(stake["speaker"].nunique()),
        speaker_countries=int(country[country.ne("")].nunique()),
        share_day=float(day.mean()) if len(stake) else 0.0,
        reactions=int(is_reaction.sum()),
        reactions_answering=int((is_reaction & answering).sum()),
        deep_threads=int(depth.ge(2).sum()),
        max_depth=int(depth.max()) if len(depth) else 0,
        events=len(dataset.events),
        per_quarter=per_quarter,
        per_country=per_country.reset_index(drop=True),
        per_attribution=per_attribution,
        sources_per_kind=sources_per_kind.reset_index(drop=True),
        empty_quarters=empty,
    )


def target_rows(report: Coverage) -> list[tuple[str, str, str, bool]]:
    """(what, target, measured, met) for each target of the curated dataset."""
    return [
        (
            "statements by stakeholders (not the source's own analysis)",
            f"≥ {TARGETS['stakeholder_statements']}",
            str(report.stakeholder_statements),
            report.stakeholder_statements >= TARGETS["stakeholder_statements"],
        ),
        (
            "speaker countries and organisations",
            f"≥ {TARGETS['speaker_countries']}",
            str(report.speaker_countries),
            report.speaker_countries >= TARGETS["speaker_countries"],
        ),
        ("speakers", f"≥ {TARGETS['speakers']}", str(report.speakers), report.speakers >= TARGETS["speakers"]),
        (
            "share of statements dated to the day",
            f"≥ {TARGETS['share_day']:.0%}",
            f"{report.share_day:.1%}",
            report.share_day >= TARGETS["share_day"],
        ),
        (
            f"quarters {SPAN_START} to {SPAN_END} without a statement",
            "none",
            ", ".join(report.empty_quarters) or "none",
            not report.empty_quarters,
        ),
        ("context events", f"≥ {TARGETS['events']}", str(report.events), report.events >= TARGETS["events"]),
        (
            "reactions in a thread of depth two or more",
            f"≥ {TARGETS['deep_threads']}",
            f"{report.deep_threads} (deepest: {report.max_depth})",
            report.deep_threads >= TARGETS["deep_threads"],
        ),
    ]


def _table(frame: pd.DataFrame) -> list[str]:
    header = "| " + " | ".join(frame.columns) + " |"
    rule = "|" + "---|" * len(frame.columns)
    body = ["| " + " | ".join(str(v).replace("|", "\\|") for v in row) + " |" for row in frame.itertuples(index=False)]
    return [header, rule, *body]


def coverage_markdown(report: Coverage) -> str:
    """The coverage table as Markdown, for ``docs/coverage.md``."""
    lines = [
        "# Coverage of the curated dataset",
        "",
        "Generated from `data/` by `python -m claimscope coverage data --write docs/coverage.md`; a test fails when this",
        "file falls behind the data. Stakeholder figures leave out the seed article's own analysis",
        f"({report.own_analysis} of {report.statements} rows).",
        "",
        "## Targets",
        "",
        "| what | target | measured | met |",
        "|---|---|---|---|",
        *[
            f"| {what} | {target} | {measured} | {'yes' if met else '**no**'} |"
            for what, target, measured, met in target_rows(report)
        ],
        "",
        f"Reactions: {report.reactions} of {report.stakeholder_statements} stakeholder statements; "
        f"{report.reactions_answering} of them name what they answer (`responds_to`).",
        "",
        "## Statements per quarter",
        "",
        *_table(report.per_quarter),
        "",
        "## Statements per speaker country or organisation",
        "",
        *_table(report.per_country),
        "",
        "## Attribution",
        "",
        *_table(report.per_attribution),
        "",
        "## Sources per kind",
        "",
        "`sources` counts the rows of `sources.csv`, `statements` the stakeholder statements that cite a source of that kind.",
        "",
        *_table(report.sources_per_kind),
        "",
    ]
    return "\n".join(lines)
