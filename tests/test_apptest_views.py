"""App tests of the Timeline's trends and cascade views, the claim detail's cascade and the readable network.

Expected values come from the core functions on the data the test loads, never from counts of the curated data.
Chart clicks are covered in the browser (tests/browser/test_views.py).
"""

from __future__ import annotations

import base64
import json

import numpy as np
import plotly.graph_objects as go
import pytest
from streamlit.testing.v1 import AppTest

from claimscope.figures.browser import read_meta
from claimscope.filters import VIEW_PARAMS
from claimscope.ingest.dataset import load_folder, short_country_names
from claimscope.views.cascade import reaction_cascade, thread_origin, threads
from claimscope.views.relations import curated_relations, statement_pairs, top_pairs
from claimscope.views.trends import trend_table
from tests.conftest import DATA_DIR, ROOT

APP = str(ROOT / "app.py")
TIMELINE, RELATIONS, CLAIMS, DATA = "pages/timeline.py", "pages/relations.py", "pages/claims.py", "pages/data.py"


def open_page(page: str, params: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def charts(at: AppTest) -> list:
    return list(at.get("plotly_chart"))


def spec(chart):
    """The chart's figure, read back from the JSON Streamlit sends (its ``meta`` from JSON text)."""
    return go.Figure(read_meta(json.loads(chart.proto.spec)), skip_invalid=True)


def values(data) -> list:
    """A trace's array as plotly's JSON sends it: a list, or a typed array ({"dtype", "bdata"})."""
    if isinstance(data, dict) and "bdata" in data:
        return np.frombuffer(base64.b64decode(data["bdata"]), dtype=data["dtype"]).tolist()
    return list(data)


def traces(chart, role: str) -> list:
    return [t for t in spec(chart).data if (t.meta or {}).get("role") == role]


def url(at: AppTest) -> dict:
    return {k: (v if isinstance(v, list) else [v]) for k, v in dict(at.query_params).items()}


@pytest.fixture(scope="module")
def curated():
    return load_folder(DATA_DIR)


@pytest.fixture(autouse=True)
def curated_data(monkeypatch):
    monkeypatch.setenv("CLAIMSCOPE_DATA_DIR", str(DATA_DIR))


# --- trends ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("interval", "by"), [("month", "country"), ("week", "actor"), ("year", "bloc")])
def test_trends_from_the_url_count_every_placed_statement(curated, interval, by):
    at = open_page(TIMELINE, {"view": "trends", "interval": interval, "by": by})
    (chart,) = charts(at)
    bars = traces(chart, "bars")
    from claimscope.views.timeline import dataset_blocs

    expected = trend_table(curated.claims, by=by, interval=interval, blocs=dataset_blocs(curated) if by == "bloc" else None)
    assert sum(sum(values(t.y)) for t in bars) == expected.counted
    assert {t.meta["group"] for t in bars} == set(expected.groups)
    assert at.segmented_control(key="setting_view").value == "trends"
    assert at.segmented_control(key="setting_interval").value == interval
    assert url(at)["view"] == ["trends"] and url(at)["interval"] == [interval]
    assert chart.proto.alt.strip()
    assert any("Show as table" in e.label for e in at.expander)


def test_trend_controls_write_the_url(curated):
    at = open_page(TIMELINE, {"view": "trends"})
    at.segmented_control(key="setting_measure").set_value("share").run()
    at.segmented_control(key="setting_by").set_value("bloc").run()
    assert not at.exception
    assert url(at)["measure"] == ["share"] and url(at)["by"] == ["bloc"] and url(at)["view"] == ["trends"]
    (chart,) = charts(at)
    for bar_total in _bar_totals(traces(chart, "bars")).values():
        assert round(bar_total) == 100  # shares stack to the whole bar
    # back to the default: the parameter leaves the URL
    at.segmented_control(key="setting_measure").set_value("count").run()
    assert "measure" not in url(at)


def _bar_totals(bars: list[dict]) -> dict:
    totals: dict = {}
    for trace in bars:
        for custom, y in zip(trace.customdata, values(trace.y), strict=True):
            key = (custom[0], custom[2])
            totals[key] = totals.get(key, 0) + y
    return totals


def test_trends_follow_the_filters_and_say_what_is_not_counted(curated):
    at = open_page(TIMELINE, {"view": "trends", "interval": "week", "country": "KOR"})
    kor = curated.claims.loc[curated.claims["speaker_country"] == "KOR"]
    expected = trend_table(kor, interval="week")
    (chart,) = charts(at)
    assert sum(sum(values(t.y)) for t in traces(chart, "bars")) == expected.counted
    captions = " ".join(c.value for c in at.caption)
    if expected.coarse:
        assert f"{expected.coarse:,} statement(s) dated less precisely than a week" in captions.replace("\\", "")


def test_auto_interval_is_named(curated):
    at = open_page(TIMELINE, {"view": "trends"})
    captions = " ".join(c.value for c in at.caption)
    assert "chosen from the span shown" in captions
    assert "interval" not in url(at)  # auto is the default


# --- the cascade on the Timeline ----------------------------------------------------------------------------------


def _thread_claim(curated) -> str:
    """A claim that answers another node and is answered itself, if the data has one (else one that answers)."""
    answering = curated.claims.loc[curated.claims["responds_to"].astype(str).str.strip() != ""]
    both = answering.loc[answering["claim_id"].isin(threads(curated.claims)["node_id"])]
    return str((both if len(both) else answering)["claim_id"].iloc[0])


@pytest.mark.parametrize("mode", ["thread", "reactions"])
def test_timeline_cascade_of_the_claim_in_the_url(curated, mode):
    claim = _thread_claim(curated)
    at = open_page(TIMELINE, {"view": "cascade", "claim": claim, "cascade": mode})
    (chart,) = charts(at)
    root = thread_origin(curated.claims, claim, curated.events) if mode == "thread" else claim
    expected = reaction_cascade(curated.claims, curated.events, root).nodes
    drawn = {c[0] for t in traces(chart, "nodes") for c in t.customdata if c[0]}
    assert drawn == set(expected.loc[expected["node_kind"] == "claim", "node_id"])
    assert traces(chart, "selected")  # the claim of the URL is ringed
    assert at.selectbox(key="timeline_cascade_root").value == claim
    assert url(at)["claim"] == [claim]


def test_timeline_cascade_without_a_claim_shows_the_largest_thread(curated):
    at = open_page(TIMELINE, {"view": "cascade"})
    (chart,) = charts(at)
    largest = threads(curated.claims)
    root = str(largest["node_id"].iloc[0])
    assert f"Reaction cascade from {root}" in chart.proto.alt
    assert len(traces(chart, "arrows")[0].x) // 3 == reaction_cascade(curated.claims, curated.events, root).reactions
    assert "claim" not in url(at)


def test_picking_a_statement_sets_the_claim(curated):
    claim = _thread_claim(curated)
    at = open_page(TIMELINE, {"view": "cascade"})
    at.selectbox(key="timeline_cascade_root").set_value(claim).run()
    assert not at.exception
    assert url(at)["claim"] == [claim] and url(at)["view"] == ["cascade"]


def test_filters_fade_the_cascade_but_keep_it_whole(curated):
    claim = _thread_claim(curated)
    country = str(curated.claims.loc[curated.claims["claim_id"] == claim, "speaker_country"].iloc[0])
    at = open_page(TIMELINE, {"view": "cascade", "claim": claim, "country": country})
    (chart,) = charts(at)
    root = thread_origin(curated.claims, claim, curated.events)
    whole = reaction_cascade(curated.claims, curated.events, root).nodes
    opacities = [o for t in traces(chart, "nodes") for o in values(t.marker.opacity)]
    assert len(opacities) == len(whole)
    hidden = int((whole["speaker_country"] != country).sum()) - int((whole["node_kind"] == "event").sum())
    assert sum(o < 1 for o in opacities) == hidden


def test_statements_view_lanes_per_bloc(curated):
    at = open_page(TIMELINE, {"by": "bloc"})
    assert len(charts(at)) == 1  # statements (reaction latency is a view of its own)
    assert "per bloc" in charts(at)[0].proto.alt or "bloc" in charts(at)[0].proto.alt


def test_bad_view_values_are_ignored_with_a_notice():
    at = open_page(TIMELINE, {"view": "pie", "interval": "fortnight"})
    notices = " ".join(w.value for w in at.sidebar.warning).replace("\\", "")
    assert "view='pie'" in notices and "interval='fortnight'" in notices
    assert [c.key for c in charts(at)] == ["timeline_chart"]  # the default view
    assert "view" not in url(at) and "interval" not in url(at)


# --- the claim detail's cascade ------------------------------------------------------------------------------------


def test_claim_detail_shows_its_cascade_in_its_own_tab(curated):
    claim = _thread_claim(curated)
    at = open_page(CLAIMS, {"claim": claim})
    assert [t.label for t in at.tabs] == ["The quote in its source text", "Reaction cascade"]
    assert not charts(at)  # the source text's tab is open: the cascade is neither walked nor drawn
    at = open_page(CLAIMS, {"claim": claim, "detail": "Reaction cascade"})
    cascades = [c for c in charts(at) if c.proto.id and "claim_cascade" in str(c.key)]
    assert len(cascades) == 1
    at.segmented_control(key="setting_cascade").set_value("reactions").run()
    assert not at.exception and url(at)["cascade"] == ["reactions"] and url(at)["claim"] == [claim]


def test_claim_outside_any_thread_has_no_cascade(curated):
    answered = set(threads(curated.claims)["node_id"])
    alone = curated.claims.loc[
        (curated.claims["responds_to"].astype(str).str.strip() == "") & ~curated.claims["claim_id"].isin(answered), "claim_id"
    ]
    at = open_page(CLAIMS, {"claim": str(alone.iloc[0])})
    assert not charts(at) and not at.tabs  # no cascade tab: the source text alone


def test_hostile_text_in_the_cascade_is_escaped(monkeypatch, hostile_dir):
    monkeypatch.setenv("CLAIMSCOPE_DATA_DIR", str(hostile_dir))
    at = open_page(TIMELINE, {"view": "cascade"})
    for chart in charts(at):
        assert "<script>" not in chart.proto.spec and "<b onmouseover" not in chart.proto.spec
    at = open_page(TIMELINE, {"view": "trends"})
    for chart in charts(at):
        assert "<script>" not in chart.proto.spec


# --- the network ------------------------------------------------------------------------------------------------


def test_network_is_readable(curated):
    at = open_page(RELATIONS)
    network = next(c for c in charts(at) if c.key == "relations_network")
    figure = spec(network)
    legend = [t for t in figure.data if t.showlegend is not False]
    assert 0 < len(legend) <= 6
    assert figure.layout.height >= 700
    shorts = short_country_names(curated.countries)
    labels = {label for trace in figure.data if (trace.meta or {}).get("role") == "nodes" for label in trace.text}
    pairs = top_pairs(statement_pairs(curated.claims), 60)
    assert labels == {shorts.get(c, c) for c in set(pairs["from"]).union(pairs["to"])}
    # one line per pair of countries, both directions together
    edges = traces(network, "edges")
    lines = sum(len(t["x"]) // 3 for t in edges)
    unordered = {tuple(sorted(p)) for p in zip(pairs["from"], pairs["to"], strict=True) if p[0] != p[1]}
    assert lines == len(unordered)


def test_curated_relations_are_a_tab_of_their_own(curated):
    at = open_page(RELATIONS)
    assert "relations_curated_chart" not in [c.key for c in charts(at)]  # not drawn with the statement network
    at = open_page(RELATIONS, {"chart": "Curated relations"})
    assert [c.key for c in charts(at)] == ["relations_curated_chart"]
    relations = curated_relations(curated.relations)
    assert f"the {len(relations)} curated relations" in charts(at)[0].proto.alt


def test_data_page_lists_the_view_parameters():
    at = open_page(DATA)
    table = next(d.value for d in at.dataframe if "parameter" in d.value.columns)
    assert {p.param for p in VIEW_PARAMS} <= set(table["parameter"])
