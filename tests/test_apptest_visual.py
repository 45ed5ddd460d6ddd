"""The Timeline and Country relations pages, run through the real entrypoint (AppTest), and the offline map in Chromium."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from tests.expanders import expander_keys, open_expanders

APP = str(ROOT / "app.py")
TIMELINE, RELATIONS = "pages/timeline.py", "pages/relations.py"


def open_page(page: str, params: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def charts(at: AppTest) -> list:
    return list(at.get("plotly_chart"))


def captions(at: AppTest) -> str:
    return " ".join(str(c.value) for c in at.caption).replace("\\", "")  # the filter summary is escaped markdown


@pytest.fixture(params=["data", "foreign"])
def dataset_dir(request, monkeypatch, foreign_dir) -> str:
    folder = str(ROOT / "data") if request.param == "data" else str(foreign_dir)
    monkeypatch.setenv("CLAIMSCOPE_DATA_DIR", folder)
    return request.param


#: the Timeline's views (the ``view`` URL parameter): the charts each draws and its "show as table" expanders
TIMELINE_VIEWS = {
    None: (["timeline_chart"], ["timeline_marks_table"]),  # no parameter: statements by date
    "statements": (["timeline_chart"], ["timeline_marks_table"]),
    "latency": (["latency_chart"], ["latency_table"]),
}


@pytest.mark.parametrize("view", list(TIMELINE_VIEWS))
def test_timeline_draws_only_the_chosen_view(dataset_dir, view):
    at = open_page(TIMELINE, {"view": view} if view else None)
    assert at.title[0].value == "Timeline"
    keys, expanders = TIMELINE_VIEWS[view]
    assert [c.key for c in charts(at)] == keys
    closed = len(at.dataframe)  # the "show as table" expanders are drawn closed: their tables are not built
    assert expander_keys(at) == expanders
    open_expanders(at)
    assert not at.exception
    # opened, each builds its table: the timeline's marks (and its events, when there are any), the latency rows
    assert len(at.dataframe) >= closed + 1
    assert not at.warning


def test_timeline_latency_is_a_view_of_its_own(monkeypatch):
    monkeypatch.setenv("CLAIMSCOPE_DATA_DIR", str(ROOT / "data"))
    at = open_page(TIMELINE)
    assert "Reaction latency" in at.segmented_control(key="setting_view").options  # the labels
    at.segmented_control(key="setting_view").set_value("latency").run()
    assert not at.exception
    assert [c.key for c in charts(at)] == ["latency_chart"]
    assert at.query_params["view"] == "latency"
    # the lanes and the events toggle belong to the statements and trends views only
    assert not [s for s in at.segmented_control if s.key == "setting_by"]
    assert not [t for t in at.main.toggle if t.key == "timeline_events"]


def test_timeline_lanes_per_actor(dataset_dir):
    at = open_page(TIMELINE)
    at.segmented_control(key="setting_by").set_value("actor").run()
    assert not at.exception
    assert [c.key for c in charts(at)] == ["timeline_chart"]


#: the label of the Relations page's section under its tabs
PAIR_SECTION = "Statements behind a pair"

#: the Relations page's tabs (the ``chart`` URL parameter) and the charts each draws
RELATIONS_TABS = {
    None: ["relations_network"],  # no parameter: the first tab
    "Network": ["relations_network"],
    "Matrix": ["relations_matrix"],
    "Map": ["relations_map"],
    "Focus on one country": ["relations_focus_chart"],
    "Curated relations": ["relations_curated_chart"],
}


@pytest.mark.parametrize("tab", list(RELATIONS_TABS))
def test_relations_page_builds_only_the_open_tab(dataset_dir, tab):
    at = open_page(RELATIONS, {"chart": tab} if tab else None)
    assert at.title[0].value == "Country relations"
    assert [t.label for t in at.tabs] == ["Network", "Matrix", "Map", "Focus on one country", "Curated relations"]
    assert [c.key for c in charts(at)] == RELATIONS_TABS[tab]
    # below the tabs, for every tab: the statements behind a pair, drawn closed and built only when opened
    assert expander_keys(at, PAIR_SECTION) == ["relations_pair_section"]
    assert not [s for s in at.selectbox if s.key == "relations_pair_picker"]
    open_expanders(at, PAIR_SECTION)
    assert not at.exception
    assert at.selectbox(key="relations_pair_picker").value is not None
    # the focus tab's own widgets and tables exist only while it is open
    focus_open = tab == "Focus on one country"
    assert any(s.key == "relations_focus" for s in at.selectbox) == focus_open
    assert any("Most active pairs" in str(m.value) for m in at.markdown) == focus_open


def test_relations_tab_follows_its_state(monkeypatch):
    monkeypatch.setenv("CLAIMSCOPE_DATA_DIR", str(ROOT / "data"))
    at = open_page(RELATIONS)
    at.session_state["chart"] = "Matrix"  # what a click on the tab sets
    at.run()
    assert not at.exception
    assert [c.key for c in charts(at)] == ["relations_matrix"]


@pytest.mark.parametrize("tab", ["Matrix", "Map", "Focus on one country"])
def test_filters_change_with_a_tab_open(monkeypatch, tab):
    """A bound tab's parameter is the tab's own: the sidebar rewriting the address must leave it to Streamlit."""
    monkeypatch.setenv("CLAIMSCOPE_DATA_DIR", str(ROOT / "data"))
    at = open_page(RELATIONS, {"chart": tab})
    keys = [c.key for c in charts(at)]
    open_expanders(at, PAIR_SECTION)
    pair = at.selectbox(key="relations_pair_picker").value
    at.button(key="relations_filter_pair").click().run()  # the pair button; a chart click sets the same filters
    assert not at.exception, [e.value for e in at.exception]
    assert f"Speaker country: {pair[0]}" in captions(at)
    assert [c.key for c in charts(at)] == keys  # the same tab, now filtered
    at.sidebar.multiselect(key="filter_stance").set_value(["oppose"]).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.query_params["chart"] == tab


def test_relations_map_says_which_groups_are_left_out(monkeypatch, foreign_dir):
    monkeypatch.setenv("CLAIMSCOPE_DATA_DIR", str(foreign_dir))
    at = open_page(RELATIONS, {"chart": "Map"})
    left_out = [m.value for m in at.markdown if "Left out of the map" in str(m.value)]
    assert left_out and "G7" in left_out[0]


@pytest.mark.parametrize(
    ("params", "needle"), [({"country": "KOR"}, "Speaker country: KOR"), ({"from": "2024-06-20"}, "Date: 2024-06-20")]
)
def test_pages_follow_the_filters(monkeypatch, params, needle):
    monkeypatch.setenv("CLAIMSCOPE_DATA_DIR", str(ROOT / "data"))
    for page, n_charts in ((TIMELINE, 1), (RELATIONS, 1)):  # relations: the network tab's
        at = open_page(page, params)
        assert needle in captions(at)
        assert len(charts(at)) == n_charts


@pytest.mark.parametrize("page", [TIMELINE, RELATIONS])
def test_no_match_gives_the_empty_state(monkeypatch, page):
    monkeypatch.setenv("CLAIMSCOPE_DATA_DIR", str(ROOT / "data"))
    at = open_page(page, {"q": "no-such-word-anywhere"})
    assert not charts(at)
    assert at.warning and "No statement matches" in at.warning[0].value


def test_pair_button_filters_every_page(monkeypatch):
    monkeypatch.setenv("CLAIMSCOPE_DATA_DIR", str(ROOT / "data"))
    at = open_page(RELATIONS)
    open_expanders(at, PAIR_SECTION)
    pair = at.selectbox(key="relations_pair_picker").value
    at.button(key="relations_filter_pair").click().run()
    assert not at.exception
    assert at.session_state["filter_country"] == [pair[0]]
    assert at.session_state["filter_about"] == [pair[1]]
    assert f"Speaker country: {pair[0]}" in captions(at) and f"About: {pair[1]}" in captions(at)


def test_curated_tab_says_when_the_dataset_has_no_relations(monkeypatch, hostile_dir):
    monkeypatch.setenv("CLAIMSCOPE_DATA_DIR", str(hostile_dir))  # its relations.csv holds no relation
    at = open_page(RELATIONS, {"chart": "Curated relations"})
    assert not charts(at)
    assert any("holds no curated relation" in i.value for i in at.info)


#: the hostile dataset has no curated relation: its Curated relations tab draws no chart (the test above)
HOSTILE_TABS = [tab for tab in RELATIONS_TABS if tab and tab != "Curated relations"]


@pytest.mark.parametrize(("page", "params"), [(TIMELINE, None), *((RELATIONS, {"chart": tab}) for tab in HOSTILE_TABS)])
def test_hostile_text_reaches_the_charts_escaped(monkeypatch, hostile_dir, page, params):
    monkeypatch.setenv("CLAIMSCOPE_DATA_DIR", str(hostile_dir))
    at = open_page(page, params)
    assert charts(at)
    for chart in charts(at):
        assert chart.proto.alt.strip()  # every chart describes itself
        spec = chart.proto.spec
        assert "<script>" not in spec and "<i>Mallory" not in spec and "<b onmouseover" not in spec
    if page == TIMELINE:  # the relations charts show country codes, not speakers
        assert "&lt;i&gt;Mallory" in charts(at)[0].proto.spec
