"""The source's own analysis is not a stakeholder.

A dataset keeps the analysis of the article it was built from as statements of its author: an actor of
kind ``author`` in actors.csv, or any statement whose ``attribution`` is ``unattributed`` (the schema's
"the source's own analysis"). Those rows count as statements, but a page that counts speakers or
countries must name them as what they are, never as a stakeholder or as "(none)"; and the ``authors=exclude``
URL parameter leaves them out (see :mod:`claimscope.filters`).

The loader flags every claim once (:data:`AUTHOR_COLUMN`), so that pages and filters test a boolean
column instead of joining actors.csv on every run.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

#: the loader's boolean column: True for a row of the source's own analysis
AUTHOR_COLUMN = "_author"
AUTHOR_KIND = "author"
UNATTRIBUTED = "unattributed"
OWN_ANALYSIS = "the outlet's own analysis"
#: what a page shows for a statement with no speaker country that is not the source's own analysis
NO_COUNTRY = "(no speaker country)"


def author_speakers(actors: pd.DataFrame) -> frozenset[str]:
    """The names and aliases of the actors of kind ``author`` (the speakers of the source's own analysis)."""
    if actors.empty or "kind" not in actors or "name" not in actors:
        return frozenset()
    authors = actors.loc[actors["kind"].astype(str) == AUTHOR_KIND]
    names = set(authors["name"].astype(str))
    if "aliases" in authors:
        names.update(str(alias) for aliases in authors["aliases"] for alias in (aliases if aliases is not None else []))
    return frozenset(names)


def author_mask(claims: pd.DataFrame, actors: pd.DataFrame) -> np.ndarray:
    """True for every claim of the source's own analysis: unattributed, or spoken by an actor of kind author."""
    if claims.empty:
        return np.zeros(0, dtype=bool)
    mask = np.zeros(len(claims), dtype=bool)
    if "attribution" in claims:
        mask |= (claims["attribution"].astype(object) == UNATTRIBUTED).to_numpy(dtype=bool)
    speakers = author_speakers(actors)
    if speakers and "speaker" in claims:
        mask |= claims["speaker"].isin(speakers).to_numpy(dtype=bool)
    return mask


def is_author(claims: pd.DataFrame) -> pd.Series:
    """The loader's flag when present; else the attribution alone (a frame built without actors.csv)."""
    if AUTHOR_COLUMN in claims:
        return claims[AUTHOR_COLUMN].astype(bool)
    if "attribution" in claims:
        return (claims["attribution"].astype(object) == UNATTRIBUTED).astype(bool)
    return pd.Series(False, index=claims.index)


def own_analysis_label(speakers: Iterable[str]) -> str:
    """How a page names the author rows: ``Seed article (author) — the outlet's own analysis``.

    Several authors (a dataset built from many articles) share one label that says how many there are.
    """
    names = sorted({str(s) for s in speakers if str(s)})
    if len(names) == 1:
        return f"{names[0]} — {OWN_ANALYSIS}"
    if not names:
        return "The source's own analysis (not a stakeholder)"
    return f"{len(names)} authors — the outlets' own analysis"


def country_labels(claims: pd.DataFrame, *, categorical: bool = False) -> pd.Series:
    """The speaker country of every row, with the author rows named as the source's own analysis.

    Author rows get the label whatever their country cell holds: an outlet's analysis is not its country's
    stance. Other rows without a country (which the schema allows only for unattributed ones) get
    :data:`NO_COUNTRY`. Computed on the distinct codes (a million rows hold a few hundred); ``categorical``
    returns a categorical column, which groups fastest.
    """
    codes, uniques = pd.factorize(claims["speaker_country"], use_na_sentinel=False)
    labels = [(str(u).strip() if isinstance(u, str) else "") or NO_COUNTRY for u in uniques]
    authors = is_author(claims).to_numpy(dtype=bool)
    if authors.any():
        labels.append(own_analysis_label(claims["speaker"][authors].unique()))
        codes = np.where(authors, len(labels) - 1, codes)
    categories = list(dict.fromkeys(labels))  # "" and None both read as no country: one category
    position = np.array([categories.index(label) for label in labels], dtype=np.int64)
    values = pd.Categorical.from_codes(position[codes] if len(claims) else [], categories=categories)
    series = pd.Series(values, index=claims.index, name="speaker_country")
    return series if categorical else series.astype(object)


def speaker_labels(claims: pd.DataFrame) -> pd.Series:
    """The speaker of every row, the author rows suffixed with what they are (for lanes, legends and subjects)."""
    speakers = claims["speaker"].astype(object).fillna("").astype(str)
    authors = is_author(claims).to_numpy(dtype=bool)
    if authors.any():
        speakers = speakers.where(~authors, speakers + f" — {OWN_ANALYSIS}")
    return speakers
