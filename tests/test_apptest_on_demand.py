"""Tables and texts behind an expander are built only when it is opened (``ui.view.built_when_opened``).

A closed expander's content is still sent and mounted by the browser; the pages build it only while open. Every
page is opened through the real entrypoint (AppTest); each such expander must be drawn closed and empty, and hold
its table (or its text) once opened.
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from tests.expanders import TABLES, expander_keys, open_expanders

APP = str(ROOT / "app.py")

#: (page script, URL parameters, the expanders it draws closed: their keys, in the page's order)
PAGES = [
    (None, {}, ["overview_stance_table"]),
    ("pages/timeline.py", {}, ["timeline_marks_table"]),
    ("pages/timeline.py", {"view": "latency"}, ["latency_table"]),
    ("pages/timeline.py", {"view": "trends"}, ["trends_table"]),
    ("pages/timeline.py", {"view": "cascade"}, ["cascade_table"]),
    ("pages/relations.py", {}, ["network_table"]),
    ("pages/relations.py", {"chart": "Curated relations"}, ["network_curated_table"]),
    ("pages/relations.py", {"chart": "Matrix"}, ["matrix_table"]),
    ("pages/relations.py", {"chart": "Map"}, ["map_table"]),
    (
        "pages/actor.py",
        {"speaker": "Kim Jong Un"},
        ["actor_timeline_table"],
    ),
    (
        "pages/actor.py",
        {"speaker": "Kim Jong Un", "section": "Topics and countries"},
        ["actor_shares_table_topics", "actor_shares_table_about"],
    ),
    ("pages/compare.py", {"country": ["RUS", "USA"]}, None),
    ("pages/claims.py", {"claim": "h24-065", "detail": "Reaction cascade"}, ["cascade_table"]),
]


def open_link(page: str | None, params: dict) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def tables_expanders(at: AppTest) -> list:
    return [e for e in at.expander if e.label == TABLES]


@pytest.mark.parametrize(("page", "params", "keys"), PAGES, ids=lambda v: str(v) if not isinstance(v, list) else "")
def test_show_as_table_is_built_only_when_opened(page, params, keys):
    at = open_link(page, params)
    if keys is not None:
        assert expander_keys(at) == keys
    closed = tables_expanders(at)
    assert closed and all(not e.children for e in closed), "a closed expander's table was built"
    tables_before = len(at.dataframe)
    open_expanders(at)
    assert not at.exception, [e.value for e in at.exception]
    opened = tables_expanders(at)
    assert len(opened) == len(closed) and all(e.children for e in opened), "an opened expander holds nothing"
    assert len(at.dataframe) > tables_before
    at.run()  # they stay open across reruns (the analyst's choice is kept)
    assert all(e.children for e in tables_expanders(at))


def test_the_full_source_text_is_built_only_when_opened():
    at = open_link("pages/claims.py", {"claim": "h24-065"})
    (box,) = [e for e in at.expander if e.label == "Full source text"]
    assert not box.children
    shown = {t.value for t in at.text}
    open_expanders(at, "Full source text")
    (box,) = [e for e in at.expander if e.label == "Full source text"]
    new = [t.value for t in at.text if t.value not in shown]
    assert box.children and new and len(new[0]) > 500  # the source's whole text
