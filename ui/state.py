"""Streamlit glue shared by every page: the loaded dataset, and the sidebar filters kept in the URL.

The logic (parsing the URL, matching rows) lives in :mod:`claimscope.filters`; this module only
moves values between the URL, ``st.session_state`` and the widgets.
"""

from __future__ import annotations

import logging
import os
import threading
import time
import weakref
from collections.abc import Callable
from pathlib import Path

import streamlit as st

from claimscope.engine.connection import Engine
from claimscope.engine.serve import open_served, open_upload, serve_loaded
from claimscope.filters import (
    FILTER_PARAMS,
    PAGE_PARAM_NAMES,
    VIEW_PARAMS,
    FilterParam,
    Filters,
    parse_query_params,
)
from claimscope.ingest.dataset import Dataset, DatasetFolderError
from claimscope.queries import options as option_queries
from claimscope.text import escape_markdown, shorten

log = logging.getLogger("claimscope")
if not log.handlers:  # the console of `streamlit run`: Streamlit configures only its own loggers
    _handler = logging.StreamHandler()
    _handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
    log.addHandler(_handler)
    log.setLevel(logging.INFO)

DATA_DIR_VARIABLE = "CLAIMSCOPE_DATA_DIR"
DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent / "data"
UPLOADED_KEY = "uploaded_dataset"
UPLOADED_ENGINE_KEY = "_uploaded_engine"
USE_UPLOAD_KEY = "use_uploaded_dataset"
SEEDED_KEY = "_filters_seeded_from_url"
NOTICES_KEY = "_url_notices"
CLAIM_KEY = "selected_claim"
WIDGET_PREFIX = "filter_"
SETTING_PREFIX = "setting_"
AUTHORS_KEY = WIDGET_PREFIX + "authors"
KNOWN_CLAIM_KEY = "_known_claim"
#: the id last typed into a claim picker that is no statement's, until the page has said so
PICKER_MISSED_KEY = "_picker_missed"
#: the Claims page's table (its row selection opens a claim: :func:`open_claim`)
CLAIMS_TABLE_KEY = "claims_table"
#: the expander that folds the Claims page's list of matching statements while a claim is open
CLAIMS_LIST_KEY = "claims_list"
#: the filters the sidebar draws under "More filters", only while it is open. Streamlit builds every select widget
#: a page draws when it opens, some 30–50 ms of the browser's work each here, more with many options (docs/scale.md,
#: stops 28 and 29): these four refine a view, the others are what an analyst filters by first.
FOLDED_FILTERS: tuple[str, ...] = ("kind", "type", "attribution", "certainty")
#: the "More filters" expander's open state (opened on a session's first run when the URL sets a folded filter)
MORE_FILTERS_KEY = "sidebar_more_filters"
#: (the dataset's name, the notice) of the filter values the dataset shown did not have (ui.state.dropped_notice)
DROPPED_KEY = "_dropped_filter_values"


def data_dir() -> Path:
    return Path(os.environ.get(DATA_DIR_VARIABLE) or DEFAULT_DATA_DIR)


def _signature(folder: Path) -> tuple:
    """Changes when a file of the dataset changes, so that the cache reloads it."""
    try:
        return tuple(sorted((p.as_posix(), p.stat().st_mtime_ns, p.stat().st_size) for p in folder.rglob("*") if p.is_file()))
    except OSError:
        return ()


#: the served datasets, one per folder, shared by every session: (signature, dataset, engine)
_SERVED: dict[str, tuple[tuple, Dataset, Engine]] = {}
_SERVED_LOCK = threading.Lock()


def _served(folder: str, signature: tuple) -> tuple[Dataset, Engine]:
    """The folder's dataset and engine, opened once for every session (ingested first if the cache is not current).

    Not an ``st.cache_resource``: the first ingest of a large folder takes a while, and its progress
    (stage, rows so far) is shown in the page and logged on the console as it goes, which a cached
    function would replay on every later run. Sessions that arrive meanwhile wait for the same ingest.
    """
    hit = _SERVED.get(folder)
    if hit is not None and hit[0] == signature:
        return hit[1], hit[2]
    with _SERVED_LOCK:
        hit = _SERVED.get(folder)
        if hit is not None and hit[0] == signature:
            return hit[1], hit[2]
        with st.status("Preparing the dataset…", expanded=False) as status:
            dataset, engine = open_served(folder, progress=IngestProgress(status))
            status.update(label="Dataset ready", state="complete")
        status.empty()
        _SERVED[folder] = (signature, dataset, engine)
        # the engine of the folder's previous files is left to the sessions still using it (it closes when collected)
        return dataset, engine


class IngestProgress:
    """Reports an ingest's stages and rows so far in the page (a status box) and on the console."""

    def __init__(self, status) -> None:
        self.status = status
        self.started = time.perf_counter()

    def __call__(self, stage: str, rows: int | None) -> None:
        seconds = time.perf_counter() - self.started
        line = f"{stage}" + (f": {rows:,} rows" if rows is not None else "…")
        log.info("claimscope ingest [%6.1f s] %s", seconds, line)
        self.status.update(label=f"Preparing the dataset: {line} ({seconds:.0f} s)")


def _load_folder_cached(folder: str, signature: tuple) -> Dataset:
    return _served(folder, signature)[0]


def _engine_cached(folder: str, signature: tuple) -> Engine:
    return _served(folder, signature)[1]


@st.cache_resource(max_entries=8)
def _options_cached(folder: str, signature: tuple) -> dict:
    # one query over the dataset's shared engine, once per dataset for every session (never mutate the answer)
    return option_queries.filter_options(_engine_cached(folder, signature))


def curated_dataset() -> Dataset | None:
    """The dataset of the data folder (cached across sessions), or None with an error shown."""
    folder = data_dir()
    try:
        return _load_folder_cached(str(folder), _signature(folder))
    except DatasetFolderError as exc:
        st.error(f"The dataset folder cannot be read: {exc}", icon="🚫")
        return None


def active_dataset() -> Dataset | None:
    """The dataset every page shows: the curated one, or the analyst's upload when chosen."""
    uploaded = st.session_state.get(UPLOADED_KEY)
    if uploaded is not None and st.session_state.get(USE_UPLOAD_KEY):
        return uploaded
    return curated_dataset()


def load_upload(files: dict[str, bytes], max_file_bytes: int) -> Dataset:
    """Ingest an upload as a folder is ingested (progress in the page and on the console) into this session's
    own engine, and keep both in the session: every page then shows the upload as it shows the curated data."""
    with st.status("Reading the upload…", expanded=False) as status:
        dataset, engine = open_upload(files, max_file_bytes=max_file_bytes, progress=IngestProgress(status))
        status.update(label="Upload read", state="complete")
    status.empty()
    previous = st.session_state.get(UPLOADED_ENGINE_KEY)
    st.session_state[UPLOADED_KEY] = dataset
    st.session_state[UPLOADED_ENGINE_KEY] = (dataset, engine)
    st.session_state.pop("_uploaded_options", None)
    if previous is not None:
        previous[1].close()  # the session's previous upload: its folder goes with its engine
    return dataset


def active_engine(dataset: Dataset) -> Engine:
    """The engine the page queries run on: shared for the curated data, this session's own for an upload."""
    if dataset is st.session_state.get(UPLOADED_KEY):
        cached = st.session_state.get(UPLOADED_ENGINE_KEY)
        if cached is None or cached[0] is not dataset:
            cached = (dataset, serve_loaded(dataset))
            st.session_state[UPLOADED_ENGINE_KEY] = cached
        return cached[1]
    folder = data_dir()
    return _engine_cached(str(folder), _signature(folder))


def active_options(dataset: Dataset) -> dict:
    if dataset is st.session_state.get(UPLOADED_KEY):
        cached = st.session_state.get("_uploaded_options")
        if cached is None or cached[0] is not dataset:
            cached = (dataset, option_queries.filter_options(active_engine(dataset)))
            st.session_state["_uploaded_options"] = cached
        return cached[1]
    folder = data_dir()
    return _options_cached(str(folder), _signature(folder))


def known_claim(dataset: Dataset) -> Callable[[str], bool]:
    """Whether a claim id is in the dataset, for :func:`parse_query_params`: one engine lookup per id.

    The sidebar checks the selected claim on every run, so the last answer is kept in the session
    (per engine: the upload toggle changes the dataset under the same id).
    """
    engine = active_engine(dataset)

    def check(claim_id: str) -> bool:
        last = st.session_state.get(KNOWN_CLAIM_KEY)
        if last is not None and last[0]() is engine and last[1] == claim_id:
            return last[2]
        exists = option_queries.claim_exists(engine, claim_id)
        # a weak reference: the session must not keep an engine alive that the cache has let go of
        st.session_state[KNOWN_CLAIM_KEY] = (weakref.ref(engine), claim_id, exists)
        return exists

    return check


def _url_params() -> dict[str, list[str]]:
    return {key: st.query_params.get_all(key) for key in st.query_params.keys()}


def _widget_key(param: str) -> str:
    return WIDGET_PREFIX + param


def setting_key(param: str) -> str:
    """The session-state key of a view parameter (claimscope.filters.VIEW_PARAMS): a page's widget uses it as its key."""
    return SETTING_PREFIX + param


def seed_from_url(dataset: Dataset, options: dict) -> None:
    """On a session's first run, the URL decides every filter (a shared link opens the same view)."""
    if st.session_state.get(SEEDED_KEY):
        return
    filters, notices = parse_query_params(_url_params(), options, known_claim(dataset))
    for p in FILTER_PARAMS:
        st.session_state[_widget_key(p.param)] = list(filters.selected(p.param))
    st.session_state[_widget_key("from")] = filters.date_from
    st.session_state[_widget_key("to")] = filters.date_to
    st.session_state[_widget_key("q")] = filters.q
    st.session_state[AUTHORS_KEY] = filters.authors == "exclude"
    st.session_state[CLAIM_KEY] = filters.claim
    for p in VIEW_PARAMS:
        st.session_state[setting_key(p.param)] = filters.setting(p.param)
    st.session_state[NOTICES_KEY] = notices
    # a link that sets a folded filter shows it
    if any(filters.selected(param) for param in FOLDED_FILTERS):
        st.session_state[MORE_FILTERS_KEY] = True
    st.session_state[SEEDED_KEY] = True


def reset_filters() -> None:
    """Clear every filter and the selection (the sidebar's reset button)."""
    for p in FILTER_PARAMS:
        st.session_state[_widget_key(p.param)] = []
    for name in ("from", "to", "q"):
        st.session_state[_widget_key(name)] = ""
    st.session_state[AUTHORS_KEY] = False
    open_claim("")
    st.session_state[NOTICES_KEY] = []
    st.session_state.pop(DROPPED_KEY, None)


#: how many of the values a dataset change left out of the filters a notice names
DROPPED_NAMED = 10


def dropped_notice(dropped: list[str]) -> str:
    """The sidebar's notice for filter values the dataset now shown does not have (the upload toggle changed it)."""
    named = "; ".join(dropped[:DROPPED_NAMED])
    more = f"; and {len(dropped) - DROPPED_NAMED} more" if len(dropped) > DROPPED_NAMED else ""
    return f"Not in this dataset, so left out of the filters: {named}{more}."


def _filter_widget(container, p: FilterParam, counts: dict[str, int]) -> None:
    """The multiselect of one value filter, each value with how many statements have it."""
    container.multiselect(
        p.label,
        options=list(counts),
        format_func=lambda value: f"{value} ({counts.get(value, 0)})",
        key=_widget_key(p.param),
        help=f"{p.help} URL parameter: `{p.param}`. The number is how many statements have the value.",
        placeholder="Any",
    )


def sidebar_filters(dataset: Dataset) -> tuple[Filters, list[str]]:
    """Draw the shared filters in the sidebar and return the view they select, plus its notices: the URL's values it
    ignored (dates among them) and the chosen values the dataset shown does not have."""
    options = active_options(dataset)
    seed_from_url(dataset, options)
    sidebar = st.sidebar
    sidebar.header("Filters")
    counts = {p.param: dict(options.get(p.param, [])) for p in FILTER_PARAMS}
    dropped: list[str] = []
    for p in FILTER_PARAMS:
        key = _widget_key(p.param)
        kept = list(st.session_state.get(key, []))
        # keep only values this dataset has (the dataset may have changed under the selection); re-assigned on
        # every run, a folded filter's value outlives the runs that do not draw it
        st.session_state[key] = [v for v in kept if v in counts[p.param]]
        dropped += [f"{p.label}: {shorten(v)}" for v in kept if v not in counts[p.param]]
    if dropped:
        # a value never leaves silently: said while this dataset is shown, until the filters are reset
        st.session_state[DROPPED_KEY] = (dataset.name, dropped_notice(dropped))
    folded = [p for p in FILTER_PARAMS if p.param in FOLDED_FILTERS]
    for p in FILTER_PARAMS:
        if p.param not in FOLDED_FILTERS:
            _filter_widget(sidebar, p, counts[p.param])
    for name in ("from", "to", "q"):
        # re-assigning keeps the value when the page changes (Streamlit drops state of unrendered widgets)
        st.session_state[_widget_key(name)] = st.session_state.get(_widget_key(name), "")
    left, right = sidebar.columns(2)
    left.text_input("From", key=_widget_key("from"), placeholder="YYYY[-MM[-DD]]", help="URL parameter: `from`.")
    right.text_input("To", key=_widget_key("to"), placeholder="YYYY[-MM[-DD]]", help="URL parameter: `to`.")
    sidebar.text_input(
        "Search quotes and summaries",
        key=_widget_key("q"),
        help="Every word must occur; case and accents ignored. URL parameter: `q`.",
    )
    st.session_state[AUTHORS_KEY] = bool(st.session_state.get(AUTHORS_KEY, False))
    sidebar.toggle(
        "Leave out the source's own analysis",
        key=AUTHORS_KEY,
        help="The article's own analysis (statements of its author, or unattributed) is not a stakeholder: "
        "leave it out of every count and chart. URL parameter: `authors=exclude`.",
    )
    # re-assigned, as the toggle's state above: the expander stays as the analyst left it whichever script draws it
    st.session_state[MORE_FILTERS_KEY] = bool(st.session_state.get(MORE_FILTERS_KEY, False))
    with sidebar.expander("More filters", key=MORE_FILTERS_KEY, on_change="rerun") as more:
        if more.open:
            for p in folded:
                _filter_widget(more, p, counts[p.param])
    if not more.open:
        set_here = [p.label for p in folded if st.session_state.get(_widget_key(p.param))]
        if set_here:
            sidebar.caption("Set under More filters: " + ", ".join(set_here) + ".")
    sidebar.button("Reset all filters", on_click=reset_filters, width="stretch", icon=":material/restart_alt:")

    raw = {p.param: st.session_state.get(_widget_key(p.param), []) for p in FILTER_PARAMS}
    raw.update({name: st.session_state.get(_widget_key(name), "") for name in ("from", "to", "q")})
    raw["authors"] = "exclude" if st.session_state.get(AUTHORS_KEY) else ""
    raw["claim"] = st.session_state.get(CLAIM_KEY, "")
    for p in VIEW_PARAMS:
        # kept when the page that shows the widget is not rendered (Streamlit drops state of unrendered widgets)
        value = st.session_state.get(setting_key(p.param)) or p.default
        st.session_state[setting_key(p.param)] = value
        raw[p.param] = value
    filters, notices = parse_query_params(raw, options, known_claim(dataset))
    said = st.session_state.get(DROPPED_KEY)
    if said and said[0] == dataset.name:
        notices.append(said[1])
    write_url(filters)
    return filters, notices


def write_url(filters: Filters) -> None:
    """Make the address bar carry the view, so copying it shares exactly this view.

    Only the view's parameters are written, and the unknown ones removed. A page's own (``PAGE_PARAM_NAMES``: the
    open tab) belong to its tabs, bound to the URL: Streamlit refuses to have a bound parameter set through
    ``st.query_params`` (it raised on the first filter change with a tab open), and writes or drops it itself.
    """
    wanted = filters.to_query_params()
    current = _url_params()
    for key in [k for k in current if k not in wanted and k not in PAGE_PARAM_NAMES]:
        del st.query_params[key]
    changed = {k: v for k, v in wanted.items() if current.get(k) != v}
    if changed:
        st.query_params.update(changed)


def select_claim(claim_id: str) -> None:
    st.session_state[CLAIM_KEY] = claim_id


def open_claim(claim_id: str) -> None:
    """Open a claim from anywhere but the Claims table's rows (a picker, a chart's click, a button, the reset).

    The table keeps its own row selection, which the browser sends with every run and which the Claims page opens:
    it is forgotten here, or its row would open again over this claim (the table then marks the open claim, if it
    shows it).
    """
    select_claim(claim_id)
    st.session_state.pop(CLAIMS_TABLE_KEY, None)


def claim_picker(
    label: str,
    key: str,
    options: list[str],
    current: str,
    engine: Engine,
    *,
    format_func: Callable[[str], str],
    help: str,
    container=st,
    keep_open: str | None = None,
) -> None:
    """A select box that opens a claim: it lists ``options`` (ids; ``""`` for none) and takes any id typed into it.

    It shows ``current``, the claim the page shows, whichever way it was opened: set before it is drawn, since a
    select box that takes typed values keeps whatever it held last. A typed id is trimmed (blank input changes
    nothing); an id of no statement opens nothing, and the picker says so once, under it. ``engine`` is the one the
    page shows: the callback runs at the start of the next run, before the sidebar, on the same dataset.
    ``keep_open``: the key of an expander set open when a claim is opened from the picker: the Claims page folds its
    list (the picker with it) while a claim is open, unless the claim was opened from the list. It is set whether or
    not the picker was in the expander when it was used (with no claim open, the list is not folded).
    """
    st.session_state[key] = current if current in options else ""

    def picked() -> None:
        raw = str(st.session_state.get(key) or "")
        value = raw.strip()
        if raw and not value:
            return
        if value and not option_queries.claim_exists(engine, value):
            st.session_state[PICKER_MISSED_KEY] = value
            return
        open_claim(value)
        if keep_open and value:
            st.session_state[keep_open] = True

    container.selectbox(
        label, options=options, format_func=format_func, key=key, on_change=picked, accept_new_options=True, help=help
    )
    missed = st.session_state.pop(PICKER_MISSED_KEY, None)
    if missed:
        container.warning(escape_markdown(f"No statement has the id “{shorten(missed)}”: nothing was opened."), icon="⚠️")


def set_date_range(date_from: str, date_to: str) -> None:
    """Narrow every page to these dates (a chart click; runs before the sidebar draws its date fields)."""
    st.session_state[_widget_key("from")] = date_from
    st.session_state[_widget_key("to")] = date_to
