"""App tests for an analyst's own data: rows set aside announced on every page, gap notes, spreadsheets, map my columns."""

from __future__ import annotations

import csv
import io

import pytest
from streamlit.testing.v1 import AppTest

from claimscope.ingest.dataset import load_folder
from claimscope.ingest.places import builtin_groups
from tests.conftest import DATA_DIR, ROOT
from tests.datasets import csv_text
from tests.statements import ANALYST_HEADER, ROWS, analyst_rows, analyst_workbook, contract_folder, contract_workbook
from tests.test_sheets import claims_rows, workbook_bytes
from ui.state import DROPPED_NAMED, MORE_FILTERS_KEY, UPLOADED_KEY, USE_UPLOAD_KEY, dropped_notice

PAGES = ["pages/overview.py", "pages/claims.py", "pages/timeline.py", "pages/relations.py", "pages/data.py"]
TIMEOUT = 90
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BAD_ROWS = 40


def start(monkeypatch, folder, params: dict | None = None, page: str | None = None) -> AppTest:
    monkeypatch.setenv("CLAIMSCOPE_DATA_DIR", str(folder))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    if page and page != PAGES[0]:
        at.switch_page(page).run()
        assert not at.exception, [e.value for e in at.exception]
    return at


def plain(text: str) -> str:
    return text.replace("\\", "")


@pytest.fixture(scope="module")
def set_aside_dir(tmp_path_factory) -> object:
    """The issue's list with some speaker countries mistyped: those rows are set aside."""
    folder = contract_folder(tmp_path_factory.mktemp("aside"))
    rows = list(csv.reader(io.StringIO((folder / "claims.csv").read_text(encoding="utf-8"))))
    for row in rows[1 : BAD_ROWS + 1]:
        row[3] = row[3].lower()
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    (folder / "claims.csv").write_text(buffer.getvalue(), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def contract_dir(tmp_path_factory) -> object:
    return contract_folder(tmp_path_factory.mktemp("contract"))


@pytest.mark.parametrize("page", PAGES)
def test_rows_set_aside_are_announced_on_every_page_with_a_link_to_the_report(monkeypatch, set_aside_dir, page):
    at = start(monkeypatch, set_aside_dir, page=page)
    notice = next(plain(w.value) for w in at.warning if "set aside" in w.value)
    assert notice.startswith(f"Validation set aside {BAD_ROWS} of {ROWS} rows of claims.csv.")
    links = [link.proto for link in at.get("page_link")]
    assert [(link.label, link.page) for link in links] == [("Open the validation report", "data")]
    caption = next(c.value for c in at.caption if "statements" in c.value)
    assert caption.startswith(f"All {ROWS - BAD_ROWS} accepted statements (no filter); {BAD_ROWS} more rows were set aside")


@pytest.mark.parametrize("page", PAGES)
def test_a_clean_dataset_has_no_set_aside_notice(monkeypatch, page):
    at = start(monkeypatch, DATA_DIR, page=page)
    assert not [w for w in at.warning if "set aside" in w.value]
    assert not at.get("page_link")


def test_the_filtered_count_never_passes_for_the_whole(monkeypatch, set_aside_dir):
    at = start(monkeypatch, set_aside_dir, {"kind": "claim"}, page="pages/claims.py")
    caption = plain(next(c.value for c in at.caption if "statements" in c.value))
    accepted = load_folder(set_aside_dir).claims
    shown = int((accepted["kind"] == "claim").sum())
    assert caption.startswith(f"{shown} of {len(accepted)} accepted statements; {BAD_ROWS} more rows were set aside")


@pytest.mark.parametrize("page", ["pages/data.py", "pages/overview.py"])
def test_the_tab_parameter_is_known_to_the_url_interface(monkeypatch, set_aside_dir, page):
    at = start(monkeypatch, set_aside_dir, {"tab": "Validation report"}, page=page)
    assert not at.sidebar.warning, [w.value for w in at.sidebar.warning]
    if page == "pages/data.py":
        assert any("problem(s)" in e.value for e in at.error)


def test_a_filter_changes_with_a_data_tab_open(monkeypatch, set_aside_dir):
    """The tab's parameter is bound to the tabs: the sidebar rewriting the address must leave it to Streamlit."""
    at = start(monkeypatch, set_aside_dir, {"tab": "Validation report"}, page="pages/data.py")
    at.session_state[MORE_FILTERS_KEY] = True  # "More filters" opened: Kind is folded there
    at.run()
    at.sidebar.multiselect(key="filter_kind").set_value(["claim"]).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.query_params["tab"] == "Validation report" and at.query_params["kind"] == "claim"
    assert any("problem(s)" in e.value for e in at.error)  # still the report's tab


@pytest.mark.parametrize(
    ("page", "params", "fragments"),
    [
        ("pages/overview.py", {}, ["cannot split them by stance: claims.csv has no stance column"]),
        ("pages/timeline.py", {}, ["the timeline cannot show stance: claims.csv has no stance column"]),
        (
            "pages/timeline.py",
            {"view": "latency"},
            [
                "No reaction latency to show: it needs reactions that name what they respond to: claims.csv has no responds_to column"
            ],
        ),
        ("pages/relations.py", {}, ["No pair of countries to draw", "claims.csv has no about column"]),
    ],
)
def test_pages_say_what_a_dataset_without_optional_columns_cannot_show(monkeypatch, contract_dir, page, params, fragments):
    at = start(monkeypatch, contract_dir, params, page=page)
    notes = " | ".join(plain(i.value) for i in at.info)
    for fragment in fragments:
        assert fragment in notes
    if page == "pages/timeline.py" and not params:
        assert at.toggle(key="timeline_events").disabled
        assert len(at.get("plotly_chart")) == 1  # the timeline itself
    if params.get("view") == "latency":
        assert not at.get("plotly_chart")  # no empty latency chart
    if page == "pages/relations.py":
        assert not at.get("plotly_chart")  # no empty network, matrix or map


def test_the_curated_data_needs_no_gap_note(monkeypatch):
    for page, params in (("pages/overview.py", {}), ("pages/timeline.py", {}), ("pages/timeline.py", {"view": "latency"})):
        at = start(monkeypatch, DATA_DIR, params, page=page)
        assert not [i for i in at.info if "cannot" in i.value or "No reaction latency" in i.value]


def test_the_data_page_lists_the_built_in_groups(monkeypatch):
    at = start(monkeypatch, DATA_DIR, page="pages/data.py")
    table = next(d.value for d in at.dataframe if "members as of" in d.value.columns)
    assert set(table["code"]) == set(builtin_groups()["code"])
    overridden = set(table.loc[table["overridden by countries.csv"], "code"])
    assert overridden == set(load_folder(DATA_DIR).frames["countries"]["code"]) & set(builtin_groups()["code"])


def upload(at: AppTest, *files: tuple[str, bytes, str]) -> AppTest:
    at.get("file_uploader")[0].set_value(list(files))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_an_uploaded_claims_workbook_is_checked_and_explored(monkeypatch):
    at = start(monkeypatch, DATA_DIR, page="pages/data.py")
    upload(at, ("claims.xlsx", contract_workbook(), XLSX))
    at.run()  # a second run must not collide with the sidebar's toggle
    assert not at.exception
    counts = next(d.value for d in at.dataframe if "rows read" in d.value.columns)
    assert counts.set_index("file").loc["claims.xlsx (sheet claims)", "accepted"] == ROWS
    at.button(key="upload_explore").click().run()
    at.switch_page("pages/overview.py").run()
    assert {m.label: m.value for m in at.metric}["Statements"] == str(ROWS)


def test_filter_values_the_uploaded_dataset_lacks_are_named_not_dropped_silently(monkeypatch):
    """Exploring an upload with a speaker and a speaker country chosen on the curated data: the speaker the upload does
    not have leaves the filter with a notice, shown while the upload is; the country it has stays chosen."""
    speaker = "Vladimir Putin"
    at = start(monkeypatch, DATA_DIR, {"speaker": speaker, "country": "RUS"}, page="pages/data.py")
    assert not at.sidebar.warning
    upload(at, ("claims.xlsx", contract_workbook(), XLSX))
    at.button(key="upload_explore").click().run()
    assert not at.exception, [e.value for e in at.exception]
    uploaded = at.session_state[UPLOADED_KEY].claims
    assert speaker not in set(uploaded["speaker"]) and "RUS" in set(uploaded["speaker_country"])
    notice = f"Not in this dataset, so left out of the filters: Speaker: {speaker}."
    assert [w.value.replace("\\", "") for w in at.sidebar.warning] == [notice]
    assert "speaker" not in at.query_params and at.query_params["country"] == "RUS"
    at.switch_page("pages/claims.py").run()  # the notice stays while this dataset is shown
    assert [w.value.replace("\\", "") for w in at.sidebar.warning] == [notice]
    at.sidebar.toggle(key=USE_UPLOAD_KEY).set_value(False).run()  # back to the curated data, which has the speaker
    assert not at.sidebar.warning
    at.sidebar.toggle(key=USE_UPLOAD_KEY).set_value(True).run()
    assert [w.value.replace("\\", "") for w in at.sidebar.warning] == [notice]  # once, not once per switch
    next(b for b in at.sidebar.button if b.label == "Reset all filters").click().run()
    assert not at.sidebar.warning


@pytest.mark.parametrize(
    ("count", "ends"),
    [(1, "Speaker: s0."), (DROPPED_NAMED, f"Speaker: s{DROPPED_NAMED - 1}."), (DROPPED_NAMED + 3, "; and 3 more.")],
)
def test_the_notice_of_dropped_values_names_ten_at_most(count, ends):
    notice = dropped_notice([f"Speaker: s{i}" for i in range(count)])
    assert notice.startswith("Not in this dataset, so left out of the filters: Speaker: s0")
    assert notice.endswith(ends)
    assert notice.count("Speaker: ") == min(count, DROPPED_NAMED)


def test_map_my_columns_imports_the_analysts_sheet_and_every_page_explores_it(monkeypatch):
    at = start(monkeypatch, DATA_DIR, page="pages/data.py")
    upload(at, ("statements.xlsx", analyst_workbook(), XLSX))
    chosen = {s.label.removesuffix(" (required)"): s.value for s in at.selectbox if s.key and "_col_" in s.key}
    assert {k: v for k, v in chosen.items() if v} == {
        "date": "Date",
        "speaker": "Who",
        "speaker_country": "Country",
        "quote": "Statement",
        "url": "Link",
        "source": "Source",
    }
    assert any("validates clean" in plain(s.value) for s in at.success)
    assert {"Dataset as zip", "The mapping (JSON)"} <= {b.label for b in at.get("download_button")}
    assert [b.label for b in at.get("download_button") if not b.proto.ignore_rerun] == []  # a download reruns nothing
    at.button(key=next(b.key for b in at.button if b.label == "Explore it in every page")).click().run()
    for page in ("pages/overview.py", "pages/timeline.py", "pages/claims.py"):
        at.switch_page(page).run()
        assert not at.exception
        assert next(c.value for c in at.caption if "statements" in c.value).startswith(f"All {ROWS} statements")


def test_map_my_columns_asks_for_the_date_order_and_the_sheet(monkeypatch):
    rows = analyst_rows()
    rows[3]["Date"] = "03/04/2024"
    sheet = [ANALYST_HEADER, *[[r[h] for h in ANALYST_HEADER] for r in rows]]
    workbook = workbook_bytes({"notes": [["read me", "first"]], "2024": sheet})
    at = start(monkeypatch, DATA_DIR, page="pages/data.py")
    upload(at, ("my list.xlsx", workbook, XLSX))
    picker = next(s for s in at.selectbox if s.label == "Sheet")
    assert picker.value is None  # several sheets: the choice is the analyst's, never the first one
    picker.set_value("2024").run()
    order = next(r for r in at.radio if "03/04/2024" in plain(r.label))
    assert order.value is None
    assert any("1 question(s)" in plain(w.value) for w in at.warning)
    order.set_value("dayfirst").run()
    assert not at.exception
    assert any("validates clean" in plain(s.value) for s in at.success)


def test_map_my_columns_accepts_a_csv_with_a_saved_mapping(monkeypatch):
    header = ["When", "Nation", "Said"]
    data = csv_text(header, [{"When": "June 2024", "Nation": "Korea", "Said": "x"}]).encode()
    mapping = b'{"columns": {"date": "When", "speaker_country": "Nation", "quote": "Said"}, "countries": {"Korea": "KOR"}}'
    at = start(monkeypatch, DATA_DIR, page="pages/data.py")
    upload(at, ("june.csv", data, "text/csv"), ("import-mapping.json", mapping, "application/json"))
    assert any("validates clean" in plain(s.value) for s in at.success)


def test_a_workbook_with_a_wrong_sheet_layout_is_reported_not_raised(monkeypatch):
    at = start(monkeypatch, DATA_DIR, page="pages/data.py")
    upload(at, ("claims.xlsx", workbook_bytes({"a": claims_rows(), "b": claims_rows()}), XLSX))
    report = next(d.value for d in at.dataframe if "report" in d.value.columns)
    assert next(iter(report["report"])).startswith("claims.xlsx:1:-: the workbook has 2 sheets")
    upload(at, ("notes.xlsx", b"not a workbook", XLSX))
    assert any("not an .xlsx workbook" in plain(e.value) for e in at.error)
