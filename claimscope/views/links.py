"""Links between the app's pages that carry the view: an actor's profile, a claim, from any table.

Every link is relative (``actor?speaker=…``): it resolves against the page it is on, so it never leaves the
app's host and keeps working under a base path. A link carries the current filters (the URL is the state),
with the speaker replaced by the actor (the profile's subject) and the selection replaced by the claim.
The speaker (or claim) comes first in the query, so that a table can show it with :data:`ACTOR_LINK_TEXT`.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

import pandas as pd

from claimscope.filters import Filters

ACTOR_PAGE = "actor"
CLAIMS_PAGE = "claims"
COMPARE_PAGE = "compare"
#: for st.column_config.LinkColumn(display_text=…): shows the actor's name (the frontend URL-decodes it)
ACTOR_LINK_TEXT = r"^actor\?speaker=([^&]*)"
CLAIM_LINK_TEXT = r"^claims\?claim=([^&]*)"


def _query(first: list[tuple[str, str]], filters: Filters, drop: tuple[str, ...]) -> str:
    rest = [(name, value) for name, values in filters.to_query_params().items() if name not in drop for value in values]
    return urlencode([*first, *rest], quote_via=quote, safe="")


def page_url(page: str, filters: Filters, **replace: list[str]) -> str:
    """``page?…``: the current filters, with the parameters in ``replace`` put first and set to their values."""
    first = [(name, value) for name, values in replace.items() for value in values]
    query = _query(first, filters, drop=(*replace, "claim"))
    return f"{page}?{query}" if query else page


def actor_url(name: str, filters: Filters) -> str:
    """The profile of ``name`` under the current filters (the speaker filter becomes the actor)."""
    return page_url(ACTOR_PAGE, filters, speaker=[name])


def claim_url(claim_id: str, filters: Filters) -> str:
    """The Claims page with ``claim_id`` opened, under the current filters."""
    return page_url(CLAIMS_PAGE, filters, claim=[claim_id])


def actor_urls(names: pd.Series, filters: Filters) -> pd.Series:
    """:func:`actor_url` for a column of names; each distinct name is encoded once (a million rows share a few)."""
    codes, uniques = pd.factorize(names.astype(object).fillna("").astype(str), use_na_sentinel=False)
    rest = _query([], filters, drop=("speaker", "claim"))
    suffix = f"&{rest}" if rest else ""
    urls = pd.Series([f"{ACTOR_PAGE}?speaker={quote(name, safe='')}{suffix}" for name in uniques], dtype=object)
    return pd.Series(urls.to_numpy()[codes] if len(uniques) else [], index=names.index, dtype=object)


def claim_urls(claim_ids: pd.Series, filters: Filters) -> pd.Series:
    """:func:`claim_url` for a column of claim ids (a bounded table's, ids are unique)."""
    rest = _query([], filters, drop=("claim",))
    suffix = f"&{rest}" if rest else ""
    return claim_ids.astype(str).map(lambda cid: f"{CLAIMS_PAGE}?claim={quote(cid, safe='')}{suffix}").astype(object)
