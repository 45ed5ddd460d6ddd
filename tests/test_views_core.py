"""The actor profile, Compare and the source's own analysis: the core functions, checked on small tables."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pytest

from claimscope.authors import AUTHOR_COLUMN, NO_COUNTRY, country_labels, own_analysis_label
from claimscope.filters import Filters, apply_filters, filter_options, loosen_suggestions, parse_query_params
from claimscope.ingest.dataset import load_folder
from claimscope.views.actor import (
    actor_card,
    actor_record,
    actor_statements,
    answered,
    answered_by,
    first_and_last,
    roles_over_time,
    statement_points,
    threads,
    threads_sentence,
    value_counts,
)
from claimscope.views.compare import (
    MAX_SUBJECTS,
    Subjects,
    choose_period,
    compare_subjects,
    latency_by_subject,
    latency_sentence,
    shares,
    shares_sentence,
    stance_over_time,
    stance_sentence,
    stance_totals,
    subject_labels,
    subject_latency,
)
from claimscope.views.links import actor_url, actor_urls, claim_url, claim_urls
from claimscope.views.overview import headline_counts, most_active_speakers, stance_by_country
from tests.conftest import DATA_DIR
from tests.datasets import CLAIM_COLUMNS, HOSTILE_SPEAKER, csv_text, write_dataset

ACTOR_HEADER = ["name", "kind", "country", "role", "aliases"]
EVENT_HEADER = ["event_id", "date", "end_date", "title", "description", "countries"]


def load(tmp_path, rows: list[dict], actors: list[dict] | None = None, events: list[dict] | None = None, extra=()):
    # the contract's columns without the speaker_role extension, which a test adds (as ``extra``) when it wants it
    columns = [c for c in CLAIM_COLUMNS if c != "speaker_role"]
    files = {"claims.csv": csv_text([*columns, *extra], rows)}
    if actors is not None:
        files["actors.csv"] = csv_text(ACTOR_HEADER, actors)
    if events is not None:
        files["events.csv"] = csv_text(EVENT_HEADER, events)
    dataset = load_folder(write_dataset(tmp_path / "ds", files))
    assert dataset.is_valid, dataset.problems
    return dataset


def row(cid: str, date: str, speaker: str, country: str, stance: str = "support", **extra) -> dict:
    return {
        "claim_id": cid,
        "date": date,
        "speaker": speaker,
        "speaker_country": country,
        "kind": "reaction" if extra.get("responds_to") else "claim",
        "quote": f"quote {cid}",
        "summary": f"summary {cid}",
        "stance": stance,
        "attribution": "paraphrase" if country else "unattributed",
    } | extra


@pytest.fixture(scope="module")
def curated():
    return load_folder(DATA_DIR)


# --- the source's own analysis ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("speaker", "country", "attribution", "kind", "expected"),
    [
        ("The outlet", "", "unattributed", "author", True),  # both
        ("Analyst", "", "unattributed", None, True),  # unattributed alone is the source's own analysis
        ("The outlet", "", "paraphrase", "author", True),  # an author's row whatever its attribution
        ("outlet alias", "", "paraphrase", "author", True),  # named by an alias of an author
        ("Minister", "RUS", "paraphrase", "person", False),
        ("Minister", "RUS", "direct_quote", None, False),
    ],
)
def test_author_rows_are_flagged_by_kind_alias_or_attribution(tmp_path, speaker, country, attribution, kind, expected):
    actors = None
    if kind is not None:
        actors = [
            {"name": "The outlet", "kind": "author", "aliases": "outlet alias"},
            {"name": speaker, "kind": kind, "country": country} if speaker not in ("The outlet", "outlet alias") else None,
        ]
        actors = [a for a in actors if a]
    claims = [row("a", "2024-06-19", speaker, country, attribution=attribution)]
    if country == "" and attribution != "unattributed":  # the schema allows an empty country only when unattributed
        claims = [row("a", "2024-06-19", speaker, "RUS", attribution=attribution)]
    dataset = load(tmp_path, claims, actors)
    assert bool(dataset.claims[AUTHOR_COLUMN].iloc[0]) is expected


@pytest.mark.parametrize(
    ("speakers", "expected"),
    [
        (["Seed article (author)"], "Seed article (author) — the outlet's own analysis"),
        (["A", "A"], "A — the outlet's own analysis"),
        (["A", "B"], "2 authors — the outlets' own analysis"),
        ([], "The source's own analysis (not a stakeholder)"),
    ],
)
def test_own_analysis_label(speakers, expected):
    assert own_analysis_label(speakers) == expected


def test_no_page_calls_the_own_analysis_none(curated):
    """The Overview's bars: the source's own analysis is named, put last, and no bar is "(none)"."""
    table = stance_by_country(curated.claims)
    authors = curated.claims.loc[curated.claims[AUTHOR_COLUMN]]
    assert "(none)" not in set(table["speaker_country"])
    if len(authors):
        own = table.loc[table["own_analysis"]]
        assert list(own["speaker_country"]) == [own_analysis_label(authors["speaker"].unique())]
        assert int(own["total"].iloc[0]) == len(authors)
        assert table["own_analysis"].iloc[-1]  # last: not a stakeholder
    assert not (country_labels(curated.claims) == "").any()


def test_headline_counts_leave_the_author_out_of_actors_and_countries(curated):
    counts = headline_counts(curated, curated.claims)
    stakeholders = curated.claims.loc[~curated.claims[AUTHOR_COLUMN]]
    assert counts["actors"] == stakeholders["speaker"].nunique()
    assert counts["own_analysis"] == int(curated.claims[AUTHOR_COLUMN].sum())
    assert counts["statements"] == len(curated.claims)


def test_most_active_speakers_name_the_author(tmp_path):
    rows = [row(f"o{i}", "2024-06", "Outlet", "") for i in range(3)] + [row("p", "2024-06-19", "Putin", "RUS")]
    table = most_active_speakers(load(tmp_path, rows).claims)
    outlet = table.set_index("speaker").loc["Outlet"]
    assert "own analysis" in outlet["speaker_country"] and outlet["statements"] == 3
    assert table.set_index("speaker").loc["Putin", "speaker_country"] == "RUS"


def test_country_labels_keep_no_country_apart_from_the_author():
    frame = pd.DataFrame(
        {"speaker": ["A", "Outlet", "B"], "speaker_country": ["RUS", "", ""], AUTHOR_COLUMN: [False, True, False]}
    )
    assert list(country_labels(frame)) == ["RUS", own_analysis_label(["Outlet"]), NO_COUNTRY]


# --- authors=exclude in the filter registry -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected", "notices"),
    [("exclude", "exclude", 0), ("EXCLUDE", "exclude", 0), ("include", "", 0), ("", "", 0), ("bogus", "", 1), ("x" * 500, "", 1)],
)
def test_authors_parameter_is_parsed_with_notices(value, expected, notices):
    filters, found = parse_query_params({"authors": value}, {})
    assert filters.authors == expected
    assert len(found) == notices
    assert filters.to_query_params() == ({"authors": ["exclude"]} if expected else {})


def test_authors_exclude_leaves_out_exactly_the_author_rows(curated):
    options = filter_options(curated.claims)
    filters, notices = parse_query_params({"authors": "exclude"}, options)
    assert notices == []
    kept = apply_filters(curated.claims, filters)
    assert set(kept["claim_id"]) == set(curated.claims.loc[~curated.claims[AUTHOR_COLUMN], "claim_id"])
    assert "Without the source's own analysis" in filters.describe()
    assert filters.without("authors") == Filters()
    if curated.claims[AUTHOR_COLUMN].any():
        only_authors = Filters(authors="exclude", attribution=("unattributed",))
        assert apply_filters(curated.claims, only_authors).empty
        assert ("authors", int((curated.claims["attribution"] == "unattributed").sum())) in loosen_suggestions(
            curated.claims, only_authors
        )


# --- links ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["Vladimir Putin", "외교부 & co", HOSTILE_SPEAKER, "//evil.example/x", "https://evil.example", "a?b=c#d"]
)
def test_actor_links_are_relative_and_carry_the_filters(name):
    filters = Filters(speaker=("Other",), stance=("oppose",), authors="exclude", claim="c-1")
    url = actor_url(name, filters)
    parts = urlsplit(url)
    assert not parts.scheme and not parts.netloc and parts.path == "actor"  # never leaves the app's host
    query = parse_qs(parts.query)
    assert query == {"speaker": [name], "stance": ["oppose"], "authors": ["exclude"]}
    assert url.startswith("actor?speaker=")  # the name comes first: the table shows it with ACTOR_LINK_TEXT
    assert actor_urls(pd.Series([name, name]), filters).tolist() == [url, url]


def test_claim_links_open_the_claim_under_the_same_filters():
    filters = Filters(country=("KOR",), claim="old")
    url = claim_url("seed 1/2", filters)
    assert urlsplit(url).path == "claims"
    assert parse_qs(urlsplit(url).query) == {"claim": ["seed 1/2"], "country": ["KOR"]}
    assert claim_urls(pd.Series(["seed 1/2"]), filters).tolist() == [url]
    assert actor_urls(pd.Series([], dtype=object), Filters()).tolist() == []


# --- the actor profile ---------------------------------------------------------------------------------------

ACTORS = [
    {"name": "Vladimir Putin", "kind": "person", "country": "RUS", "role": "President", "aliases": "Putin;V. Putin"},
    {"name": "Outlet", "kind": "author"},
]


@pytest.mark.parametrize(
    ("name", "listed", "canonical"),
    [("Vladimir Putin", True, "Vladimir Putin"), ("Putin", True, "Vladimir Putin"), ("Nobody", False, "Nobody")],
)
def test_actor_found_by_name_or_alias(tmp_path, name, listed, canonical):
    dataset = load(tmp_path, [row("a", "2024-06-19", name, "RUS")], [*ACTORS, *([] if listed else [{"name": name}])])
    record = actor_record(dataset.actors, name)
    assert record is not None
    card = actor_card(dataset.actors, actor_statements(dataset.claims, name), name)
    assert card.canonical == canonical and card.country == "RUS"
    if canonical == "Vladimir Putin":
        assert card.aliases == ("Putin", "V. Putin") and card.role == "President" and card.kind == "person"
    assert not card.is_author


def test_actor_card_of_the_author(tmp_path):
    dataset = load(tmp_path, [row("o", "2024-06", "Outlet", "")], ACTORS)
    card = actor_card(dataset.actors, actor_statements(dataset.claims, "Outlet"), "Outlet")
    assert card.is_author and card.kind == "author" and card.country == ""


@pytest.mark.parametrize(
    ("roles", "expected"),
    [
        # claims.csv's speaker_role: one row per role, with the first and last statement in it
        (
            ["Prime Minister", "Prime Minister", "President"],
            [
                ("Prime Minister", "2000-01-01", "2000-05", 2, "claims.csv speaker_role"),
                ("President", "2001", "2001", 1, "claims.csv speaker_role"),
            ],
        ),
        # no speaker_role: actors.csv's role over all the statements
        (None, [("President", "2000-01-01", "2001", 3, "actors.csv role")]),
        # an empty cell falls back to actors.csv's role
        (
            ["", "", "Premier"],
            [
                ("President", "2000-01-01", "2000-05", 2, "claims.csv speaker_role"),
                ("Premier", "2001", "2001", 1, "claims.csv speaker_role"),
            ],
        ),
    ],
)
def test_roles_over_time(tmp_path, roles, expected):
    dates = ["2000-01-01", "2000-05", "2001"]
    rows = [row(f"r{i}", d, "Vladimir Putin", "RUS") for i, d in enumerate(dates)]
    extra = ()
    if roles is not None:
        rows = [r | {"speaker_role": role} for r, role in zip(rows, roles, strict=True)]
        extra = ("speaker_role",)
    dataset = load(tmp_path, rows, ACTORS, extra=extra)
    table = roles_over_time(actor_statements(dataset.claims, "Vladimir Putin"), "President")
    assert [tuple(r) for r in table.itertuples(index=False)] == expected


def test_value_counts_explode_lists_and_share_the_statements(tmp_path):
    rows = [
        row("a", "2024-06-19", "X", "RUS", topics="t1;t2", about="PRK;KOR"),
        row("b", "2024-06-20", "X", "RUS", topics="t1", about="PRK"),
        row("c", "2024-06-21", "X", "RUS", topics="", about=""),
    ]
    claims = load(tmp_path, rows).claims
    topics = value_counts(claims, "topics")
    assert topics.to_dict("list") == {"value": ["t1", "t2"], "statements": [2, 1], "share": [2 / 3, 1 / 3]}
    assert value_counts(claims, "about", limit=1)["value"].tolist() == ["PRK"]
    assert value_counts(claims.iloc[0:0], "topics").empty


def test_first_and_last_use_the_date_intervals(tmp_path):
    rows = [row("mid", "2024-06-15", "X", "RUS"), row("month", "2024-06", "X", "RUS"), row("year", "2024", "X", "RUS")]
    first, last = first_and_last(load(tmp_path, rows).claims)
    # 2024 starts on 1 January and ends on 31 December: it is both the earliest start and the latest end
    assert first["claim_id"] == "year" and last["claim_id"] == "year"
    first, last = first_and_last(load(tmp_path / "b", rows[:2]).claims)
    assert first["claim_id"] == "month" and last["claim_id"] == "month"


THREAD_ROWS = [
    row("k1", "2024-06-19", "Kim", "PRK"),
    row("p1", "2024-06-20", "Putin", "RUS", responds_to="k1"),  # Putin answers Kim after 1 day
    row("p2", "2024-06", "Putin", "RUS", responds_to="ev1"),  # answers an event; month: too coarse
    row("p3", "2024-06-21", "Putin", "RUS"),
    row("s1", "2024-06-23", "Seoul", "KOR", "oppose", responds_to="p3"),  # Seoul answers Putin after 2 days
    row("s2", "2024-06-24", "Seoul", "KOR", "oppose", responds_to="p3"),
    row("o1", "2024-06", "Outlet", "", "neutral", responds_to="p1"),  # the outlet, month precision
]
THREAD_EVENTS = [{"event_id": "ev1", "date": "2024-06-19", "title": "Treaty signed", "countries": "RUS;PRK"}]


def test_whom_they_answered_and_who_answered_them(tmp_path):
    dataset = load(tmp_path, THREAD_ROWS, events=THREAD_EVENTS)
    mine = actor_statements(dataset.claims, "Putin")
    answers = answered(mine, dataset.claims, dataset.events)
    # oldest first: "2024-06" (a month) sorts before its days
    assert answers[["claim_id", "target_kind", "target_speaker", "target_country"]].values.tolist() == [
        ["p2", "event", "Treaty signed", "RUS, PRK"],
        ["p1", "claim", "Kim", "PRK"],
    ]
    days = dict(zip(answers["claim_id"], answers["days"], strict=True))
    assert days["p1"] == 1 and pd.isna(days["p2"])
    replies = answered_by(mine, dataset.claims)
    assert set(replies["claim_id"]) == {"s1", "s2", "o1"}
    by_id = replies.set_index("claim_id")
    assert by_id.loc["s1", "days"] == 2 and by_id.loc["s2", "days"] == 3 and pd.isna(by_id.loc["o1", "days"])
    assert by_id.loc["o1", "speaker_country"] == own_analysis_label(["Outlet"])
    summary = threads(answers, replies)
    assert (summary.reactions, summary.started, summary.replies, summary.responders) == (2, 2, 3, 2)
    assert summary.median_days_to_answer == 1 and summary.median_days_answered == 2.5
    sentence = threads_sentence("Putin", summary)
    assert sentence == (
        "Putin answered 2 speakers or events in 2 reactions (median 1 day); "
        "2 statements of theirs drew 3 reactions from 2 speakers (median 2.5 days)."
    )
    # the reactions of others are those the caller keeps (the filters but the speaker)
    assert set(answered_by(mine, dataset.claims.loc[dataset.claims["speaker"] != "Outlet"])["claim_id"]) == {"s1", "s2"}


def test_an_actor_without_threads(tmp_path):
    dataset = load(tmp_path, THREAD_ROWS, events=THREAD_EVENTS)
    mine = actor_statements(dataset.claims, "Kim")
    assert answered(mine, dataset.claims, dataset.events).empty
    assert threads_sentence(
        "Kim", threads(answered(mine, dataset.claims, dataset.events), answered_by(mine, dataset.claims))
    ) == (
        "Kim answered no statement or event of the dataset; 1 statement of theirs drew 1 reaction from 1 speaker (median 1 day)."
    )


def test_statement_points_have_one_lane_per_kind(tmp_path):
    dataset = load(tmp_path, THREAD_ROWS, events=THREAD_EVENTS)
    points = statement_points(actor_statements(dataset.claims, "Putin"))
    assert dict(points.groupby("lane").size()) == {"claim": 1, "reaction": 2}


# --- compare ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filters", "by", "values", "left_out"),
    [
        (Filters(speaker=("A", "B"), country=("KOR", "CHN")), "speaker", ("A", "B"), ()),  # speakers first
        (Filters(country=("KOR", "CHN")), "country", ("KOR", "CHN"), ()),
        (Filters(country=("A", "B", "C", "D", "E")), "country", ("A", "B", "C", "D"), ("E",)),
        (Filters(speaker=("A",)), "speaker", ("A",), ()),
        (Filters(stance=("support",)), "", (), ()),
    ],
)
def test_compare_subjects_come_from_the_shared_filters(filters, by, values, left_out):
    subjects = compare_subjects(filters)
    assert (subjects.by, subjects.values, subjects.left_out) == (by, values, left_out)
    assert subjects.enough == (len(values) >= 2)
    assert len(subjects.values) <= MAX_SUBJECTS


COMPARE_ROWS = [
    row("k1", "2024-06-19", "Seoul", "KOR", "oppose"),
    row("k2", "2024-06-20", "Seoul", "KOR", "oppose", responds_to="r1", topics="security", about="RUS;PRK"),
    row("k3", "2024-07-02", "Seoul", "KOR", "concern", responds_to="r1", topics="security", about="PRK"),
    row("k4", "2024", "Seoul", "KOR", "concern", topics="trade", about="PRK"),
    row("c1", "2024-06-25", "Beijing", "CHN", "neutral", responds_to="r1", topics="trade", about="RUS"),
    row("c2", "2024-06", "Beijing", "CHN", "neutral", responds_to="r1", topics="trade", about="RUS"),
    row("r1", "2024-06-18", "Moscow", "RUS", "support", topics="security", about="PRK"),
    row("o1", "2024-06", "Outlet", "", "neutral", topics="security", about="RUS"),
]


@pytest.fixture
def compare_data(tmp_path):
    return load(tmp_path, COMPARE_ROWS)


def test_stance_over_time_never_narrows_a_year(compare_data):
    subjects = Subjects("country", ("KOR", "CHN"))
    monthly = stance_over_time(compare_data.claims, subjects, "month")
    kor = monthly.counts.loc[monthly.counts["subject"] == "KOR"]
    assert kor[["period", "stance", "statements"]].values.tolist() == [
        ["2024-06", "oppose", 2],
        ["2024-07", "concern", 1],
    ]
    assert dict(monthly.too_coarse) == {"KOR": 1}  # k4 is dated 2024 only
    yearly = stance_over_time(compare_data.claims, subjects, "year")
    assert yearly.too_coarse.empty
    assert int(yearly.counts["statements"].sum()) == 6
    assert set(yearly.counts["period"]) == {"2024"}
    assert (yearly.counts["end"] - yearly.counts["start"]).dt.days.eq(365).all()  # 2024 is a leap year
    with pytest.raises(ValueError):
        stance_over_time(compare_data.claims, subjects, "week")


def test_period_chosen_from_the_span(compare_data):
    assert choose_period(compare_data.claims) == "month"  # 2024 only (the year-precise row spans it)
    wide = compare_data.claims.assign(date_start=pd.Timestamp("2010-01-01"))
    assert choose_period(wide) == "year"


def test_stance_totals_and_sentence(compare_data):
    subjects = Subjects("country", ("KOR", "CHN", "USA"))
    totals = stance_totals(compare_data.claims, subjects)
    assert len(totals) == 3 * 5  # every subject and stance, zeros included
    sentence = stance_sentence(totals, {"KOR": "KOR", "CHN": "CHN", "USA": "USA"})
    assert sentence == "KOR: mostly oppose and concern (2 of 4); CHN: mostly neutral (2 of 2); USA: no statement."


def test_the_author_is_no_country_in_a_comparison(compare_data):
    subjects = Subjects("speaker", ("Outlet", "Seoul"))
    assert subject_labels(compare_data.claims, subjects)["Outlet"] == own_analysis_label(["Outlet"])
    assert subject_labels(compare_data.claims, Subjects("country", ("KOR",)), {"KOR": "Korea"}) == {"KOR": "Korea (KOR)"}
    assert subject_labels(compare_data.claims, Subjects("country", ("KOR",)), {"KOR": "Korea"}, short=True) == {"KOR": "KOR"}


def test_shares_are_of_each_subjects_statements(compare_data):
    subjects = Subjects("country", ("KOR", "CHN"))
    table = shares(compare_data.claims, subjects, "topics")
    cells = {(r.subject, r.value): (r.statements, r.total) for r in table.itertuples()}
    assert cells == {
        ("KOR", "security"): (2, 4),
        ("KOR", "trade"): (1, 4),
        ("CHN", "security"): (0, 2),
        ("CHN", "trade"): (2, 2),
    }
    assert shares(compare_data.claims, subjects, "topics", limit=1)["value"].unique().tolist() == ["trade"]  # 3 > 2
    sentence = shares_sentence(table, {"KOR": "KOR", "CHN": "CHN"}, "topic")
    assert sentence == (
        "Most frequent topic — KOR: security (2 of 4); CHN: trade (2 of 2). "
        "Widest gap: trade, 100% of CHN's statements against 25% of KOR's."
    )


def test_latency_per_subject_and_its_sentence(compare_data):
    subjects = Subjects("country", ("KOR", "CHN", "USA"))
    latency = subject_latency(compare_data.claims, compare_data.claims, compare_data.events, subjects)
    table = latency_by_subject(latency, subjects, within_days=2)
    # KOR: k2 after 2 days, k3 after 14; CHN: c1 after 7, c2 month-precise
    assert table.set_index("subject")[["reactions", "counted", "too coarse", "within"]].to_dict("index") == {
        "KOR": {"reactions": 2, "counted": 2, "too coarse": 0, "within": 1},
        "CHN": {"reactions": 2, "counted": 1, "too coarse": 1, "within": 0},
        "USA": {"reactions": 0, "counted": 0, "too coarse": 0, "within": 0},
    }
    assert latency_sentence(table, {"KOR": "KOR", "CHN": "CHN", "USA": "USA"}, 2) == (
        "KOR reacted within 2 days to 1 of 2 reactions timed to the day; CHN within 2 days to 0 of 1 "
        "(1 too coarse to count); USA made no reaction to a statement or event of the dataset."
    )
    wider = latency_by_subject(latency, subjects, within_days=14)
    assert wider.set_index("subject").loc["KOR", "within"] == 2


def test_compare_on_the_curated_data_matches_a_plain_count(curated):
    codes = [c for c, _ in filter_options(curated.claims)["country"][:2]]
    subjects = compare_subjects(Filters(country=tuple(codes)))
    totals = stance_totals(curated.claims, subjects).groupby("subject")["statements"].sum()
    for code in codes:
        expected = int(((curated.claims["speaker_country"] == code) & ~curated.claims[AUTHOR_COLUMN]).sum())
        assert totals[code] == expected
