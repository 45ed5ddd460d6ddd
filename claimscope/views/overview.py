"""The numbers and small tables of the Overview page, computed from (filtered) claims."""

from __future__ import annotations

import pandas as pd

from claimscope.authors import OWN_ANALYSIS, country_labels, is_author
from claimscope.ingest.dataset import Dataset
from claimscope.schema import STANCES


def headline_counts(dataset: Dataset, claims: pd.DataFrame) -> dict[str, int | str]:
    """Statements, reactions, actors, countries, sources and the date span of ``claims``.

    The source's own analysis (:mod:`claimscope.authors`) counts as statements but not as an actor or a
    speaker country: ``own_analysis`` says how many statements it makes.
    """
    authors = is_author(claims).to_numpy(dtype=bool)
    countries = set(claims["speaker_country"][~authors].replace("", pd.NA).dropna())
    countries.update(claims["about"].explode().dropna().unique())  # vectorised on Arrow list columns
    span = ""
    if not claims.empty and claims["date_start"].notna().any():
        first = claims.loc[claims["date_start"].idxmin(), "date"]
        last = claims.loc[claims["date_end"].idxmax(), "date"]
        span = f"{first} – {last}"
    return {
        "statements": len(claims),
        "reactions": int((claims["kind"] == "reaction").sum()),
        "actors": claims["speaker"][~authors].nunique(),
        "own_analysis": int(authors.sum()),
        "countries": len(countries),
        "sources": claims["source_id"].replace("", pd.NA).nunique(),
        "events": len(dataset.events),
        "span": span,
    }


def stance_by_country(claims: pd.DataFrame) -> pd.DataFrame:
    """Statements per speaker country and stance (rows: countries, most statements first).

    The source's own analysis is a row of its own, named as such (never "(none)"), flagged in ``own_analysis``
    and put last: it is not a stakeholder.
    """
    if claims.empty:
        return pd.DataFrame(columns=["speaker_country", *STANCES, "unlabelled", "total", "own_analysis"])
    countries = country_labels(claims, categorical=True)
    stance = pd.Categorical(claims["stance"], categories=[*STANCES, "unlabelled"]).fillna("unlabelled")
    # a group-by on categoricals: a million rows in a tenth of a second (crosstab takes ten times that)
    table = (
        pd.DataFrame({"speaker_country": countries, "stance": stance})
        .groupby(["speaker_country", "stance"], observed=True)
        .size()
        .unstack("stance", fill_value=0)
    )
    table.columns = table.columns.astype(object)
    table.index = table.index.astype(object)
    for stance in (*STANCES, "unlabelled"):
        if stance not in table:
            table[stance] = 0
    table = table[[*STANCES, "unlabelled"]]
    table["total"] = table.sum(axis=1)
    # the source's own analysis is not a stakeholder: its row comes after every country's
    own = countries[is_author(claims).to_numpy(dtype=bool)].astype(object).unique()
    table["own_analysis"] = table.index.isin(own)
    return table.sort_values(["own_analysis", "total"], ascending=[True, False], kind="stable").reset_index()


def most_active_speakers(claims: pd.DataFrame, limit: int = 10) -> pd.DataFrame:
    """The speakers with the most statements, with their country and reactions made.

    The source's own analysis keeps its speaker's name; its country says what it is.
    """
    if claims.empty:
        return pd.DataFrame(columns=["speaker", "speaker_country", "statements", "reactions"])
    grouped = (
        claims.assign(reaction=(claims["kind"] == "reaction").astype(int), own=is_author(claims))
        .groupby("speaker", observed=True)
        .agg(
            speaker_country=("speaker_country", "first"),
            statements=("claim_id", "size"),
            reactions=("reaction", "sum"),
            own=("own", "any"),
        )
    )
    top = grouped.sort_values(["statements", "reactions"], ascending=False).head(limit)
    top["speaker_country"] = top["speaker_country"].astype(object).where(~top["own"], f"({OWN_ANALYSIS}, not a stakeholder)")
    return top.drop(columns="own").reset_index()


def latest_reactions(claims: pd.DataFrame, limit: int = 8) -> pd.DataFrame:
    """The most recent reactions (by the end of their date range); reactions that end the same day in dataset order.

    The sort is stable so that the tie order is defined (the engine's query, :mod:`claimscope.queries.overview`,
    breaks ties by the dataset's line order too).
    """
    reactions = claims.loc[claims["kind"] == "reaction"]
    columns = ["claim_id", "date", "speaker", "speaker_country", "stance", "summary"]
    return reactions.sort_values("date_end", ascending=False, kind="stable").head(limit)[columns].reset_index(drop=True)
