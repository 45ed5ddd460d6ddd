"""App tests (streamlit.testing.v1.AppTest): every page, every filter, URL seeding, on several datasets.

AppTest cannot click charts or see the browser's address bar being rewritten by the frontend; those
are covered by tests/browser. The app writes the URL itself (st.query_params), which AppTest sees.
"""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from claimscope.figures.browser import FONT_FAMILY
from claimscope.filters import FILTER_PARAMS, apply_filters, filter_options, parse_query_params
from claimscope.ingest.dataset import load_folder
from tests.conftest import DATA_DIR, ROOT
from tests.datasets import HOSTILE_QUOTE, HOSTILE_SPEAKER
from ui.state import CLAIMS_LIST_KEY, FOLDED_FILTERS, MORE_FILTERS_KEY

PAGES = [
    "pages/overview.py",
    "pages/claims.py",
    "pages/actor.py",
    "pages/compare.py",
    "pages/timeline.py",
    "pages/relations.py",
    "pages/data.py",
]
TIMEOUT = 60


def start(monkeypatch, folder, params: dict | None = None, page: str | None = None) -> AppTest:
    monkeypatch.setenv("CLAIMSCOPE_DATA_DIR", str(folder))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    if page:
        at.switch_page(page).run()
        assert not at.exception, [e.value for e in at.exception]
    return at


def open_more_filters(at: AppTest) -> None:
    """Open the sidebar's "More filters" (as a click on it does: its state, then a rerun)."""
    assert [e.label for e in at.sidebar.expander] == ["More filters"]
    at.session_state[MORE_FILTERS_KEY] = True
    at.run()
    assert not at.exception, [e.value for e in at.exception]


def open_list(at: AppTest) -> AppTest:
    """Open the Claims page's folded list of matching statements (drawn while a claim is open), as a click would."""
    assert any(e.label.startswith("The ") and "matching statement" in e.label for e in at.main.expander)
    at.session_state[CLAIMS_LIST_KEY] = True
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def count_caption(at: AppTest) -> str:
    return next(c.value for c in at.caption if "statements" in c.value and ("of" in c.value or "All" in c.value))


def url_values(at: AppTest, key: str) -> list[str]:
    """AppTest's query_params is a plain dict: a value or a list of values."""
    value = at.query_params.get(key, [])
    return [value] if isinstance(value, str) else list(value)


@pytest.fixture(scope="module")
def curated():
    return load_folder(DATA_DIR)


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("dataset", ["curated", "foreign", "hostile"])
def test_every_page_runs_on_every_dataset(monkeypatch, page, dataset, foreign_dir, hostile_dir):
    folder = {"curated": DATA_DIR, "foreign": foreign_dir, "hostile": hostile_dir}[dataset]
    at = start(monkeypatch, folder, page=page)
    assert at.title, "every page has a title"
    # the folded filters wait in the closed "More filters" expander
    assert [m.key for m in at.sidebar.multiselect] == [
        f"filter_{p.param}" for p in FILTER_PARAMS if p.param not in FOLDED_FILTERS
    ]
    for chart in at.get("plotly_chart"):  # as claimscope.figures.browser sends it: nothing redrawn a second time
        sent = json.loads(chart.proto.spec)
        assert chart.proto.theme == "" and "template" not in sent["layout"] and "bdata" not in chart.proto.spec
        assert sent["layout"]["datarevision"] and sent["layout"]["font"]["family"] == FONT_FAMILY


@pytest.mark.parametrize("param", [p.param for p in FILTER_PARAMS])
def test_every_filter_seeded_from_the_url(monkeypatch, curated, param):
    """?param=value selects the value in the sidebar and keeps exactly the matching statements."""
    options = filter_options(curated.claims)
    value = options[param][-1][0]  # the rarest value, so the filter bites
    expected = apply_filters(curated.claims, parse_query_params({param: [value]}, options)[0])
    at = start(monkeypatch, DATA_DIR, {param: [value]}, page="pages/claims.py")
    assert at.sidebar.multiselect(key=f"filter_{param}").value == [value]
    assert count_caption(at).startswith(f"{len(expected)} of {len(curated.claims)} statements")
    assert len(at.dataframe[0].value) == len(expected)
    assert list(at.dataframe[0].value["claim_id"]) == list(expected["claim_id"])


@pytest.mark.parametrize("param", [p.param for p in FILTER_PARAMS])
def test_every_filter_widget_writes_the_url(monkeypatch, curated, param):
    options = filter_options(curated.claims)
    value = options[param][0][0]
    at = start(monkeypatch, DATA_DIR)
    if param in FOLDED_FILTERS:
        open_more_filters(at)
    at.sidebar.multiselect(key=f"filter_{param}").set_value([value]).run()
    assert not at.exception
    assert url_values(at, param) == [value]
    expected = apply_filters(curated.claims, parse_query_params({param: [value]}, options)[0])
    assert count_caption(at).startswith(f"{len(expected)} of")


@pytest.mark.parametrize(
    ("params", "expected_filter"),
    [
        ({"from": "2024-06-20", "to": "2024-06-30"}, {"date_from": "2024-06-20", "date_to": "2024-06-30"}),
        ({"from": "2025"}, {"date_from": "2025"}),
        ({"q": "breakthrough"}, {"q": "breakthrough"}),
        ({"q": "SÉOUL"}, {"q": "SÉOUL"}),
    ],
)
def test_date_and_text_filters_from_the_url(monkeypatch, curated, params, expected_filter):
    options = filter_options(curated.claims)
    filters, notices = parse_query_params(params, options)
    assert notices == []
    expected = apply_filters(curated.claims, filters)
    assert 0 < len(expected) < len(curated.claims)
    at = start(monkeypatch, DATA_DIR, params, page="pages/claims.py")
    assert count_caption(at).startswith(f"{len(expected)} of")
    for name, key in (("from", "filter_from"), ("to", "filter_to"), ("q", "filter_q")):
        if name in params:
            assert at.sidebar.text_input(key=key).value == params[name]


def test_text_filter_typed_in_the_sidebar(monkeypatch, curated):
    at = start(monkeypatch, DATA_DIR, page="pages/claims.py")
    at.sidebar.text_input(key="filter_q").input("breakthrough").run()
    assert url_values(at, "q") == ["breakthrough"]
    assert count_caption(at).startswith(
        f"{len(apply_filters(curated.claims, parse_query_params({'q': 'breakthrough'}, {})[0]))} of"
    )


@pytest.mark.parametrize(
    "params",
    [
        {"stance": "bogus"},
        {"from": "2024-13"},
        {"zzz": "1"},
        {"speaker": "x" * 10_000},
        {"claim": "no-such-claim"},
        {"q": "<script>" * 100},
    ],
)
def test_bad_url_values_are_ignored_with_a_notice(monkeypatch, curated, params):
    at = start(monkeypatch, DATA_DIR, params, page="pages/claims.py")
    assert len(at.sidebar.warning) == 1
    assert count_caption(at).startswith(f"All {len(curated.claims)} statements")
    assert not at.exception and not at.error


def test_folded_filters_are_drawn_when_opened_and_kept_when_closed(monkeypatch, curated):
    """A plain link draws none of the folded filters; opened, they are there; a value set in them filters every page
    and stays in the URL after the expander is closed and the page changed, and the sidebar says where it is set."""
    options = filter_options(curated.claims)
    value = options["certainty"][-1][0]
    expected = apply_filters(curated.claims, parse_query_params({"certainty": [value]}, options)[0])
    assert 0 < len(expected) < len(curated.claims)
    at = start(monkeypatch, DATA_DIR)
    assert not [m for m in at.sidebar.multiselect if m.key in {f"filter_{f}" for f in FOLDED_FILTERS}]
    assert not [c for c in at.sidebar.caption if "More filters" in c.value]
    open_more_filters(at)
    assert [m.key for m in at.sidebar.multiselect][-len(FOLDED_FILTERS) :] == [f"filter_{f}" for f in FOLDED_FILTERS]
    at.sidebar.multiselect(key="filter_certainty").set_value([value]).run()
    assert url_values(at, "certainty") == [value]
    at.session_state[MORE_FILTERS_KEY] = False
    at.run()
    assert not [m for m in at.sidebar.multiselect if m.key == "filter_certainty"]
    assert url_values(at, "certainty") == [value]
    assert "Set under More filters: Certainty." in [c.value for c in at.sidebar.caption]
    at.switch_page("pages/claims.py").run()
    assert not at.exception
    assert url_values(at, "certainty") == [value]
    assert count_caption(at).startswith(f"{len(expected)} of {len(curated.claims)} statements")
    assert list(at.dataframe[0].value["claim_id"]) == list(expected["claim_id"])
    open_more_filters(at)
    assert at.sidebar.multiselect(key="filter_certainty").value == [value]


@pytest.mark.parametrize(("params", "opened"), [({"kind": "reaction"}, True), ({"stance": "oppose"}, False), ({}, False)])
def test_a_link_that_sets_a_folded_filter_opens_more_filters(monkeypatch, params, opened):
    at = start(monkeypatch, DATA_DIR, params)
    assert at.session_state[MORE_FILTERS_KEY] is opened
    assert any(m.key == "filter_kind" for m in at.sidebar.multiselect) is opened
    if opened:
        assert at.sidebar.multiselect(key="filter_kind").value == ["reaction"]


def test_more_filters_stays_open_across_pages_and_the_reset_clears_what_it_hides(monkeypatch):
    at = start(monkeypatch, DATA_DIR)
    open_more_filters(at)
    at.sidebar.multiselect(key="filter_attribution").set_value(["paraphrase"]).run()
    at.switch_page("pages/timeline.py").run()
    assert not at.exception
    assert at.sidebar.multiselect(key="filter_attribution").value == ["paraphrase"]  # still open, still set
    at.session_state[MORE_FILTERS_KEY] = False
    at.run()
    assert url_values(at, "attribution") == ["paraphrase"]
    next(b for b in at.sidebar.button if b.label == "Reset all filters").click().run()
    assert dict(at.query_params) == {}
    assert not [c for c in at.sidebar.caption if "More filters" in c.value]
    open_more_filters(at)
    assert at.sidebar.multiselect(key="filter_attribution").value == []


def test_empty_state_says_where_a_folded_filter_is(monkeypatch, curated):
    """Nothing matches: the filter to clear is named, and "under More filters" while that is closed."""
    speaker = "Seed article (author)"
    assert not ((curated.claims["speaker"] == speaker) & (curated.claims["kind"] == "reaction")).any()
    at = start(monkeypatch, DATA_DIR, {"speaker": speaker, "kind": "reaction"}, page="pages/claims.py")
    warning = at.warning[0].value.replace("\\", "")
    assert "clear Kind → " in warning, warning
    at.session_state[MORE_FILTERS_KEY] = False
    at.run()
    warning = at.warning[0].value.replace("\\", "")
    assert "clear Kind (under More filters) → " in warning, warning
    assert "clear Speaker → " in warning, warning


def test_reset_clears_every_filter_and_the_url(monkeypatch):
    at = start(monkeypatch, DATA_DIR, {"stance": "support", "kind": "claim", "q": "treaty", "claim": "seed-001"})
    assert at.query_params
    at.sidebar.button[0].click().run()
    assert dict(at.query_params) == {}
    assert count_caption(at).startswith("All ")


def test_empty_state_says_what_to_loosen(monkeypatch, curated):
    at = start(monkeypatch, DATA_DIR, {"speaker": "Vladimir Putin", "stance": "oppose"}, page="pages/claims.py")
    warning = at.warning[0].value
    assert "No statement matches" in warning and "clear Speaker" in warning.replace("\\", "")
    assert not at.dataframe


def test_claim_in_url_opens_the_detail_with_provenance(monkeypatch, curated):
    at = start(monkeypatch, DATA_DIR, {"claim": "seed-012"}, page="pages/claims.py")
    claim = curated.claims.set_index("claim_id").loc["seed-012"]
    assert at.header[0].value.replace("\\", "").startswith(f"seed-012 · {claim['speaker']}")
    markdown = "\n".join(m.value for m in at.markdown)
    assert ":orange-background[" in markdown  # the quote highlighted in its source text
    assert [e.label for e in at.main.expander][-1] == "Permalink and citation"
    assert not at.code  # built only when opened: a code box loads the browser's syntax highlighter
    at.session_state["claim_citation"] = True
    at.run()
    codes = [c.value for c in at.code]
    assert codes[0].endswith("?claim=seed-012")
    assert "seed-012" in codes[1] and "Accessed" in codes[1]
    assert "claim_picker" not in [s.key for s in at.selectbox]  # folded with the list: opened below


def test_a_claims_link_lands_on_the_claim_with_the_list_folded_above_it(monkeypatch, curated):
    # a claim's page draws the claim, not the table it could be picked from: the list is folded (and not built) until
    # it is opened, and then marks the open claim's row
    claims = curated.claims.reset_index(drop=True)
    claim_id = str(claims.loc[3, "claim_id"])
    at = start(monkeypatch, DATA_DIR, {"claim": claim_id}, page="pages/claims.py")
    assert at.header[0].value.replace("\\", "").startswith(claim_id)
    assert not at.dataframe  # neither the list nor a grid of the claim's fields
    folded = [e.label for e in at.main.expander if "matching statement" in e.label]
    assert folded == [f"The {len(claims)} matching statements: select one, or open any claim by its id"]
    at = open_list(at)
    assert list(at.dataframe[0].value["claim_id"]) == list(claims["claim_id"])
    assert at.session_state["claims_table"]["selection"]["rows"] == [3]
    assert at.selectbox(key="claim_picker").value == claim_id
    assert at.header[0].value.replace("\\", "").startswith(claim_id)  # the claim stays open under the list


def test_the_folded_list_counts_the_statements_the_filters_keep(monkeypatch, curated):
    speaker = curated.claims["speaker"].value_counts()
    one = str(speaker.index[speaker == 1][0])
    claim_id = str(curated.claims.loc[curated.claims["speaker"] == one, "claim_id"].iloc[0])
    at = start(monkeypatch, DATA_DIR, {"claim": claim_id, "speaker": one}, page="pages/claims.py")
    assert [e.label for e in at.main.expander if "matching statement" in e.label] == [
        "The 1 matching statement: select one, or open any claim by its id"
    ]


def test_the_claims_fields_are_one_block_of_escaped_text(monkeypatch, curated):
    claim = curated.claims.set_index("claim_id").loc["seed-012"]
    at = start(monkeypatch, DATA_DIR, {"claim": "seed-012"}, page="pages/claims.py")
    block = next(m.value for m in at.markdown if m.value.startswith("**claim"))
    lines = block.replace("\\", "").split("  \n")
    assert lines[0] == "**claim_id:** seed-012"
    assert f"**stance:** {claim['stance']}" in lines
    assert f"**about:** {';'.join(claim['about'])}" in lines
    assert not any(line.startswith(("**quote:**", "**summary:**", "**_line", "**date_start")) for line in lines)


def test_picking_a_claim_writes_it_to_the_url(monkeypatch):
    at = start(monkeypatch, DATA_DIR, page="pages/claims.py")
    at.selectbox(key="claim_picker").set_value("ctx-r03").run()
    assert url_values(at, "claim") == ["ctx-r03"]
    assert "ctx" in at.header[0].value
    # opened from the list: the list stays in view above the claim (a link would fold it)
    assert at.session_state[CLAIMS_LIST_KEY] is True
    assert at.selectbox(key="claim_picker").value == "ctx-r03" and len(at.dataframe) == 1


def test_the_claim_picker_lists_the_first_claims_and_the_open_one(monkeypatch, curated):
    # every option of a select box costs the browser when the page opens: the picker lists a bounded number, and the
    # claim open (from the URL, or typed in: a browser test) is offered even when it is not among them
    import claimscope.queries.claims as claim_queries

    monkeypatch.setattr(claim_queries, "MAX_PICKER_OPTIONS", 3)
    ids = list(curated.claims["claim_id"])
    at = open_list(start(monkeypatch, DATA_DIR, {"claim": ids[-1]}, page="pages/claims.py"))
    picker = at.selectbox(key="claim_picker")
    assert picker.options[1:] == [ids[-1], *ids[:3]]
    assert picker.value == ids[-1]
    assert "first 3 matching statements" in picker.help


def test_the_claim_picker_shows_the_claim_open_however_it_was_opened(monkeypatch, curated):
    # a select box that takes typed ids keeps whatever it held: the page sets it to the open claim before drawing it
    ids = list(curated.claims["claim_id"])
    at = open_list(start(monkeypatch, DATA_DIR, {"claim": ids[0]}, page="pages/claims.py"))
    assert at.selectbox(key="claim_picker").value == ids[0]
    at.session_state["selected_claim"] = ids[1]  # opened another way (``ui.state.open_claim``: a chart's click)
    del at.session_state["claims_table"]
    at.run()
    assert at.selectbox(key="claim_picker").value == ids[1]
    assert at.header[0].value.replace("\\", "").startswith(ids[1])


def test_a_claim_picked_over_a_selected_table_row_opens(monkeypatch, curated):
    # the table's row selection (the open claim's row) is kept by the browser and sent with every run: a claim picked
    # in the picker, or opened by the reset, must not be undone by it
    ids = list(curated.claims["claim_id"])
    at = open_list(start(monkeypatch, DATA_DIR, {"claim": ids[0]}, page="pages/claims.py"))
    at.selectbox(key="claim_picker").set_value(ids[1]).run()
    assert at.header[0].value.replace("\\", "").startswith(ids[1])
    assert url_values(at, "claim") == [ids[1]]
    next(b for b in at.sidebar.button if b.label == "Reset all filters").click().run()
    assert at.session_state["selected_claim"] == "" and not url_values(at, "claim")
    assert at.selectbox(key="claim_picker").value == ""


def test_a_filter_change_keeps_the_open_claim_open(monkeypatch, curated):
    # the table's selection is a row's position, kept by the browser: after a filter change it must not open the claim
    # that the new table has at that position
    claims = curated.claims.reset_index(drop=True)
    row = next(i for i in range(1, len(claims)) if claims.loc[i, "stance"] != "oppose")
    claim = str(claims.loc[row, "claim_id"])
    at = open_list(start(monkeypatch, DATA_DIR, {"claim": claim}, page="pages/claims.py"))
    assert at.header[0].value.replace("\\", "").startswith(claim)
    next(m for m in at.sidebar.multiselect if m.label == "Stance").set_value(["oppose"]).run()
    assert not at.exception
    assert at.session_state["selected_claim"] == claim
    assert at.header[0].value.replace("\\", "").startswith(claim)
    # the list stays open (its label's count changed) and draws the new table, without the claim's row marked
    oppose = claims.loc[claims["stance"] == "oppose", "claim_id"]
    assert next(e.label for e in at.main.expander if "matching statement" in e.label).startswith(f"The {len(oppose)} ")
    assert list(at.dataframe[0].value["claim_id"]) == list(oppose)
    assert at.session_state["claims_table"]["selection"]["rows"] == []


def test_open_it_lands_on_the_answered_claim_with_the_list_folded(monkeypatch, curated):
    claims = curated.claims
    reaction = claims.loc[claims["responds_to"].isin(set(claims["claim_id"]))].iloc[0]
    at = start(monkeypatch, DATA_DIR, {"claim": reaction["claim_id"]}, page="pages/claims.py")
    at.button(key="open_answered").click().run()
    assert at.header[0].value.replace("\\", "").startswith(reaction["responds_to"])
    assert not at.session_state[CLAIMS_LIST_KEY] and not at.dataframe


def test_choosing_no_claim_closes_it_and_shows_the_list(monkeypatch, curated):
    at = open_list(start(monkeypatch, DATA_DIR, {"claim": "seed-012"}, page="pages/claims.py"))
    at.selectbox(key="claim_picker").set_value("").run()
    assert not at.exception and not url_values(at, "claim")
    assert not [e for e in at.main.expander if "matching statement" in e.label]  # not folded: the list itself
    assert list(at.dataframe[0].value["claim_id"]) == list(curated.claims["claim_id"])
    assert not at.main.header  # no claim drawn


def test_the_folded_list_keeps_its_sort(monkeypatch, curated):
    # the sort is drawn only while the list is open: folding and opening it again must not reset it
    import claimscope.views.table as table_views

    monkeypatch.setattr(table_views, "FULL_TABLE_ROWS", 5)  # the list pages (and sorts) past five statements
    at = open_list(start(monkeypatch, DATA_DIR, {"claim": "seed-012"}, page="pages/claims.py"))
    at.selectbox(key="table_sort").set_value("date, newest first").run()
    newest = list(at.dataframe[0].value["claim_id"])
    at.session_state[CLAIMS_LIST_KEY] = False
    at.run()
    assert not at.dataframe
    at = open_list(at)
    assert at.selectbox(key="table_sort").value == "date, newest first"
    assert list(at.dataframe[0].value["claim_id"]) == newest


def test_reaction_shows_what_it_answers_and_the_days(monkeypatch):
    at = start(monkeypatch, DATA_DIR, {"claim": "ctx-r03"}, page="pages/claims.py")
    markdown = "\n".join(m.value.replace("\\", "") for m in at.markdown)
    assert "ev-2024-06-19-treaty-signed · 2024-06-19 (1 day before)" in markdown


def test_hostile_text_is_escaped_on_the_claims_page(monkeypatch, hostile_dir):
    at = start(monkeypatch, hostile_dir, {"claim": "h-1"}, page="pages/claims.py")
    quote = next(m.value for m in at.markdown if "script" in m.value)
    assert "<script>" not in quote and "\\<script\\>" in quote
    assert "](" not in quote
    assert quote.replace("\\", "").replace("\u2060", "") == HOSTILE_QUOTE.replace("\\", "")
    # the fields block prints the speaker (and every other field) as text too
    fields = next(m.value for m in at.markdown if m.value.startswith("**claim"))
    speaker = next(line for line in fields.split("  \n") if line.startswith("**speaker:**"))
    assert "<i>" not in speaker and "](" not in speaker
    assert speaker.replace("\\", "").replace("\u2060", "") == f"**speaker:** {HOSTILE_SPEAKER}"


def test_overview_counts_match_the_data(monkeypatch, curated):
    at = start(monkeypatch, DATA_DIR, {"kind": "reaction"})
    metrics = {m.label: m.value for m in at.metric}
    reactions = curated.claims[curated.claims["kind"] == "reaction"]
    assert metrics["Statements"] == str(len(reactions))
    assert metrics["Reactions"] == str(len(reactions))
    assert metrics["Actors"] == str(reactions["speaker"].nunique())


def test_data_page_shows_dictionary_report_and_downloads(monkeypatch, curated):
    at = start(monkeypatch, DATA_DIR, {"stance": "support"}, page="pages/data.py")
    labels = [b.label for b in at.get("download_button")]
    assert {"Claims as CSV", "Claims as JSON", "Dataset as zip"} <= set(labels)
    assert [b.label for b in at.get("download_button") if not b.proto.ignore_rerun] == []
    assert any("No problem" in s.value for s in at.success)
    tables = [d.value for d in at.dataframe]
    dictionary = next(t for t in tables if "description" in t.columns and "column" in t.columns)
    assert {"claims.csv", "events.csv"} <= set(dictionary["file"])
    assert "end_date" in set(dictionary["column"])


def test_data_page_reports_a_broken_dataset(monkeypatch, tmp_path, foreign_dir):
    broken = tmp_path / "broken"
    broken.mkdir()
    for path in foreign_dir.rglob("*"):
        if path.is_file():
            target = broken / path.relative_to(foreign_dir)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())
    text = (broken / "claims.csv").read_text(encoding="utf-8").replace(",support,", ",positive,")
    (broken / "claims.csv").write_text(text, encoding="utf-8")
    at = start(monkeypatch, broken, page="pages/data.py")
    assert any("1 problem" in e.value for e in at.error)
    report = next(d.value for d in at.dataframe if "report" in d.value.columns)
    assert list(report["report"]) == ["claims.csv:2:stance: 'positive' is not one of support, oppose, concern, neutral"]
    assert any("rejected row" in b.label for b in at.get("download_button"))
    # a download changes nothing on the page: no button reruns the script (a rerun would rebuild the page for nothing)
    assert [b.label for b in at.get("download_button") if not b.proto.ignore_rerun] == []


def test_a_run_starts_writing_the_engines_derived_tables(monkeypatch, foreign_dir):
    """After a page's run the served engine writes every reaction's target in the background (once), so that the
    Timeline, Compare and Actor pages find it; the page itself never waits for it."""
    from claimscope.queries.actor import reaction_targets
    from claimscope.queries.scope import Scope
    from ui import state

    start(monkeypatch, foreign_dir, page="pages/claims.py")
    engine = state._served(str(foreign_dir), state._signature(foreign_dir))[1]
    assert "reaction_targets" in engine._derived  # started by the runs above, none of which asked for it
    kept = reaction_targets(Scope(engine, state.Filters()), wait=True)
    assert kept is not None and engine.count(kept) > 0


@pytest.mark.parametrize(("params", "slider"), [({}, False), ({"from": "2024-06-19", "to": "2024-06-19"}, True)])
def test_the_timeline_caption_says_how_to_zoom_the_chart_it_shows(monkeypatch, params, slider):
    """The range slider is left out past MAX_SLIDER_POINTS drawn points: the caption names the zoom the chart has."""
    from claimscope.figures.timeline import MAX_SLIDER_POINTS

    at = start(monkeypatch, DATA_DIR, params, page="pages/timeline.py")
    chart = at.get("plotly_chart")[0]
    spec = json.loads(chart.proto.spec)
    points = sum(len(trace.get("x") or []) for trace in spec["data"])
    assert (points <= MAX_SLIDER_POINTS) is slider  # the dataset gives both cases
    assert spec["layout"]["xaxis"]["rangeslider"]["visible"] is slider
    caption = next(c.value for c in at.caption if "Colour and symbol" in c.value)
    assert ("slider under the chart" in caption) is slider
    assert ("Drag across the chart" in caption) is not slider
