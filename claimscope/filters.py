"""The filter model: what the sidebar selects, what the URL carries, which rows match.

The URL is the state. :data:`FILTER_PARAMS` documents every query parameter; :func:`parse_query_params`
turns a URL's parameters into :class:`Filters` plus a notice for every value it had to ignore
(unknown, malformed or too long), and :meth:`Filters.to_query_params` turns them back, so a view
survives a copy and paste of its address. :func:`apply_filters` is a pure function of the claims.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from claimscope.authors import is_author
from claimscope.dates import PartialDate, date_error, parse_partial_date
from claimscope.ingest.dataset import SEARCH_COLUMN, fold_for_search
from claimscope.text import shorten

#: longest value a parameter may carry; longer ones are ignored with a notice
MAX_VALUE_CHARS = 300
MAX_VALUES_PER_PARAM = 200


@dataclass(frozen=True)
class FilterParam:
    """One query parameter of the app's URL interface."""

    param: str  # the query parameter's name
    column: str  # the claims column it filters
    label: str
    help: str
    multiple: bool = True
    is_list_column: bool = False


FILTER_PARAMS: tuple[FilterParam, ...] = (
    FilterParam("speaker", "speaker", "Speaker", "Actor who made the statement (repeatable)."),
    FilterParam("country", "speaker_country", "Speaker country", "The speaker's country, bloc or organisation (repeatable)."),
    FilterParam("about", "about", "About", "Countries the statement is about (repeatable).", is_list_column=True),
    FilterParam("kind", "kind", "Kind", "claim or reaction (repeatable)."),
    FilterParam("stance", "stance", "Stance", "Stance toward the dataset's subject (repeatable)."),
    FilterParam("topic", "topics", "Topic", "Topic slug (repeatable).", is_list_column=True),
    FilterParam("type", "claim_type", "Claim type", "What the statement does (repeatable)."),
    FilterParam("attribution", "attribution", "Attribution", "direct_quote, paraphrase or unattributed (repeatable)."),
    FilterParam("certainty", "certainty", "Certainty", "asserted, hedged or speculative (repeatable)."),
)
PARAMS_BY_NAME = {p.param: p for p in FILTER_PARAMS}
#: parameters beyond the value filters, documented with them
OTHER_PARAMS: tuple[tuple[str, str], ...] = (
    ("from", "Earliest date, YYYY, YYYY-MM or YYYY-MM-DD: a statement matches when its date range overlaps [from, to]."),
    ("to", "Latest date, same forms; `2024` ends on 31 December 2024."),
    ("q", "Text search in quote, summary and speaker: every word must occur, case- and accent-insensitive."),
    ("claim", "The selected claim's claim_id, opened in detail."),
    (
        "authors",
        "`exclude` leaves out the source's own analysis (statements of actors of kind author, or unattributed): "
        "only stakeholders are counted.",
    ),
)


@dataclass(frozen=True)
class ViewParam:
    """A query parameter that chooses how a page shows the view (not which rows): one value of ``choices``.

    The default value is left out of the URL, so that a plain link stays short.
    """

    param: str
    choices: tuple[str, ...]
    default: str
    pages: str  # where it applies, for the docs
    help: str


#: how pages show the filtered rows; each is kept in the URL like a filter
VIEW_PARAMS: tuple[ViewParam, ...] = (
    ViewParam(
        "view",
        ("statements", "trends", "cascade", "latency"),
        "statements",
        "/timeline",
        "The Timeline's view: `statements` by date, `trends` (statements per period, stacked by stance), the reaction "
        "`cascade` of the selected claim, or reaction `latency` (days to react, per speaker country).",
    ),
    ViewParam(
        "by",
        ("country", "bloc", "actor"),
        "country",
        "/timeline",
        "Lanes and trend groups per speaker `country`, `bloc` (the largest group of countries.csv the country belongs to) or `actor`.",
    ),
    ViewParam(
        "interval",
        ("auto", "week", "month", "year"),
        "auto",
        "/timeline",
        "The trends' period: `week`, `month`, `year`, or `auto` (chosen from the span of the statements shown).",
    ),
    ViewParam(
        "measure",
        ("count", "share"),
        "count",
        "/timeline",
        "Trends as `count`s of statements or as each stance's `share` of its bar.",
    ),
    ViewParam(
        "cascade",
        ("thread", "reactions"),
        "thread",
        "/timeline, /claims",
        "The reaction cascade of the selected claim: its whole `thread` (from the statement or event it ultimately answers) or only the `reactions` to it.",
    ),
)
VIEW_PARAMS_BY_NAME = {p.param: p for p in VIEW_PARAMS}
#: the values of the ``authors`` parameter (``include`` is the default and is left out of the URL)
AUTHORS_VALUES = ("include", "exclude")
#: parameters one page keeps for itself (not filters): documented with the others, kept in the URL as they are
PAGE_PARAMS: tuple[tuple[str, str], ...] = (
    ("tab", "Data page: the tab opened, by its label, e.g. `Validation report` (the link of the set-aside notice opens it)."),
    (
        "chart",
        "Country relations page: the tab opened, by its label: `Network` (default), `Matrix`, `Map`, `Focus on one country` or "
        "`Curated relations`.",
    ),
    (
        "detail",
        "Claims page: the selected claim's tab, when it has a reaction cascade: `The quote in its source text` (default) or "
        "`Reaction cascade`.",
    ),
    (
        "panel",
        "Compare page: the panel opened, by its label: `Stance over time` (default), `Topics`, `Whom they speak about` or "
        "`Reaction latency`.",
    ),
    (
        "section",
        "Actor profile page: the section opened, by its label: `Over time` (default), `Topics and countries`, `Threads` or "
        "`Their statements`.",
    ),
)
PAGE_PARAM_NAMES = tuple(name for name, _ in PAGE_PARAMS)
ALL_PARAM_NAMES = (
    tuple(p.param for p in FILTER_PARAMS)
    + tuple(name for name, _ in OTHER_PARAMS)
    + tuple(p.param for p in VIEW_PARAMS)
    + PAGE_PARAM_NAMES
)


@dataclass(frozen=True)
class Filters:
    """A view of the claims: values selected per field (OR within a field, AND across fields)."""

    speaker: tuple[str, ...] = ()
    country: tuple[str, ...] = ()
    about: tuple[str, ...] = ()
    kind: tuple[str, ...] = ()
    stance: tuple[str, ...] = ()
    topic: tuple[str, ...] = ()
    type: tuple[str, ...] = ()
    attribution: tuple[str, ...] = ()
    certainty: tuple[str, ...] = ()
    date_from: str = ""
    date_to: str = ""
    q: str = ""
    authors: str = ""  # "exclude": leave out the source's own analysis (claimscope.authors)
    claim: str = field(default="", compare=False)  # the selection is not a filter
    #: (parameter, value) of every view parameter set to something else than its default (not a filter either)
    settings: tuple[tuple[str, str], ...] = field(default=(), compare=False)

    def selected(self, param: str) -> tuple[str, ...]:
        return getattr(self, param)

    def setting(self, param: str) -> str:
        """A view parameter's value (its default when the URL does not set it)."""
        return dict(self.settings).get(param, VIEW_PARAMS_BY_NAME[param].default)

    @property
    def is_empty(self) -> bool:
        return self == Filters()

    def to_query_params(self) -> dict[str, list[str]]:
        """The URL's parameters for this view (empty ones left out)."""
        params: dict[str, list[str]] = {}
        for p in FILTER_PARAMS:
            if self.selected(p.param):
                params[p.param] = list(self.selected(p.param))
        for name, value in (
            ("from", self.date_from),
            ("to", self.date_to),
            ("q", self.q),
            ("authors", self.authors),
            ("claim", self.claim),
        ):
            if value:
                params[name] = [value]
        for name, value in self.settings:
            params[name] = [value]
        return params

    def describe(self) -> list[str]:
        """One plain-text line per active filter, for the summary above the results."""
        lines = []
        for p in FILTER_PARAMS:
            if self.selected(p.param):
                lines.append(f"{p.label}: {', '.join(self.selected(p.param))}")
        if self.date_from or self.date_to:
            lines.append(f"Date: {self.date_from or '…'} to {self.date_to or '…'}")
        if self.q:
            lines.append(f"Text: {self.q}")
        if self.authors == "exclude":
            lines.append("Without the source's own analysis")
        return lines

    def without(self, param: str) -> Filters:
        """The same view with one filter cleared (for 'what to loosen')."""
        if param in PARAMS_BY_NAME:
            return replace(self, **{param: ()})
        return replace(self, **{{"from": "date_from", "to": "date_to"}.get(param, param): ""})


FILTER_FIELD_NAMES = tuple(f.name for f in fields(Filters))


def filter_options(claims: pd.DataFrame) -> dict[str, list[tuple[str, int]]]:
    """For every multi-value filter: its values in the data and how many statements have each, most first."""
    options: dict[str, list[tuple[str, int]]] = {}
    for p in FILTER_PARAMS:
        if p.column not in claims:
            options[p.param] = []
            continue
        column = claims[p.column]
        if p.is_list_column:
            column = column.explode()
        counts = column.dropna().astype(str)
        counts = counts[counts != ""].value_counts()
        options[p.param] = sorted(((str(v), int(n)) for v, n in counts.items()), key=lambda item: (-item[1], item[0]))
    return options


def _values(raw: str | Sequence[str] | None) -> list[str]:
    if raw is None:
        return []
    if isinstance(raw, str):
        return [raw]
    return [str(v) for v in raw]


def parse_query_params(
    params: Mapping[str, str | Sequence[str]],
    options: Mapping[str, Sequence[tuple[str, int]] | Sequence[str]],
    claim_ids: Container[str] | Callable[[str], bool] = frozenset(),
) -> tuple[Filters, list[str]]:
    """Read a view from URL parameters. Bad values are ignored, each with a plain-text notice.

    ``claim_ids`` holds the known claim ids, or is a predicate that tells whether one id is known (one
    lookup in the engine instead of every id in memory); it is asked only when the URL names a claim.
    """
    notices: list[str] = []
    chosen: dict[str, object] = {}
    for name in params:
        if name not in ALL_PARAM_NAMES:
            notices.append(f"Ignored unknown URL parameter {shorten(name)!r}.")
    for p in FILTER_PARAMS:
        raw = _values(params.get(p.param))
        known = {v[0] if isinstance(v, tuple) else v for v in options.get(p.param, ())}
        kept: list[str] = []
        for value in raw[:MAX_VALUES_PER_PARAM]:
            if not value:
                continue
            if len(value) > MAX_VALUE_CHARS:
                notices.append(f"Ignored a {p.param} value of {len(value):,} characters (the limit is {MAX_VALUE_CHARS}).")
            elif value not in known:
                notices.append(f"Ignored {p.param}={shorten(value)!r}: no statement in the data has it.")
            elif value not in kept:
                kept.append(value)
        if len(raw) > MAX_VALUES_PER_PARAM:
            notices.append(f"Ignored {len(raw) - MAX_VALUES_PER_PARAM} {p.param} values beyond the first {MAX_VALUES_PER_PARAM}.")
        chosen[p.param] = tuple(kept)
    for name, attribute in (("from", "date_from"), ("to", "date_to")):
        value = _last(params.get(name))
        if value and (len(value) > MAX_VALUE_CHARS or date_error(value)):
            notices.append(f"Ignored {name}={shorten(value)!r}: a date is YYYY, YYYY-MM or YYYY-MM-DD.")
            value = ""
        chosen[attribute] = value
    if chosen["date_from"] and chosen["date_to"]:
        if parse_partial_date(str(chosen["date_to"])).end < parse_partial_date(str(chosen["date_from"])).start:
            notices.append(f"Ignored to={chosen['date_to']!r}: it is before from={chosen['date_from']!r}.")
            chosen["date_to"] = ""
    q = _last(params.get("q"))
    if len(q) > MAX_VALUE_CHARS:
        notices.append(f"Ignored a search text of {len(q):,} characters (the limit is {MAX_VALUE_CHARS}).")
        q = ""
    chosen["q"] = q.strip()
    authors = _last(params.get("authors")).strip().lower()
    if authors and authors not in AUTHORS_VALUES:
        notices.append(f"Ignored authors={shorten(authors)!r}: the value is exclude (or include, the default).")
    chosen["authors"] = "exclude" if authors == "exclude" else ""
    claim = _last(params.get("claim"))
    if claim and (len(claim) > MAX_VALUE_CHARS or not _is_known(claim, claim_ids)):
        notices.append(f"Ignored claim={shorten(claim)!r}: no claim has that id.")
        claim = ""
    chosen["claim"] = claim
    settings = []
    for p in VIEW_PARAMS:
        value = _last(params.get(p.param))
        if value and value not in p.choices:
            notices.append(f"Ignored {p.param}={shorten(value)!r}: it is one of {', '.join(p.choices)}.")
        elif value and value != p.default:
            settings.append((p.param, value))
    chosen["settings"] = tuple(settings)
    return Filters(**chosen), notices  # type: ignore[arg-type]


def _is_known(claim: str, claim_ids: Container[str] | Callable[[str], bool]) -> bool:
    return bool(claim_ids(claim)) if callable(claim_ids) else claim in claim_ids


def _last(raw: str | Sequence[str] | None) -> str:
    values = _values(raw)
    return values[-1] if values else ""


def apply_filters(claims: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """The claims that match every active filter, in their original order.

    With no active filter the frame itself comes back (no copy of a million rows); treat it as read-only.
    """
    mask = filter_mask(claims, filters)
    return claims if mask.all() else claims.loc[mask]


def filter_mask(claims: pd.DataFrame, filters: Filters) -> np.ndarray:
    mask = np.ones(len(claims), dtype=bool)
    for p in FILTER_PARAMS:
        selected = filters.selected(p.param)
        if not selected or p.column not in claims:
            continue
        column = claims[p.column]
        if p.is_list_column:
            mask &= list_contains_any(column, selected)
        else:
            mask &= column.isin(selected).to_numpy(dtype=bool, na_value=False)
    if filters.date_from and "date_end" in claims:
        start = pd.Timestamp(parse_partial_date(filters.date_from).start)
        mask &= (claims["date_end"] >= start).to_numpy()
    if filters.date_to and "date_start" in claims:
        end = pd.Timestamp(parse_partial_date(filters.date_to).end)
        mask &= (claims["date_start"] <= end).to_numpy()
    if filters.authors == "exclude" and len(claims):
        mask &= ~is_author(claims).to_numpy(dtype=bool)
    if filters.q and SEARCH_COLUMN in claims:
        haystack = claims[SEARCH_COLUMN]
        for word in fold_for_search(filters.q).split():
            mask &= haystack.str.contains(word, regex=False).to_numpy(dtype=bool, na_value=False)
    return mask


def list_contains_any(column: pd.Series, wanted: Sequence[str]) -> np.ndarray:
    """Rows whose list cell holds any of ``wanted`` (vectorised on Arrow list columns)."""
    arrow_type = column.dtype.pyarrow_dtype if isinstance(column.dtype, pd.ArrowDtype) else None
    if arrow_type is not None and (pa.types.is_list(arrow_type) or pa.types.is_large_list(arrow_type)):
        lists = pa.array(column.array)  # the column's Arrow data (__arrow_array__, no copy)
        items = pc.list_flatten(lists)
        parents = pc.list_parent_indices(lists)
        hits = pc.is_in(items, value_set=pa.array(list(wanted), type=items.type))
        rows = pc.filter(parents, hits).to_numpy()
        mask = np.zeros(len(column), dtype=bool)
        mask[rows] = True
        return mask
    chosen = set(wanted)
    return np.fromiter((bool(chosen.intersection(items)) for items in column), dtype=bool, count=len(column))


def active_params(filters: Filters) -> list[str]:
    """The URL parameter of each active filter (``from`` and ``to`` apart), in the order the hints list them.

    Shared by :func:`loosen_suggestions` and the engine's query of the same counts.
    """
    active = [p.param for p in FILTER_PARAMS if filters.selected(p.param)]
    active += [
        name
        for name, value in (("from", filters.date_from), ("to", filters.date_to), ("q", filters.q), ("authors", filters.authors))
        if value
    ]
    return active


def loosen_suggestions(claims: pd.DataFrame, filters: Filters) -> list[tuple[str, int]]:
    """For an empty result: each active filter and how many statements clearing it alone would give."""
    suggestions = []
    for param in active_params(filters):
        suggestions.append((param, int(filter_mask(claims, filters.without(param)).sum())))
    return sorted(suggestions, key=lambda item: -item[1])


def date_bounds(claims: pd.DataFrame) -> tuple[PartialDate | None, PartialDate | None]:
    """The earliest and latest statement dates (for the date filter's range)."""
    if claims.empty or claims["date_start"].isna().all():
        return None, None
    first = claims.loc[claims["date_start"].idxmin(), "date"]
    last = claims.loc[claims["date_end"].idxmax(), "date"]
    return parse_partial_date(str(first)), parse_partial_date(str(last))
