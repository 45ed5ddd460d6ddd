"""App tests of the Actor profile and Compare pages, the links to the profile, and authors=exclude."""

from __future__ import annotations

import json
import re

import pytest

from claimscope.authors import AUTHOR_COLUMN, own_analysis_label
from claimscope.figures.browser import read_meta
from claimscope.filters import filter_options
from claimscope.ingest.dataset import load_folder
from tests.conftest import DATA_DIR
from tests.datasets import FOREIGN_CLAIMS, HOSTILE_SPEAKER
from tests.test_apptest_pages import count_caption, start, url_values


@pytest.fixture(scope="module")
def curated():
    return load_folder(DATA_DIR)


def unescape(value: str) -> str:
    return value.replace("\\", "").replace("\u2060", "")


def most_active(claims, **where) -> str:
    """The stakeholder with the most statements (among rows matching ``where``)."""
    rows = claims.loc[~claims[AUTHOR_COLUMN]]
    for column, value in where.items():
        rows = rows.loc[rows[column].astype(str) == value]
    return str(rows["speaker"].value_counts().index[0])


def chart_spec(at, key: str) -> dict:
    chart = next(c for c in at.get("plotly_chart") if c.proto.id.endswith(key) or key in c.proto.id)
    return read_meta(json.loads(chart.proto.spec))


# --- the actor profile ---------------------------------------------------------------------------------------


#: the Actor profile's sections (the ``section`` URL parameter): the charts each draws and its subheaders
ACTOR_SECTIONS = {
    None: (["actor_over_time"], ["Statements over time, by stance"]),  # no parameter: the first
    "Over time": (["actor_over_time"], ["Statements over time, by stance"]),
    "Topics and countries": (["actor_topics", "actor_about"], ["Topics", "Countries they speak about"]),
    "Threads": ([], ["Threads: whom they answered, who answered them"]),
    "Their statements": ([], ["Their statements"]),
}


def test_profile_from_the_url(monkeypatch, curated):
    name = most_active(curated.claims)
    rows = curated.claims.loc[curated.claims["speaker"] == name]
    at = start(monkeypatch, DATA_DIR, {"speaker": name}, page="pages/actor.py")
    assert at.title[0].value == "Actor profile"
    assert unescape(at.header[0].value) == name
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Statements"] == metrics["In the dataset"] == str(len(rows))
    assert at.selectbox(key="actor_picker").value == name
    assert not at.warning  # no other filter: nothing hidden
    assert [t.label for t in at.tabs] == [label for label in ACTOR_SECTIONS if label]


@pytest.mark.parametrize("section", list(ACTOR_SECTIONS))
def test_profile_builds_only_the_open_section(monkeypatch, curated, section):
    name = most_active(curated.claims)
    params = {"speaker": name} | ({"section": section} if section else {})
    at = start(monkeypatch, DATA_DIR, params, page="pages/actor.py")
    keys, subheaders = ACTOR_SECTIONS[section]
    assert [c.key for c in at.get("plotly_chart")] == keys
    assert [s.value for s in at.subheader] == ["First and last statement", *subheaders]  # the card's, then the section's
    assert at.button(key="actor_open_First")  # above the sections: always there


def test_profile_lists_every_statement_in_its_section(monkeypatch, curated):
    name = most_active(curated.claims)
    rows = curated.claims.loc[curated.claims["speaker"] == name]
    at = start(monkeypatch, DATA_DIR, {"speaker": name, "section": "Their statements"}, page="pages/actor.py")
    statements = at.dataframe[-1].value
    assert len(statements) == len(rows)
    assert all(url.startswith("claims?claim=") for url in statements["claim_id"])


def test_profile_threads_section_lists_whom_they_answered(monkeypatch, curated):
    claims = curated.claims
    answering = claims.loc[claims["responds_to"].fillna("").astype(str).isin(set(claims["claim_id"]))]
    name = str(answering["speaker"].value_counts().index[0])
    at = start(monkeypatch, DATA_DIR, {"speaker": name, "section": "Threads"}, page="pages/actor.py")
    assert any(m.value == "**Whom they answered**" for m in at.markdown)
    answered = at.dataframe[0].value  # their reactions to statements of the dataset
    assert set(answering.loc[answering["speaker"] == name, "claim_id"]) <= {
        u.split("claim=")[1].split("&")[0] for u in answered["claim_id"]
    }


def test_profile_says_when_a_filter_hides_some_of_the_actors_rows(monkeypatch, curated):
    claims = curated.claims.loc[~curated.claims[AUTHOR_COLUMN]]
    counts = claims.groupby("speaker")["stance"].nunique()
    name = str(counts[counts > 1].index[0]) if (counts > 1).any() else most_active(curated.claims)
    rows = claims.loc[claims["speaker"] == name]
    stance = str(rows["stance"].value_counts().index[-1])
    kept = int((rows["stance"] == stance).sum())
    at = start(monkeypatch, DATA_DIR, {"speaker": name, "stance": stance}, page="pages/actor.py")
    warnings = [unescape(w.value) for w in at.warning]
    if kept < len(rows):
        assert any(f"The filters hide {len(rows) - kept} of {name}'s {len(rows)} statements" in w for w in warnings)
        assert any(f"Stance: {stance}" in w for w in warnings)
    assert {m.label: m.value for m in at.metric}["Statements"] == str(kept)


def test_picking_an_actor_writes_the_speaker_to_the_url(monkeypatch, curated):
    options = [v for v, _ in filter_options(curated.claims)["speaker"]]
    at = start(monkeypatch, DATA_DIR, page="pages/actor.py")
    assert any("Choose an actor" in i.value for i in at.info)
    at.selectbox(key="actor_picker").set_value(options[-1]).run()
    assert not at.exception
    assert url_values(at, "speaker") == [options[-1]]
    assert unescape(at.header[0].value) in (options[-1], own_analysis_label([options[-1]]))


def test_profile_of_the_source_says_what_it_is(monkeypatch, curated):
    authors = curated.claims.loc[curated.claims[AUTHOR_COLUMN], "speaker"]
    if authors.empty:
        pytest.skip("the dataset keeps no statement of the source's own analysis")
    name = str(authors.iloc[0])
    at = start(monkeypatch, DATA_DIR, {"speaker": name}, page="pages/actor.py")
    assert unescape(at.header[0].value) == own_analysis_label([name])
    assert any("not a stakeholder" in i.value for i in at.info)
    # leaving the own analysis out hides all of it, and the page says so
    at = start(monkeypatch, DATA_DIR, {"speaker": name, "authors": "exclude"}, page="pages/actor.py")
    assert any("The filters hide" in unescape(w.value) for w in at.warning)


def test_claims_table_links_every_speaker_to_the_profile(monkeypatch, curated):
    at = start(monkeypatch, DATA_DIR, {"stance": "support"}, page="pages/claims.py")
    speakers = at.dataframe[0].value["speaker"]
    assert all(url.startswith("actor?speaker=") and url.endswith("&stance=support") for url in speakers)


def test_claim_detail_opens_the_speakers_profile(monkeypatch, curated):
    claim = curated.claims.loc[~curated.claims[AUTHOR_COLUMN]].iloc[0]
    at = start(monkeypatch, DATA_DIR, {"claim": claim["claim_id"]}, page="pages/claims.py")
    at.button(key="claim_speaker_profile").click().run()
    assert not at.exception
    assert at.title[0].value == "Actor profile"
    assert unescape(at.header[0].value) == claim["speaker"]
    assert url_values(at, "speaker") == [claim["speaker"]]


def test_overview_links_the_most_active_speakers(monkeypatch, curated):
    at = start(monkeypatch, DATA_DIR)
    active = at.dataframe[1].value
    assert all(url.startswith("actor?speaker=") for url in active["speaker"])


# --- compare -----------------------------------------------------------------------------------------------


#: the Compare page's panels (the ``panel`` URL parameter): the chart each draws and the start of its sentence
COMPARE_PANELS = {
    None: ("compare_over_time", "mostly"),  # no parameter: the first
    "Stance over time": ("compare_over_time", "mostly"),
    "Topics": ("compare_topics", "Most frequent topic"),
    "Whom they speak about": ("compare_about", "Most frequent country spoken about"),
    "Reaction latency": ("compare_latency", "reacted within 2 days|made no reaction"),
}


def test_compare_countries_from_the_url(monkeypatch, curated):
    codes = [c for c, _ in filter_options(curated.claims)["country"][:3]]
    at = start(monkeypatch, DATA_DIR, {"country": codes}, page="pages/compare.py")
    assert at.title[0].value == "Compare"
    assert [t.label for t in at.tabs] == [label for label in COMPARE_PANELS if label]
    sentences = [unescape(m.value) for m in at.markdown]
    stance = next(s for s in sentences if "mostly" in s)
    for code in codes:
        assert f"{code}: " in stance
    spec = chart_spec(at, "compare_over_time")
    assert {t["meta"]["subject"] for t in spec["data"]} <= set(codes)
    assert at.multiselect(key="compare_pick").value == codes


@pytest.mark.parametrize("panel", list(COMPARE_PANELS))
def test_compare_builds_only_the_open_panel(monkeypatch, curated, panel):
    codes = [c for c, _ in filter_options(curated.claims)["country"][:3]]
    params = {"country": codes} | ({"panel": panel} if panel else {})
    at = start(monkeypatch, DATA_DIR, params, page="pages/compare.py")
    key, sentence = COMPARE_PANELS[panel]
    assert [c.key for c in at.get("plotly_chart")] == [key]
    found = [unescape(m.value) for m in at.markdown]
    assert any(re.search(sentence, s) for s in found), found


def test_compare_panels_keep_their_settings_while_another_is_open(monkeypatch, curated):
    """Only the open panel is drawn, and Streamlit drops the state of widgets it does not draw: the page keeps them."""
    codes = [c for c, _ in filter_options(curated.claims)["country"][:2]]
    at = start(monkeypatch, DATA_DIR, {"country": codes}, page="pages/compare.py")
    period = at.segmented_control(key="compare_period")
    other = next(p for p in ("month", "year") if p != period.value)
    period.set_value(other).run()
    at.session_state["panel"] = "Reaction latency"  # what a click on the tab sets
    at.run()
    at.number_input(key="compare_within").set_value(9).run()
    assert any("within 9 days" in unescape(m.value) for m in at.markdown)
    for panel, expected in (("Topics", None), ("Stance over time", other), ("Reaction latency", 9)):
        at.session_state["panel"] = panel
        at.run()
        assert not at.exception and not at.warning, [w.value for w in at.warning]
        if panel == "Stance over time":
            assert at.segmented_control(key="compare_period").value == expected
        if panel == "Reaction latency":
            assert at.number_input(key="compare_within").value == expected


def test_compare_speakers_take_precedence_and_at_most_four(monkeypatch, curated):
    speakers = [v for v, _ in filter_options(curated.claims)["speaker"][:5]]
    at = start(monkeypatch, DATA_DIR, {"speaker": speakers, "country": ["KOR"]}, page="pages/compare.py")
    assert at.segmented_control(key="compare_by").value == "speaker"
    if len(speakers) > 4:
        assert any(f"left out: {speakers[4]}" in unescape(m.value) for m in at.markdown)
    assert at.multiselect(key="compare_pick").value == speakers[:4]


def test_compare_asks_for_two_subjects_and_the_picker_writes_the_url(monkeypatch, curated):
    codes = [c for c, _ in filter_options(curated.claims)["country"][:2]]
    at = start(monkeypatch, DATA_DIR, {"country": codes[:1]}, page="pages/compare.py")
    assert any("two to four" in i.value for i in at.info)
    at.multiselect(key="compare_pick").set_value(codes).run()
    assert not at.exception
    assert url_values(at, "country") == codes
    assert [c.key for c in at.get("plotly_chart")] == ["compare_over_time"]


def test_compare_switches_from_countries_to_actors(monkeypatch, curated):
    codes = [c for c, _ in filter_options(curated.claims)["country"][:2]]
    speakers = [v for v, _ in filter_options(curated.claims)["speaker"][:2]]
    at = start(monkeypatch, DATA_DIR, {"country": codes}, page="pages/compare.py")
    at.segmented_control(key="compare_by").set_value("speaker").run()
    assert at.segmented_control(key="compare_by").value == "speaker"
    assert "country" not in at.query_params
    at.multiselect(key="compare_pick").set_value(speakers).run()
    assert url_values(at, "speaker") == speakers
    assert [c.key for c in at.get("plotly_chart")] == ["compare_over_time"]


#: every part of the two pages that shows a subject's words: the profile's sections and Compare's panels
SUBJECT_VIEWS = [
    *(("pages/actor.py", {"section": section}) for section in ACTOR_SECTIONS if section),
    *(("pages/compare.py", {"panel": panel}) for panel in COMPARE_PANELS if panel),
]


@pytest.mark.parametrize(("page", "view"), SUBJECT_VIEWS)
def test_foreign_and_hostile_subjects(monkeypatch, foreign_dir, hostile_dir, page, view):
    at = start(monkeypatch, foreign_dir, {"speaker": [r["speaker"] for r in FOREIGN_CLAIMS[:2]], **view}, page=page)
    assert not at.exception and not at.error
    at = start(monkeypatch, hostile_dir, {"speaker": [HOSTILE_SPEAKER, "@SUM(1+1)"], **view}, page=page)
    assert not at.exception and not at.error
    shown = [h.value for h in at.header] + [m.value for m in at.markdown]
    assert not any("<i>Mallory</i>" in value for value in shown)  # escaped wherever it is shown
    if page == "pages/actor.py":
        assert unescape(at.header[0].value) == HOSTILE_SPEAKER


# --- authors=exclude ---------------------------------------------------------------------------------------


def test_authors_toggle_writes_the_url_and_every_count_follows(monkeypatch, curated):
    authors = int(curated.claims[AUTHOR_COLUMN].sum())
    at = start(monkeypatch, DATA_DIR)
    spec = chart_spec(at, "stance_by_country")
    labels = spec["data"][0]["y"]
    assert "(none)" not in labels
    assert not labels[0].endswith("own analysis")  # the largest bar is a stakeholder's
    at.sidebar.toggle(key="filter_authors").set_value(True).run()
    assert url_values(at, "authors") == ["exclude"]
    total = len(curated.claims)
    assert count_caption(at).startswith(f"{total - authors} of {total} statements")
    labels = chart_spec(at, "stance_by_country")["data"][0]["y"]
    assert not any("own analysis" in label for label in labels)
    at.switch_page("pages/compare.py").run()
    assert url_values(at, "authors") == ["exclude"]
    assert at.sidebar.toggle(key="filter_authors").value is True


def test_authors_exclude_from_the_url_and_reset(monkeypatch, curated):
    at = start(monkeypatch, DATA_DIR, {"authors": "exclude"}, page="pages/claims.py")
    assert at.sidebar.toggle(key="filter_authors").value is True
    assert len(at.dataframe[0].value) == int((~curated.claims[AUTHOR_COLUMN]).sum())
    at.sidebar.button[0].click().run()
    assert "authors" not in at.query_params
    assert at.sidebar.toggle(key="filter_authors").value is False
