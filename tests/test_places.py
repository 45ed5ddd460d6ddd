"""Codes an analyst expects to work: ISO alpha-3 always, the built-in groups, countries.csv over both; names to codes."""

from __future__ import annotations

import re

import pytest

from claimscope.dates import date_error
from claimscope.ingest.dataset import load_dataset, load_folder
from claimscope.ingest.places import (
    BUILTIN_ORIGIN,
    FILE_ORIGIN,
    ISO_ORIGIN,
    builtin_groups,
    builtin_table,
    code_hint,
    iso_alpha3_codes,
    known_codes,
    resolve_place,
)
from tests.conftest import DATA_DIR, ROOT
from tests.statements import ORGANISATIONS, ROWS, contract_folder

REQUIRED_GROUPS = {"EU", "UN", "NATO", "G7", "G20", "ASEAN", "AU", "OSCE", "SCO", "BRICS", "QUAD", "GCC"}


def test_the_built_in_groups_are_there_with_members_date_and_source():
    groups = builtin_groups()
    assert REQUIRED_GROUPS <= set(groups["code"])
    assert groups["code"].is_unique
    codes = iso_alpha3_codes() | set(groups["code"])
    for row in groups.itertuples():
        assert row.members, row.code
        assert set(row.members) <= codes, (row.code, set(row.members) - codes)
        assert row.code not in row.members
        assert len(set(row.members)) == len(row.members), row.code
        assert date_error(row.members_as_of) is None, row.code
        assert re.match(r"^https://\S+$", row.source), row.code
        assert row.kind in ("group", "organization")
        assert row.kind == "group" or (-90 <= row.lat <= 90 and -180 <= row.lon <= 180), row.code


@pytest.mark.parametrize(("code", "count"), [("UN", 193), ("EU", 27), ("NATO", 32), ("G7", 7), ("AU", 55), ("OSCE", 57)])
def test_membership_counts_of_the_well_known_groups(code, count):
    # the counts the groups themselves publish for the date members_as_of holds for
    members = builtin_groups().set_index("code").loc[code, "members"]
    assert len(members) == count


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("Russia", "RUS"),
        ("South Korea", "KOR"),
        ("North Korea", "PRK"),
        ("DPRK", "PRK"),
        ("the EU", "EU"),
        ("European Union", "EU"),
        ("the US", "USA"),
        ("U.S.", "USA"),
        ("United States", "USA"),
        ("UK", "GBR"),
        ("Britain", "GBR"),
        ("Türkiye", "TUR"),
        ("Turkey", "TUR"),
        ("Iran", "IRN"),
        ("Vietnam", "VNM"),
        ("Moldova", "MDA"),  # the ISO name is "Moldova, Republic of"
        ("Vatican City State", "VAT"),  # a part of the ISO name in brackets
        ("NATO", "NATO"),
        ("g20", "G20"),
        ("African Union", "AU"),
        ("the Quad", "QUAD"),
        ("Gulf Cooperation Council", "GCC"),
        ("USA", "USA"),
        ("SUN", "SUN"),
        ("Soviet Union", "SUN"),
        ("Côte d'Ivoire", "CIV"),
        ("Niger", "NER"),
        ("Nigeria", "NGA"),
        ("JP", "JPN"),  # an ISO two-letter code
    ],
)
def test_names_analysts_type_resolve_to_codes(typed, code):
    found = resolve_place(typed)
    assert found.code == code, found


@pytest.mark.parametrize(
    ("typed", "candidates"),
    [
        ("Korea", ("KOR", "PRK")),
        ("Congo", ("COG", "COD")),
        ("AU", ("AU", "AUS")),  # the African Union's code, and Australia's two-letter code
        ("Virgin Islands", ("VGB", "VIR")),
        ("Kosovo", ()),  # pycountry's fuzzy search would say Serbia: a loose match is never taken
        ("Northern Ireland", ()),  # a word inside the United Kingdom's official name is not the United Kingdom
        ("Kremlin", ()),
        ("", ()),
    ],
)
def test_ambiguous_or_unknown_names_are_not_guessed(typed, candidates):
    found = resolve_place(typed)
    assert found.code is None
    assert found.candidates == candidates


def test_an_answer_wins_over_the_tables():
    assert resolve_place("Korea", {"korea": "KOR"}).code == "KOR"
    assert resolve_place("Kosovo", {"Kosovo": "XKX"}).code == "XKX"


@pytest.mark.parametrize(
    ("code", "hint"),
    [
        ("rus", "codes are upper case: 'RUS'"),
        ("Russia", "the code of 'Russia' is 'RUS'"),
        ("XYZ", ""),
        ("eu", "codes are upper case: 'EU'"),
    ],
)
def test_hints_for_unknown_codes(code, hint):
    assert code_hint(code) == hint


def test_places_layers_iso_then_built_in_then_countries_csv():
    own = load_dataset(
        {
            "claims.csv": b"claim_id,date,speaker,speaker_country,kind,quote\nc1,2024,A,NATO,claim,q\n",
            "countries.csv": b"code,name,kind,lat,lon,members\nNATO,NATO (as this dataset counts it),organization,1,2,USA;CAN\nKOR,Republic of Korea,state,37.5,127,\n",
        }
    )
    table = own.countries.set_index("code")
    assert table.loc["NATO", "name"] == "NATO (as this dataset counts it)"
    assert table.loc["NATO", "members"] == ["USA", "CAN"]  # the override replaces the built-in row whole
    assert table.loc["NATO", "defined_in"] == FILE_ORIGIN
    assert (table.loc["KOR", "lat"], table.loc["KOR", "defined_in"]) == (37.5, FILE_ORIGIN)
    assert table.loc["G7", "defined_in"] == BUILTIN_ORIGIN
    assert table.loc["JPN", "defined_in"] == ISO_ORIGIN and table.loc["JPN", "kind"] == "state"
    assert own.country_name("G20") == "Group of Twenty"
    assert len(own.frames["countries"]) == 2  # the dataset's own rows stay as they are (exported as they are)
    assert builtin_table({"NATO"}).set_index("code").loc["NATO", "overridden by countries.csv"]


def test_known_codes_take_the_dataset_s_own():
    assert {"USA", "SUN", "EU", "WEST"} <= known_codes({"WEST"})
    assert "WEST" not in known_codes()


def test_a_countries_csv_of_only_organisations_validates_every_row(tmp_path):
    """The issue's case: 125 statements by 17 speakers; countries.csv defines only EU, UN, NATO and G7."""
    dataset = load_folder(contract_folder(tmp_path / "list"))
    assert [str(p) for p in dataset.problems] == []
    assert len(dataset.claims) == ROWS
    assert dataset.reports["countries.csv"].rows_accepted == len(ORGANISATIONS)
    assert dataset.set_aside == []
    assert dataset.title == "list"  # the folder's name, when there is no datapackage.json


def test_the_curated_custom_codes_keep_working():
    dataset = load_folder(DATA_DIR)
    custom = set(dataset.frames["countries"]["code"]) - iso_alpha3_codes()
    assert custom, "the curated data defines codes of its own"
    assert not [p for p in dataset.problems if "countries.csv" in str(p)]
    table = dataset.countries.set_index("code")
    for code in custom:
        assert table.loc[code, "defined_in"] == FILE_ORIGIN  # the dataset's definition, not the built-in one


def test_the_docs_list_every_built_in_group():
    docs = (ROOT / "docs" / "data.md").read_text(encoding="utf-8")
    for row in builtin_groups().itertuples():
        assert f"| `{row.code}` | {row.name} | {row.kind} | {len(row.members)} | {row.members_as_of} |" in docs, row.code


def test_a_row_that_only_locates_a_country_keeps_its_name():
    dataset = load_dataset(
        {
            "claims.csv": b"claim_id,date,speaker,speaker_country,kind,quote\nc1,2024,A,USA,claim,q\n",
            "countries.csv": b"code,name,lat,lon\nUSA,,38.9,-77.0\nWEST,,,\n",
        }
    )
    table = dataset.countries.set_index("code")
    assert (table.loc["USA", "name"], table.loc["USA", "lat"]) == ("United States", 38.9)
    assert table.loc["WEST", "name"] == "WEST"
