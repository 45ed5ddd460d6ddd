"""A corpus of broken and hostile datasets, each a small edit of the valid base of ``corpus_helpers``.

Each case lists the *whole* list of problems the loader must report (``file:line:column: message``)
and how many rows of one file are accepted and rejected. Every case is also checked for the promise
"nothing is dropped silently": each row read is either accepted or listed as rejected with its problems.
"""

from __future__ import annotations

import codecs

import pandas as pd
import pytest

from claimscope.ingest.dataset import PROBLEMS_COLUMN, load_dataset
from claimscope.schema import FILES
from tests.corpus_helpers import (
    add_column,
    add_row,
    base_files,
    drop_column,
    remove,
    replace,
    set_cell,
    set_package,
)

# Lines of the base: claims.csv c1=2 c2=3 c3=4 c4=5; actors Putin=2 Kim=3 "US State Department"=4
# "Example News"=5; countries RUS=2 PRK=3 USA=4 KOR=5 WEST=6; sources seed=2 wire=3; events ev1=2 ev2=3;
# relations RUS-PRK=2 WEST-RUS=3.


def mixed_endings(files: dict[str, bytes]) -> None:
    """claims.csv with CRLF, LF, CR, CRLF and LF line endings."""
    lines = files["claims.csv"].decode().split("\n")[:-1]
    ends = ["\r\n", "\n", "\r", "\r\n", "\n"]
    files["claims.csv"] = "".join(line + end for line, end in zip(lines, ends, strict=True)).encode()


def add_bom(files: dict[str, bytes]) -> None:
    for name in ("claims.csv", "datapackage.json"):
        files[name] = codecs.BOM_UTF8 + files[name]


def first_line_only(files: dict[str, bytes], name: str) -> None:
    files[name] = files[name].split(b"\n")[0] + b"\n"


def steps(*edits):
    """Run several edits in order."""

    def run(files: dict[str, bytes]) -> None:
        for edit in edits:
            edit(files)

    return run


def cell(file: str, line: int, column: str, value: str):
    return lambda files: set_cell(files, file, line, column, value)


def swap(file: str, old: bytes, new: bytes):
    return lambda files: replace(files, file, old, new)


NOT_CODE = "is not an ISO 3166-1 alpha-3 code, a built-in group or a code of countries.csv"
NOT_ISO = "is not an ISO 3166-1 alpha-3 code or a built-in group, and there is no countries.csv to define it"
NOT_STANCE = "is not one of support, oppose, concern, neutral"
NOT_URL = "is not an absolute http or https address"
NOT_RELATIVE = "must be a relative path inside the dataset folder"
NO_SOURCES = "refers to sources.csv, which the dataset does not have"

# (case_id, mutation, expected problems (the whole list), (file, rows accepted, rows rejected))
CASES = [
    # --- dates -------------------------------------------------------------------------------------
    (
        "date_bad_format",
        cell("claims.csv", 2, "date", "19/06/2024"),
        ["claims.csv:2:date: '19/06/2024' is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD"],
        ("claims.csv", 3, 1),
    ),
    (
        "date_with_time",
        cell("claims.csv", 2, "date", "2024-06-19T10:00"),
        ["claims.csv:2:date: '2024-06-19T10:00' is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD"],
        ("claims.csv", 3, 1),
    ),
    (
        "date_fullwidth_digits",
        cell("claims.csv", 2, "date", "２０２４-06-19"),
        ["claims.csv:2:date: '２０２４-06-19' is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD"],
        ("claims.csv", 3, 1),
    ),
    (
        "date_month_13",
        cell("claims.csv", 3, "date", "2024-13"),
        ["claims.csv:3:date: '2024-13' has month 13, which is not 01 to 12"],
        ("claims.csv", 3, 1),
    ),
    (
        "date_feb_30",
        cell("events.csv", 3, "date", "2024-02-30"),
        ["events.csv:3:date: '2024-02-30' has day 30, but 2024-02 has 29 days"],
        ("events.csv", 1, 1),
    ),
    (
        "date_year_0000",
        cell("sources.csv", 3, "published", "0000"),
        ["sources.csv:3:published: '0000' has year 0000, which does not exist"],
        ("sources.csv", 1, 1),
    ),
    (
        "date_year_outside_timeline",
        cell("relations.csv", 3, "start", "1500"),
        ["relations.csv:3:start: '1500' is outside the years 1678 to 2261 that the app can place on a timeline"],
        ("relations.csv", 1, 1),
    ),
    # --- codes -------------------------------------------------------------------------------------
    (
        "code_unknown_speaker_country",
        cell("claims.csv", 2, "speaker_country", "XXX"),
        [f"claims.csv:2:speaker_country: 'XXX' {NOT_CODE}"],
        ("claims.csv", 3, 1),
    ),
    (
        "code_unknown_about_item",
        cell("claims.csv", 3, "about", "PRK;ZZZ;RUS"),
        [f"claims.csv:3:about: 'ZZZ' {NOT_CODE}"],
        ("claims.csv", 3, 1),
    ),
    (
        "code_unknown_actor_country",
        cell("actors.csv", 2, "country", "SOV"),
        [f"actors.csv:2:country: 'SOV' {NOT_CODE}"],
        ("actors.csv", 3, 1),
    ),
    (
        "code_unknown_member",
        cell("countries.csv", 6, "members", "USA;EUR"),
        [f"countries.csv:6:members: 'EUR' {NOT_CODE}"],
        ("countries.csv", 4, 1),
    ),
    (
        # countries.csv need not repeat the world: ISO codes, current or withdrawn, are always known
        "code_iso_not_in_countries_file_accepted",
        steps(cell("actors.csv", 2, "country", "SUN"), cell("claims.csv", 3, "about", "PRK;FRA;JPN")),
        [],
        ("claims.csv", 4, 0),
    ),
    (
        "code_builtin_groups_accepted_as_members_and_speakers",
        steps(cell("countries.csv", 6, "members", "USA;EU;NATO"), cell("claims.csv", 5, "speaker_country", "G7")),
        [],
        ("countries.csv", 5, 0),
    ),
    (
        "code_lowercase_gets_a_hint",
        cell("claims.csv", 2, "speaker_country", "rus"),
        [f"claims.csv:2:speaker_country: 'rus' {NOT_CODE} (codes are upper case: 'RUS')"],
        ("claims.csv", 3, 1),
    ),
    (
        "code_country_name_gets_a_hint",
        cell("claims.csv", 2, "about", "Russia;PRK"),
        [f"claims.csv:2:about: 'Russia' {NOT_CODE} (the code of 'Russia' is 'RUS')"],
        ("claims.csv", 3, 1),
    ),
    (
        "code_member_of_itself",
        cell("countries.csv", 6, "members", "USA;WEST"),
        ["countries.csv:6:members: 'WEST' cannot be a member of itself"],
        ("countries.csv", 4, 1),
    ),
    (
        "code_unknown_event_countries",
        cell("events.csv", 2, "countries", "RUS;XYZ"),
        [f"events.csv:2:countries: 'XYZ' {NOT_CODE}"],
        ("events.csv", 1, 1),
    ),
    (
        "code_unknown_relation_from",
        cell("relations.csv", 2, "from_country", "RUSSIA"),
        [f"relations.csv:2:from_country: 'RUSSIA' {NOT_CODE} (the code of 'RUSSIA' is 'RUS')"],
        ("relations.csv", 1, 1),
    ),
    (
        "code_unknown_relation_to_lowercase",
        cell("relations.csv", 3, "to_country", "rus"),
        [f"relations.csv:3:to_country: 'rus' {NOT_CODE} (codes are upper case: 'RUS')"],
        ("relations.csv", 1, 1),
    ),
    (
        "code_no_countries_file_iso_fallback",
        lambda f: remove(f, "countries.csv"),
        [f"claims.csv:5:about: 'WEST' {NOT_ISO}", f"relations.csv:3:from_country: 'WEST' {NOT_ISO}"],
        ("claims.csv", 3, 1),
    ),
    (
        "code_no_countries_file_historic_iso_accepted",
        steps(
            lambda f: remove(f, "countries.csv"),
            cell("claims.csv", 5, "about", "SUN;KOR"),
            cell("relations.csv", 3, "from_country", "USA"),
        ),
        [],
        ("claims.csv", 4, 0),
    ),
    # --- duplicate ids -----------------------------------------------------------------------------
    (
        "duplicate_claim_id",
        cell("claims.csv", 4, "claim_id", "c2"),
        [
            "claims.csv:4:claim_id: duplicate claim_id 'c2' (first on line 3)",
            "relations.csv:3:evidence: 'c3' is not a claim_id or event_id of this dataset",
        ],
        ("claims.csv", 3, 1),
    ),
    (
        "duplicate_actor_name",
        lambda f: add_row(f, "actors.csv", name="Kim Jong Un", kind="person"),
        ["actors.csv:6:name: duplicate name 'Kim Jong Un' (first on line 3)"],
        ("actors.csv", 4, 1),
    ),
    (
        "duplicate_country_code",
        lambda f: add_row(f, "countries.csv", code="RUS", name="Russian Federation", kind="state"),
        ["countries.csv:7:code: duplicate code 'RUS' (first on line 2)"],
        ("countries.csv", 5, 1),
    ),
    (
        "duplicate_source_id",
        cell("sources.csv", 3, "source_id", "seed"),
        [
            "claims.csv:4:source_id: 'wire' is not a source_id of this dataset",
            "sources.csv:3:source_id: duplicate source_id 'seed' (first on line 2)",
        ],
        ("sources.csv", 1, 1),
    ),
    (
        # the rejected duplicate (dated 2024-07) must not replace ev1's date for the reaction c4 (2024-06)
        "duplicate_event_id",
        cell("events.csv", 3, "event_id", "ev1"),
        ["events.csv:3:event_id: duplicate event_id 'ev1' (first on line 2)"],
        ("events.csv", 1, 1),
    ),
    # --- enums -------------------------------------------------------------------------------------
    (
        "enum_claims_kind",
        cell("claims.csv", 2, "kind", "Claim"),
        ["claims.csv:2:kind: 'Claim' is not one of claim, reaction"],
        ("claims.csv", 3, 1),
    ),
    (
        "enum_claims_claim_type",
        cell("claims.csv", 3, "claim_type", "boast"),
        [
            "claims.csv:3:claim_type: 'boast' is not one of pledge, assertion, assessment, concern, warning, demand, "
            "plan, praise, condemnation, denial"
        ],
        ("claims.csv", 3, 1),
    ),
    (
        "enum_claims_stance",
        cell("claims.csv", 4, "stance", "positive"),
        [f"claims.csv:4:stance: 'positive' {NOT_STANCE}"],
        ("claims.csv", 3, 1),
    ),
    (
        "enum_claims_certainty",
        cell("claims.csv", 5, "certainty", "certain"),
        ["claims.csv:5:certainty: 'certain' is not one of asserted, hedged, speculative"],
        ("claims.csv", 3, 1),
    ),
    (
        "enum_claims_attribution",
        cell("claims.csv", 2, "attribution", "quote"),
        ["claims.csv:2:attribution: 'quote' is not one of direct_quote, paraphrase, unattributed"],
        ("claims.csv", 3, 1),
    ),
    (
        "enum_claims_date_basis",
        cell("claims.csv", 3, "date_basis", "guessed"),
        ["claims.csv:3:date_basis: 'guessed' is not one of stated, inferred, external"],
        ("claims.csv", 3, 1),
    ),
    (
        "enum_actors_kind",
        cell("actors.csv", 4, "kind", "ministry"),
        ["actors.csv:4:kind: 'ministry' is not one of person, government, agency, organization, group, media, author"],
        ("actors.csv", 3, 1),
    ),
    (
        "enum_countries_kind",
        cell("countries.csv", 6, "kind", "bloc"),
        ["countries.csv:6:kind: 'bloc' is not one of state, group, organization"],
        ("countries.csv", 4, 1),
    ),
    (
        "enum_relations_relation",
        cell("relations.csv", 3, "relation", "hostility"),
        [
            "relations.csv:3:relation: 'hostility' is not one of alliance, partnership, support, sanctions, conflict, "
            "concern, diplomatic"
        ],
        ("relations.csv", 1, 1),
    ),
    # --- required columns and values ----------------------------------------------------------------
    (
        # one problem for the missing column, not one more per row; every row is rejected with it
        "missing_column_claims_quote",
        lambda f: drop_column(f, "claims.csv", "quote"),
        ["claims.csv:1:quote: required column is missing"],
        ("claims.csv", 0, 4),
    ),
    (
        "missing_column_events_title",
        lambda f: drop_column(f, "events.csv", "title"),
        ["events.csv:1:title: required column is missing"],
        ("events.csv", 0, 2),
    ),
    (
        "missing_column_optional_is_fine",
        lambda f: drop_column(f, "claims.csv", "summary"),
        [],
        ("claims.csv", 4, 0),
    ),
    (
        "missing_value_claims_speaker",
        cell("claims.csv", 3, "speaker", ""),
        ["claims.csv:3:speaker: is required but empty"],
        ("claims.csv", 3, 1),
    ),
    (
        "missing_value_claims_quote_blank",
        cell("claims.csv", 5, "quote", "   "),
        ["claims.csv:5:quote: is required but empty"],
        ("claims.csv", 3, 1),
    ),
    (
        "missing_value_events_title",
        cell("events.csv", 3, "title", ""),
        ["events.csv:3:title: is required but empty"],
        ("events.csv", 1, 1),
    ),
    (
        "missing_value_relations_from",
        cell("relations.csv", 2, "from_country", ""),
        ["relations.csv:2:from_country: is required but empty"],
        ("relations.csv", 1, 1),
    ),
    (
        "missing_value_actor_name",
        cell("actors.csv", 5, "name", ""),
        [
            "claims.csv:5:speaker: 'Example News' is not a name or alias in actors.csv",
            "actors.csv:5:name: is required but empty",
        ],
        ("actors.csv", 3, 1),
    ),
    # --- references --------------------------------------------------------------------------------
    (
        "dangling_source_id",
        cell("claims.csv", 4, "source_id", "ghost"),
        ["claims.csv:4:source_id: 'ghost' is not a source_id of this dataset"],
        ("claims.csv", 3, 1),
    ),
    (
        "dangling_event_source_id",
        cell("events.csv", 2, "source_id", "ghost"),
        ["events.csv:2:source_id: 'ghost' is not a source_id of this dataset"],
        ("events.csv", 1, 1),
    ),
    (
        "source_id_without_sources_file",
        steps(lambda f: remove(f, "sources.csv"), cell("events.csv", 2, "source_id", "")),
        [
            f"claims.csv:2:source_id: 'seed' {NO_SOURCES}",
            f"claims.csv:3:source_id: 'seed' {NO_SOURCES}",
            f"claims.csv:4:source_id: 'wire' {NO_SOURCES}",
        ],
        ("claims.csv", 1, 3),
    ),
    (
        "dangling_responds_to",
        cell("claims.csv", 4, "responds_to", "c9"),
        ["claims.csv:4:responds_to: 'c9' is not a claim_id or event_id of this dataset"],
        ("claims.csv", 3, 1),
    ),
    (
        "dangling_evidence",
        cell("relations.csv", 2, "evidence", "c1;ghost;ev1"),
        ["relations.csv:2:evidence: 'ghost' is not a claim_id or event_id of this dataset"],
        ("relations.csv", 1, 1),
    ),
    (
        "responds_to_itself",
        cell("claims.csv", 4, "responds_to", "c3"),
        ["claims.csv:4:responds_to: 'c3' is the claim itself"],
        ("claims.csv", 3, 1),
    ),
    (
        "reaction_before_claim",
        cell("claims.csv", 4, "date", "2024-06-18"),
        ["claims.csv:4:responds_to: the reaction (2024-06-18) is dated before 'c1' (2024-06-19), which it responds to"],
        ("claims.csv", 3, 1),
    ),
    (
        "reaction_month_before_event",
        cell("claims.csv", 5, "date", "2024-05"),
        ["claims.csv:5:responds_to: the reaction (2024-05) is dated before 'ev1' (2024-06-19), which it responds to"],
        ("claims.csv", 3, 1),
    ),
    (
        # 2024-07-01 lies inside ev2's month 2024-07: not before it
        "reaction_inside_event_month_accepted",
        steps(cell("claims.csv", 4, "responds_to", "ev2"), cell("claims.csv", 4, "date", "2024-07-01")),
        [],
        ("claims.csv", 4, 0),
    ),
    # --- date order --------------------------------------------------------------------------------
    (
        "event_end_before_date",
        cell("events.csv", 2, "end_date", "2024-06-18"),
        ["events.csv:2:end_date: '2024-06-18' is before date '2024-06-19'"],
        ("events.csv", 1, 1),
    ),
    (
        "event_end_same_month_accepted",
        cell("events.csv", 2, "end_date", "2024-06"),
        [],
        ("events.csv", 2, 0),
    ),
    (
        "relation_end_before_start",
        cell("relations.csv", 2, "end", "2023-12-31"),
        ["relations.csv:2:end: '2023-12-31' is before start '2024-06-19'"],
        ("relations.csv", 1, 1),
    ),
    # --- urls, bools, numbers ----------------------------------------------------------------------
    (
        "url_relative",
        cell("claims.csv", 2, "url", "/seed"),
        [f"claims.csv:2:url: '/seed' {NOT_URL}"],
        ("claims.csv", 3, 1),
    ),
    (
        "url_javascript",
        cell("sources.csv", 2, "url", "javascript:alert(1)"),
        [f"sources.csv:2:url: 'javascript:alert(1)' {NOT_URL}"],
        ("sources.csv", 1, 1),
    ),
    (
        "url_ftp",
        cell("events.csv", 3, "url", "ftp://example.org/talks"),
        [f"events.csv:3:url: 'ftp://example.org/talks' {NOT_URL}"],
        ("events.csv", 1, 1),
    ),
    (
        "url_no_host_and_space",
        steps(cell("claims.csv", 4, "url", "https:///x"), cell("claims.csv", 3, "url", "https://example.org/a b")),
        [f"claims.csv:3:url: 'https://example.org/a b' {NOT_URL}", f"claims.csv:4:url: 'https:///x' {NOT_URL}"],
        ("claims.csv", 2, 2),
    ),
    (
        "bool_bad",
        cell("relations.csv", 2, "directed", "yes"),
        ["relations.csv:2:directed: 'yes' is not true or false"],
        ("relations.csv", 1, 1),
    ),
    (
        "bool_capitalised",
        cell("relations.csv", 3, "directed", "TRUE"),
        ["relations.csv:3:directed: 'TRUE' is not true or false"],
        ("relations.csv", 1, 1),
    ),
    (
        "lat_out_of_range",
        cell("countries.csv", 2, "lat", "91"),
        ["countries.csv:2:lat: '91' is outside -90 to 90"],
        ("countries.csv", 4, 1),
    ),
    (
        "lon_out_of_range",
        cell("countries.csv", 4, "lon", "-180.5"),
        ["countries.csv:4:lon: '-180.5' is outside -180 to 180"],
        ("countries.csv", 4, 1),
    ),
    (
        "lat_not_numeric",
        cell("countries.csv", 3, "lat", "39°N"),
        ["countries.csv:3:lat: '39°N' is not a number"],
        ("countries.csv", 4, 1),
    ),
    (
        "lon_nan_and_lat_inf",
        steps(cell("countries.csv", 5, "lon", "nan"), cell("countries.csv", 4, "lat", "inf")),
        ["countries.csv:4:lat: 'inf' is not a finite number", "countries.csv:5:lon: 'nan' is not a finite number"],
        ("countries.csv", 3, 2),
    ),
    # --- speakers ----------------------------------------------------------------------------------
    (
        "speaker_not_in_actors",
        cell("claims.csv", 2, "speaker", "V Putin"),
        ["claims.csv:2:speaker: 'V Putin' is not a name or alias in actors.csv"],
        ("claims.csv", 3, 1),
    ),
    ("speaker_alias_accepted", cell("claims.csv", 2, "speaker", "V. Putin"), [], ("claims.csv", 4, 0)),
    (
        "speaker_without_actors_file_accepted",
        steps(lambda f: remove(f, "actors.csv"), cell("claims.csv", 2, "speaker", "Anyone")),
        [],
        ("claims.csv", 4, 0),
    ),
    (
        "speaker_country_empty_attributed",
        cell("claims.csv", 3, "speaker_country", ""),
        ["claims.csv:3:speaker_country: is required (it may be empty only when attribution is unattributed)"],
        ("claims.csv", 3, 1),
    ),
    (
        "speaker_country_empty_unattributed_accepted",
        steps(cell("claims.csv", 3, "speaker_country", ""), cell("claims.csv", 3, "attribution", "unattributed")),
        [],
        ("claims.csv", 4, 0),
    ),
    # --- quotes and texts --------------------------------------------------------------------------
    (
        "quote_not_verbatim",
        cell("claims.csv", 3, "quote", "the best treaty ever"),
        ["claims.csv:3:quote: the quote is not found verbatim in texts/seed.txt (source 'seed')"],
        ("claims.csv", 3, 1),
    ),
    (
        "quote_case_differs",
        cell("claims.csv", 3, "quote", "The strongest treaty ever"),
        ["claims.csv:3:quote: the quote is not found verbatim in texts/seed.txt (source 'seed')"],
        ("claims.csv", 3, 1),
    ),
    (
        "quote_whitespace_folded_accepted",
        cell("claims.csv", 3, "quote", "the  strongest\ttreaty\n ever"),
        [],
        ("claims.csv", 4, 0),
    ),
    (
        "quote_of_source_without_text_not_checked",
        cell("claims.csv", 4, "quote", "anything at all"),
        [],
        ("claims.csv", 4, 0),
    ),
    (
        "text_path_missing",
        cell("sources.csv", 2, "text", "texts/missing.txt"),
        ["sources.csv:2:text: 'texts/missing.txt' does not exist in the dataset"],
        ("sources.csv", 1, 1),
    ),
    (
        "text_path_absolute",
        cell("sources.csv", 2, "text", "/etc/passwd"),
        [f"sources.csv:2:text: '/etc/passwd' {NOT_RELATIVE}"],
        ("sources.csv", 1, 1),
    ),
    (
        "text_path_traversal",
        cell("sources.csv", 2, "text", "texts/../../secret.txt"),
        [f"sources.csv:2:text: 'texts/../../secret.txt' {NOT_RELATIVE}"],
        ("sources.csv", 1, 1),
    ),
    (
        "text_path_windows_drive",
        cell("sources.csv", 2, "text", "C:\\texts\\seed.txt"),
        [f"sources.csv:2:text: 'C:\\\\texts\\\\seed.txt' {NOT_RELATIVE}"],
        ("sources.csv", 1, 1),
    ),
    (
        "text_not_utf8",
        swap("texts/seed.txt", b"Kim called", b"Kim \xe9 called"),
        [
            "sources.csv:2:text: 'texts/seed.txt' cannot be read: not valid UTF-8 (byte 0xE9 on line 4)",
            "texts/seed.txt:4:-: not valid UTF-8 (byte 0xE9); save it as UTF-8",
        ],
        ("sources.csv", 1, 1),
    ),
    # --- topics ------------------------------------------------------------------------------------
    (
        "topic_not_slug",
        cell("claims.csv", 2, "topics", "treaty;Mutual_Defense"),
        ["claims.csv:2:topics: 'Mutual_Defense' is not a lowercase slug (letters, digits and single hyphens)"],
        ("claims.csv", 3, 1),
    ),
    (
        "topic_not_in_vocabulary",
        cell("claims.csv", 3, "topics", "nuclear"),
        ["claims.csv:3:topics: 'nuclear' is not in the topic vocabulary of datapackage.json"],
        ("claims.csv", 3, 1),
    ),
    (
        "topic_without_vocabulary_accepted",
        steps(lambda f: set_package(f, {"name": "x"}), cell("claims.csv", 3, "topics", "nuclear")),
        [],
        ("claims.csv", 4, 0),
    ),
    # --- malformed CSV -----------------------------------------------------------------------------
    (
        # the quote swallows the rest of the file: line 4 is set aside, line 5 is read on
        "csv_unclosed_quote",
        swap("claims.csv", b"c3,2024-06-20", b'c3,"2024-06-20'),
        [
            "claims.csv:4:-: a quoted cell opened on this line is never closed (unbalanced double quote)",
            "relations.csv:3:evidence: 'c3' is not a claim_id or event_id of this dataset",
        ],
        ("claims.csv", 3, 1),
    ),
    (
        "csv_fewer_cells",
        swap("claims.csv", b",external,\n", b",external\n"),
        ["claims.csv:5:-: the row has 16 cells but the header has 17"],
        ("claims.csv", 3, 1),
    ),
    (
        "csv_more_cells",
        swap("claims.csv", b"c2,2024-06-19", b"c2,2024-06-19,extra"),
        ["claims.csv:3:-: the row has 18 cells but the header has 17"],
        ("claims.csv", 3, 1),
    ),
    (
        "csv_stray_quote_mid_cell",
        swap("claims.csv", b"Kim praises", b'Kim "praises'),
        [
            "claims.csv:3:summary: a double quote inside a cell that is not quoted; put the cell in double quotes "
            'and double the quote ("")'
        ],
        ("claims.csv", 3, 1),
    ),
    (
        "csv_text_after_closing_quote",
        swap("actors.csv", b"Putin;V. Putin", b'"Putin"x;V. Putin'),
        [
            "claims.csv:2:speaker: 'Vladimir Putin' is not a name or alias in actors.csv",
            "actors.csv:2:-: malformed CSV: ',' expected after '\"' (a double quote inside a quoted cell must be doubled)",
        ],
        ("actors.csv", 3, 1),
    ),
    (
        "nul_byte",
        swap("claims.csv", b"Kim praises", b"Kim\x00 praises"),
        ["claims.csv:3:summary: holds a NUL byte at character 4"],
        ("claims.csv", 3, 1),
    ),
    # --- line endings, line numbers, encodings ------------------------------------------------------
    ("mixed_line_endings_accepted", mixed_endings, [], ("claims.csv", 4, 0)),
    (
        "mixed_line_endings_line_numbers",
        steps(cell("claims.csv", 4, "stance", "positive"), mixed_endings),
        [f"claims.csv:4:stance: 'positive' {NOT_STANCE}"],
        ("claims.csv", 3, 1),
    ),
    (
        # c1's summary spans lines 2-4, so c2 starts on line 5
        "multiline_cell_shifts_lines",
        steps(
            cell("claims.csv", 3, "stance", "positive"),
            cell("claims.csv", 2, "summary", "Putin pledges\nmutual\r\nassistance."),
        ),
        [f"claims.csv:5:stance: 'positive' {NOT_STANCE}"],
        ("claims.csv", 3, 1),
    ),
    (
        "blank_lines_skipped_but_counted",
        steps(swap("claims.csv", b"\nc3,", b"\n\n\nc3,"), swap("claims.csv", b",hedged,", b",sure,")),
        ["claims.csv:6:certainty: 'sure' is not one of asserted, hedged, speculative"],
        ("claims.csv", 3, 1),
    ),
    ("utf8_bom_accepted", add_bom, [], ("claims.csv", 4, 0)),
    (
        "cp1252_refused",
        swap("claims.csv", b"Kim praises", "Kim’s café praises".encode("cp1252")),
        ["claims.csv:3:summary: not valid UTF-8 (byte 0x92 at character 4); save the file as UTF-8"],
        ("claims.csv", 3, 1),
    ),
    (
        "latin1_refused",
        swap("events.csv", b"Follow-up talks", "Entretiens à Séoul".encode("latin-1")),
        ["events.csv:3:title: not valid UTF-8 (byte 0xE0 at character 12); save the file as UTF-8"],
        ("events.csv", 1, 1),
    ),
    (
        "latin1_in_header",
        swap("actors.csv", b"role", "rôle".encode("latin-1")),
        ["actors.csv:1:#4: the header is not valid UTF-8 (byte 0xF4 at character 2); save the file as UTF-8"],
        ("actors.csv", 4, 0),
    ),
    (
        "utf16_refused",
        lambda f: f.update({"events.csv": f["events.csv"].decode().encode("utf-16")}),
        [
            "claims.csv:5:responds_to: 'ev1' is not a claim_id or event_id of this dataset",
            "events.csv:1:-: the file is UTF-16-encoded; save it as UTF-8 (with or without BOM)",
            "relations.csv:2:evidence: 'ev1' is not a claim_id or event_id of this dataset",
        ],
        ("events.csv", 0, 0),
    ),
    # --- empty and odd files -----------------------------------------------------------------------
    (
        "empty_file",
        lambda f: f.update({"relations.csv": b""}),
        ["relations.csv:1:-: the file is empty: it needs at least a header row"],
        ("relations.csv", 0, 0),
    ),
    (
        "whitespace_only_file",
        lambda f: f.update({"events.csv": b" \r\n\n\t\n"}),
        [
            "claims.csv:5:responds_to: 'ev1' is not a claim_id or event_id of this dataset",
            "events.csv:1:-: the file is empty: it needs at least a header row",
            "relations.csv:2:evidence: 'ev1' is not a claim_id or event_id of this dataset",
        ],
        ("events.csv", 0, 0),
    ),
    ("header_only_file", lambda f: first_line_only(f, "relations.csv"), [], ("relations.csv", 0, 0)),
    (
        "header_only_claims_without_newline",
        steps(
            lambda f: f.update({"claims.csv": f["claims.csv"].split(b"\n")[0]}),
            lambda f: remove(f, "relations.csv"),
        ),
        [],
        ("claims.csv", 0, 0),
    ),
    (
        "header_not_on_line_1",
        lambda f: f.update({"events.csv": b"\n" + f["events.csv"]}),
        ["events.csv:2:-: the header is not on line 1"],
        ("events.csv", 2, 0),
    ),
    (
        # the second "kind" is ignored, so actors.csv has no aliases and "Kim" is unknown
        "duplicate_header",
        swap("actors.csv", b"role,aliases", b"role,kind"),
        [
            "claims.csv:3:speaker: 'Kim' is not a name or alias in actors.csv",
            "actors.csv:1:kind: duplicate column name (also column 2); the later one is ignored",
        ],
        ("actors.csv", 4, 0),
    ),
    (
        "empty_header_name",
        lambda f: add_column(f, "actors.csv", "", ["a", "b", "c", "d"]),
        ["actors.csv:1:#6: column 6 has an empty name; its cells are ignored"],
        ("actors.csv", 4, 0),
    ),
    ("huge_cell_100kb_accepted", cell("claims.csv", 3, "summary", "x" * 100_000), [], ("claims.csv", 4, 0)),
    (
        "huge_cell_over_limit",
        cell("claims.csv", 3, "summary", "x" * 1_000_001),
        ["claims.csv:3:summary: the cell has 1,000,001 characters; the limit is 1,000,000"],
        ("claims.csv", 3, 1),
    ),
    (
        "extra_columns_accepted",
        lambda f: add_column(f, "claims.csv", "reviewer", ["ann", "", "bob", "cy"]),
        [],
        ("claims.csv", 4, 0),
    ),
    # --- datapackage.json and missing files ---------------------------------------------------------
    (
        "package_invalid_json",
        swap("datapackage.json", b'"title": "Corpus base",', b'"title": "Corpus base"'),
        ["datapackage.json:4:3: not valid JSON: Expecting ',' delimiter"],
        ("claims.csv", 4, 0),
    ),
    (
        "package_not_object",
        lambda f: f.update({"datapackage.json": b"[1, 2]"}),
        ["datapackage.json:1:1: must be a JSON object"],
        ("claims.csv", 4, 0),
    ),
    (
        "package_topics_wrong_type",
        lambda f: set_package(f, {"claimscope": {"topics": "treaty"}}),
        ["datapackage.json:1:claimscope.topics: must be an object of slug: definition"],
        ("claims.csv", 4, 0),
    ),
    (
        "claims_missing",
        lambda f: remove(f, "claims.csv"),
        [
            "claims.csv:1:-: the file is missing: a dataset needs at least claims.csv (or claims.xlsx)",
            "relations.csv:2:evidence: 'c1' is not a claim_id or event_id of this dataset",
            "relations.csv:3:evidence: 'c3' is not a claim_id or event_id of this dataset",
        ],
        ("claims.csv", 0, 0),
    ),
]


def load_case(mutation):
    files = base_files()
    mutation(files)
    return load_dataset(files, name="case")


def test_base_is_clean():
    dataset = load_dataset(base_files())
    assert [str(p) for p in dataset.problems] == []
    assert {f: r.rows_accepted for f, r in dataset.reports.items()} == {
        "claims.csv": 4,
        "actors.csv": 4,
        "countries.csv": 5,
        "sources.csv": 2,
        "events.csv": 2,
        "relations.csv": 2,
    }


def test_corpus_is_large_and_ids_unique():
    ids = [case[0] for case in CASES]
    assert len(ids) >= 45
    assert len(set(ids)) == len(ids)


@pytest.mark.parametrize(("case_id", "mutation", "expected", "counts"), CASES, ids=[case[0] for case in CASES])
def test_case(case_id, mutation, expected, counts):
    dataset = load_case(mutation)
    assert [str(p) for p in dataset.problems] == expected
    file, accepted, rejected = counts
    report = dataset.reports[file]
    assert (report.rows_accepted, report.rows_rejected) == (accepted, rejected)
    assert len(dataset.frames[file.removesuffix(".csv")]) == accepted
    assert_nothing_lost(dataset)


def assert_nothing_lost(dataset) -> None:
    """Every row read is accepted or rejected (with its problems); no accepted row has a problem."""
    for spec in FILES:
        report = dataset.reports[spec.name]
        frame = dataset.frames[spec.stem]
        if not report.present:
            assert report.rows_read == 0 and frame.empty
            continue
        accepted_lines = list(frame["_line"])
        rejected = report.rejected
        rejected_lines = list(rejected["_line"]) if "_line" in rejected else []
        assert report.rows_read == len(accepted_lines) + len(rejected_lines) == report.rows_accepted + report.rows_rejected
        assert report.rows_accepted == len(accepted_lines)
        assert len(set(accepted_lines)) == len(accepted_lines)
        assert len(set(rejected_lines)) == len(rejected_lines)
        assert not set(accepted_lines) & set(rejected_lines)
        row_lines = set(accepted_lines) | set(rejected_lines)
        first_row = min(row_lines, default=0)  # problems above it are the header's
        problem_lines = {p.line for p in dataset.problems if p.file == spec.name and p.line >= first_row > 1}
        assert not problem_lines & set(accepted_lines), f"{spec.name}: accepted rows with problems"
        assert problem_lines <= set(rejected_lines), f"{spec.name}: problem lines missing from the rejected rows"
        file_level = [str(p) for p in dataset.problems if p.file == spec.name and p.line == 1]
        for line, listed in zip(rejected_lines, rejected[PROBLEMS_COLUMN] if rejected_lines else [], strict=True):
            own = [str(p) for p in dataset.problems if p.file == spec.name and p.line == line]
            assert own or file_level, f"{spec.name}:{line} rejected without a problem"
            for problem in own:
                assert problem in listed, f"{problem} not listed with its rejected row"


def rejected_row(dataset, file: str, line: int) -> pd.Series:
    rejected = dataset.reports[file].rejected
    return rejected.loc[rejected["_line"] == line].iloc[0]


def test_extra_columns_are_kept_in_the_typed_frame():
    dataset = load_case(lambda f: add_column(f, "claims.csv", "reviewer", ["ann", "", "bob", "cy"]))
    assert list(dataset.claims["reviewer"]) == ["ann", "", "bob", "cy"]
    assert list(dataset.claims["_line"]) == [2, 3, 4, 5]


def test_extra_columns_are_kept_in_rejected_rows():
    dataset = load_case(
        steps(
            lambda f: add_column(f, "claims.csv", "reviewer", ["ann", "", "bob", "cy"]),
            cell("claims.csv", 4, "stance", "positive"),
        )
    )
    row = rejected_row(dataset, "claims.csv", 4)
    assert row["reviewer"] == "bob"
    assert row["claim_id"] == "c3"
    assert row[PROBLEMS_COLUMN] == f"claims.csv:4:stance: 'positive' {NOT_STANCE}"


def test_multiline_cell_is_kept_whole():
    dataset = load_case(cell("claims.csv", 2, "summary", "Putin pledges\nmutual\r\nassistance."))
    assert dataset.claims["summary"].iloc[0] == "Putin pledges\nmutual\r\nassistance."
    assert list(dataset.claims["_line"]) == [2, 5, 6, 7]


def test_bom_does_not_stick_to_the_first_column():
    dataset = load_case(add_bom)
    assert dataset.claims.columns[1] == "claim_id"
    assert dataset.title == "Corpus base"


def test_huge_cell_is_kept_whole():
    dataset = load_case(cell("claims.csv", 3, "summary", "x" * 100_000))
    assert len(dataset.claims.loc[dataset.claims["_line"] == 3, "summary"].iloc[0]) == 100_000


def test_rejected_ragged_row_keeps_every_cell():
    dataset = load_case(swap("claims.csv", b"https://example.org/seed\n", b"https://example.org/seed,surplus\n"))
    # a record the reader sets aside is not in the dataset's ids: references to it dangle
    assert [str(p) for p in dataset.problems] == [
        "claims.csv:2:-: the row has 18 cells but the header has 17",
        "claims.csv:4:responds_to: 'c1' is not a claim_id or event_id of this dataset",
        "relations.csv:2:evidence: 'c1' is not a claim_id or event_id of this dataset",
    ]
    row = rejected_row(dataset, "claims.csv", 2)
    assert (row["claim_id"], row["url"], row["_cell_18"]) == ("c1", "https://example.org/seed", "surplus")


def test_rejected_row_is_aligned_when_a_header_column_is_ignored():
    # the empty-named column 2 is ignored; the NUL byte rejects Kim's row, whose cells must stay under their names
    def edit(files):
        rows = files["actors.csv"].decode().split("\n")
        rows = [row.replace(",", ",x,", 1) for row in rows if row]
        rows[0] = rows[0].replace(",x,", ",,", 1)
        files["actors.csv"] = ("\n".join(rows) + "\n").encode()
        replace(files, "actors.csv", b"Supreme Leader", b"Supreme\x00Leader")

    dataset = load_case(edit)
    row = rejected_row(dataset, "actors.csv", 3)
    assert (row["name"], row["kind"], row["country"], row["aliases"]) == ("Kim Jong Un", "person", "PRK", "Kim")
    assert [str(p) for p in dataset.problems] == [
        "claims.csv:3:speaker: 'Kim' is not a name or alias in actors.csv",
        "actors.csv:1:#2: column 2 has an empty name; its cells are ignored",
        "actors.csv:3:role: holds a NUL byte at character 8",
    ]


def test_unreadable_rows_are_downloadable_with_their_raw_text():
    dataset = load_case(swap("claims.csv", b"c3,2024-06-20", b'c3,"2024-06-20'))
    row = rejected_row(dataset, "claims.csv", 4)
    assert row["_raw"].startswith('c3,"2024-06-20')
    assert "unbalanced double quote" in row[PROBLEMS_COLUMN]


def test_accepted_rows_are_typed():
    dataset = load_dataset(base_files())
    claims = dataset.claims
    assert claims.loc[claims["claim_id"] == "c1", "about"].iloc[0] == ["RUS", "PRK"]
    assert list(claims["date_precision"]) == ["day", "day", "day", "month"]
    assert claims.loc[claims["claim_id"] == "c4", "date_end"].iloc[0] == pd.Timestamp("2024-06-30")
    assert list(dataset.relations["directed"]) == [False, True]
    assert dataset.countries["lat"].dtype.kind == "f"
    events = dataset.events
    assert events.loc[events["event_id"] == "ev1", "date_end"].iloc[0] == pd.Timestamp("2024-06-20")
    assert events.loc[events["event_id"] == "ev2", "date_end"].iloc[0] == pd.Timestamp("2024-07-31")
