"""Country, group and organisation codes an analyst can use without defining them.

Three layers, each overriding the one before by code:

1. every ISO 3166-1 alpha-3 code, current or withdrawn (``SUN`` for the USSR), from pycountry;
2. the well-known groups and organisations built into claimscope (``groups.csv`` beside this module:
   EU, UN, NATO, G7, G20, ASEAN, AU, OSCE, SCO, BRICS, QUAD, GCC), each with its members, the date the
   member list holds for and the source it was taken from;
3. the dataset's own ``countries.csv``, which adds groups and organisations and may rename or locate
   any code (its row replaces the built-in one whole).

So a dataset never has to repeat the world, and a country's name typed by an analyst ("Russia", "South
Korea", "the EU") can be turned into its code (:func:`resolve_place`) without guessing: a name that could
be two places, or that only a loose match connects to one, is returned as unresolved with the candidates.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd
import pycountry

GROUPS_FILE = Path(__file__).resolve().parent / "groups.csv"
ISO_ORIGIN, BUILTIN_ORIGIN, FILE_ORIGIN = "ISO 3166-1", "built in", "countries.csv"
PLACE_COLUMNS = ["code", "name", "kind", "lat", "lon", "members", "members_as_of", "source", "note", "defined_in"]

#: common English names (and abbreviations) that the ISO tables do not carry, folded as :func:`fold_name` folds
COMMON_NAMES: dict[str, str] = {
    "us": "USA",
    "u s": "USA",
    "usa": "USA",
    "u s a": "USA",
    "america": "USA",
    "united states of america": "USA",
    "uk": "GBR",
    "u k": "GBR",
    "britain": "GBR",
    "great britain": "GBR",
    "russia": "RUS",
    "south korea": "KOR",
    "republic of korea": "KOR",
    "rok": "KOR",
    "north korea": "PRK",
    "dprk": "PRK",
    "turkey": "TUR",
    "turkiye": "TUR",
    "iran": "IRN",
    "vietnam": "VNM",
    "viet nam": "VNM",
    "syria": "SYR",
    "laos": "LAO",
    "prc": "CHN",
    "taiwan": "TWN",
    "ivory coast": "CIV",
    "cape verde": "CPV",
    "swaziland": "SWZ",
    "burma": "MMR",
    "east timor": "TLS",
    "macedonia": "MKD",
    "czech republic": "CZE",
    "vatican": "VAT",
    "vatican city": "VAT",
    "holy see": "VAT",
    "palestine": "PSE",
    "uae": "ARE",
    "emirates": "ARE",
    "ksa": "SAU",
    "drc": "COD",
    "dr congo": "COD",
    "democratic republic of the congo": "COD",
    "congo kinshasa": "COD",
    "republic of the congo": "COG",
    "congo brazzaville": "COG",
    "ussr": "SUN",
    "soviet union": "SUN",
    "bolivia": "BOL",
    "venezuela": "VEN",
    "tanzania": "TZA",
    "moldova": "MDA",
    "brunei": "BRN",
    "micronesia": "FSM",
}
#: names that stand for more than one place: always asked, never resolved
AMBIGUOUS_NAMES: dict[str, tuple[str, ...]] = {
    "korea": ("KOR", "PRK"),
    "congo": ("COG", "COD"),
    "the congo": ("COG", "COD"),
    "au": ("AU", "AUS"),  # the African Union's code, and Australia's two-letter code
}


def fold_name(name: str) -> str:
    """A name as compared: accents dropped, case folded, punctuation as spaces, a leading "the" dropped."""
    decomposed = unicodedata.normalize("NFKD", str(name))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    plain = re.sub(r"[^\w]+", " ", plain).strip()
    return re.sub(r"^the ", "", plain)


@lru_cache(maxsize=1)
def iso_alpha3_codes() -> frozenset[str]:
    """Current and withdrawn ISO 3166-1 alpha-3 codes (``SUN`` for the USSR is withdrawn)."""
    return frozenset(c.alpha_3 for c in pycountry.countries) | frozenset(c.alpha_3 for c in pycountry.historic_countries)


def _split(cell: str) -> list[str]:
    return [item.strip() for item in str(cell or "").split(";") if item.strip()]


@lru_cache(maxsize=1)
def builtin_groups() -> pd.DataFrame:
    """The built-in groups and organisations (one row each; ``members`` and ``aliases`` as lists).

    Read from the CSV shipped with the package, so the list can be reviewed and updated as data.
    """
    with GROUPS_FILE.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    frame = pd.DataFrame(rows)
    frame["lat"] = pd.to_numeric(frame["lat"], errors="coerce")
    frame["lon"] = pd.to_numeric(frame["lon"], errors="coerce")
    frame["members"] = frame["members"].map(_split)
    frame["aliases"] = frame["aliases"].map(_split)
    return frame


def builtin_codes() -> frozenset[str]:
    return frozenset(builtin_groups()["code"])


def known_codes(dataset_codes: frozenset[str] | set[str] = frozenset()) -> frozenset[str]:
    """Every code a dataset may use: ISO alpha-3, the built-in groups and its own countries.csv codes."""
    return iso_alpha3_codes() | builtin_codes() | frozenset(dataset_codes)


@lru_cache(maxsize=1)
def _iso_places() -> pd.DataFrame:
    rows = []
    for collection in (pycountry.historic_countries, pycountry.countries):
        for c in collection:
            rows.append({"code": c.alpha_3, "name": getattr(c, "common_name", None) or c.name, "kind": "state"})
    frame = pd.DataFrame(rows).drop_duplicates("code", keep="last")
    frame["defined_in"] = ISO_ORIGIN
    return frame


def places(countries_file: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every known code with its name, kind, coordinates and members: ISO, then built in, then countries.csv.

    A row of the dataset's countries.csv replaces the built-in or ISO row of its code whole (its empty
    cells are not filled from the built-in row: an override says everything the dataset means), except
    an empty name, which keeps the known one: a row that only locates a country need not name it.
    """
    groups = builtin_groups().drop(columns=["aliases"]).assign(defined_in=BUILTIN_ORIGIN)
    layers = [_iso_places(), groups]
    if countries_file is not None and not countries_file.empty:
        own = countries_file[[c for c in countries_file.columns if c in PLACE_COLUMNS or not str(c).startswith("_")]].copy()
        own = own.drop(columns=[c for c in ("index",) if c in own])
        own["defined_in"] = FILE_ORIGIN
        if "members" in own:
            own["members"] = [_split(m) if m is None or isinstance(m, str) else [str(i) for i in m] for m in own["members"]]
        layers.append(own)
    frame = pd.concat(layers, ignore_index=True)
    known_names = dict(zip(frame["code"], frame["name"], strict=True)) if len(layers) == 2 else _known_names()
    frame = frame.drop_duplicates("code", keep="last").reset_index(drop=True)
    for column in PLACE_COLUMNS:
        if column not in frame:
            frame[column] = None
    frame["lat"] = pd.to_numeric(frame["lat"], errors="coerce")
    frame["lon"] = pd.to_numeric(frame["lon"], errors="coerce")
    frame["members"] = [m if isinstance(m, list) else [] for m in frame["members"]]
    for column in ("name", "kind", "members_as_of", "source", "note"):
        frame[column] = frame[column].astype(object).where(frame[column].notna(), "").astype(str)
    # an override that leaves the name empty keeps the known name (it only locates or regroups the code)
    frame["name"] = frame["name"].where(frame["name"] != "", frame["code"].map(known_names).fillna(frame["code"]))
    ordered = PLACE_COLUMNS + [c for c in frame.columns if c not in PLACE_COLUMNS]
    return frame[ordered]


@lru_cache(maxsize=1)
def _known_names() -> dict[str, str]:
    """Code -> name from the ISO tables and the built-in groups (no dataset)."""
    known = places()
    return dict(zip(known["code"], known["name"], strict=True))


def known_names() -> dict[str, str]:
    """A copy of the ISO and built-in names, computed once per process (the pages ask on every run)."""
    return dict(_known_names())


def builtin_table(dataset_codes: frozenset[str] | set[str] = frozenset()) -> pd.DataFrame:
    """The built-in groups as the Data page and the docs show them, noting which ones the dataset overrides."""
    groups = builtin_groups()
    return pd.DataFrame(
        {
            "code": groups["code"],
            "name": groups["name"],
            "kind": groups["kind"],
            "members": [len(m) for m in groups["members"]],
            "member codes": [";".join(m) for m in groups["members"]],
            "members as of": groups["members_as_of"],
            "note": groups["note"],
            "source": groups["source"],
            "overridden by countries.csv": groups["code"].isin(list(dataset_codes)),
        }
    )


# --- turning a typed name into a code -------------------------------------------------------------------


@dataclass(frozen=True)
class Resolution:
    """What a typed name stands for: a code, or none with the candidates and the reason."""

    text: str
    code: str | None
    how: str  # "code", "name", "common name", "group", "ISO name", "loose match", or why it failed
    candidates: tuple[str, ...] = ()


@lru_cache(maxsize=1)
def _name_index() -> dict[str, str]:
    """Folded name -> code: ISO names (official, common), built-in group names and aliases, common names."""
    index: dict[str, str] = {}
    for collection in (pycountry.historic_countries, pycountry.countries):
        for c in collection:
            for attribute in ("name", "official_name", "common_name"):
                value = getattr(c, attribute, None)
                if value:
                    index[fold_name(value)] = c.alpha_3
    for code, name, aliases in zip(builtin_groups()["code"], builtin_groups()["name"], builtin_groups()["aliases"], strict=True):
        for value in (code, name, *aliases):
            index[fold_name(value)] = code
    index.update(COMMON_NAMES)
    return index


@lru_cache(maxsize=1)
def _segment_index() -> dict[str, tuple[str, ...]]:
    """Folded name segment -> codes: "Moldova, Republic of" gives "moldova", "Holy See (Vatican City State)" both parts."""
    index: dict[str, list[str]] = {}
    for c in pycountry.countries:
        for attribute in ("name", "official_name", "common_name"):
            value = getattr(c, attribute, None)
            for segment in re.split(r"[,()]", value or ""):
                folded = fold_name(segment)
                if folded and c.alpha_3 not in index.setdefault(folded, []):
                    index[folded].append(c.alpha_3)
    return {k: tuple(v) for k, v in index.items()}


def _loose_match(folded: str) -> tuple[str, ...]:
    """ISO countries one of whose names has ``folded`` as a whole part (before or after a comma, in brackets).

    pycountry's own fuzzy search is not used: it also matches subdivision names and words inside names
    (it finds Serbia for "Kosovo", the United Kingdom for "Northern Ireland").
    """
    return _segment_index().get(folded, ())


def resolve_place(text: str, extra: dict[str, str] | None = None, dataset_codes: frozenset[str] = frozenset()) -> Resolution:
    """The code a typed country, group or organisation name stands for, or None with why.

    ``extra`` maps names to codes the analyst settled (they win); ``dataset_codes`` are codes of the
    dataset's countries.csv (typed as they are, they resolve to themselves).
    """
    raw = str(text).strip()
    if not raw:
        return Resolution(raw, None, "empty")
    if extra:
        settled = {fold_name(k): v for k, v in extra.items()}
        if fold_name(raw) in settled:
            return Resolution(raw, settled[fold_name(raw)], "settled")
    folded = fold_name(raw)
    if folded in AMBIGUOUS_NAMES:
        return Resolution(raw, None, "could be more than one place", AMBIGUOUS_NAMES[folded])
    if raw in known_codes(dataset_codes):
        return Resolution(raw, raw, "code")
    index = _name_index()
    if folded in index:
        return Resolution(raw, index[folded], "name")
    if len(raw) == 2 and raw.isalpha():
        country = pycountry.countries.get(alpha_2=raw.upper())
        if country is not None:
            return Resolution(raw, country.alpha_3, "ISO two-letter code")
    loose = _loose_match(folded)
    if len(loose) == 1:
        return Resolution(raw, loose[0], "loose match")
    if len(loose) > 1:
        return Resolution(raw, None, "could be more than one place", loose)
    return Resolution(raw, None, "not a country, group or organisation claimscope knows")


def code_hint(code: str, dataset_codes: frozenset[str] = frozenset()) -> str:
    """A hint for a code that is not known: the code it may have meant (case, or a name typed for a code)."""
    if code.upper() != code and code.upper() in known_codes(dataset_codes):
        return f"codes are upper case: {code.upper()!r}"
    found = resolve_place(code, dataset_codes=dataset_codes)
    if found.code and found.code != code:
        return f"the code of {code!r} is {found.code!r}"
    return ""
