"""The Data page's "map my columns" step: an analyst's own sheet made into a dataset, every choice confirmed.

The logic is :mod:`claimscope.ingest.importer` (the same as ``python -m claimscope import``); this module only
draws the choices (the sheet, which column holds which field, the answers to its questions) and keeps
them in ``st.session_state``, keyed by the file, so that another file starts afresh.
"""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from claimscope.ingest.importer import (
    MAPPING_FILE,
    SOURCE_NAME,
    TARGET_HELP,
    TARGETS,
    ImportResult,
    Mapping,
    convert,
    dataset_zip,
    read_sheet,
    suggested_mapping,
)
from claimscope.ingest.places import places
from claimscope.ingest.sheets import XLSX_SUFFIX, WorkbookError, sheet_names
from claimscope.ingest.writtendates import DAY_FIRST, MONTH_FIRST
from claimscope.schema import CLAIMS
from claimscope.text import escape_markdown
from ui.state import UPLOADED_KEY, USE_UPLOAD_KEY

REQUIRED = ("date", "speaker_country", "quote")
IMPORTED_KEY = "_imported"


def _problem_table(problems) -> None:
    st.dataframe(
        pd.DataFrame([{"report": str(p), "row": p.line, "column": p.column, "message": p.message} for p in problems]),
        hide_index=True,
    )


def map_columns_step(sheets: list[tuple[str, bytes]], saved: bytes | None) -> None:
    """Draw the step for the uploaded lists; the dataset it makes can be explored and downloaded."""
    st.subheader("Map my columns", anchor=False)
    st.caption(
        "Your own list (CSV or .xlsx, with your own headers, country names and written dates) becomes a dataset in the "
        "contract's shape. Check the suggestions: every choice is yours, and the mapping can be downloaded so that "
        "the next version of the sheet imports the same way (also with `python -m claimscope import`)."
    )
    names = [name for name, _ in sheets]
    name = names[0] if len(names) == 1 else st.selectbox("The list to map", names, key="map_file")
    data = dict(sheets)[name]
    signature = hashlib.sha1(name.encode() + data).hexdigest()[:12]
    key = f"map_{signature}"
    saved_mapping = None
    if saved is not None:
        saved_mapping, problems = Mapping.from_json(saved.decode("utf-8", errors="replace"))
        if problems:
            st.error(f"{MAPPING_FILE} cannot be used as it is:", icon="❗")
            _problem_table(problems)
        else:
            st.caption(f"Starting from the uploaded {MAPPING_FILE}.")

    sheet = None
    if name.lower().endswith(XLSX_SUFFIX):
        try:
            available = sheet_names(data)
        except WorkbookError as exc:
            st.error(escape_markdown(f"{name}: {exc}"), icon="❗")
            return
        if len(available) > 1:
            remembered = saved_mapping.sheet if saved_mapping and saved_mapping.sheet in available else None
            sheet = st.selectbox(
                "Sheet",
                available,
                index=available.index(remembered) if remembered else None,
                placeholder="This workbook has several sheets: choose the one to read",
                key=f"{key}_sheet",
            )
            if sheet is None:
                return
    table = read_sheet(name, data, sheet=sheet, header_row=saved_mapping.header_row if saved_mapping else None)
    if not table.header:
        st.error("The file cannot be read:", icon="❗")
        _problem_table([table.in_own_terms(p) for p in table.problems])
        return
    where = f" of sheet {table.sheet!r}" if table.sheet else ""
    st.caption(
        escape_markdown(f"{name}{where}: header on row {table.header_line}, {len(table.rows):,} rows below it. The first rows:")
    )
    st.dataframe(table.rows.head(5), hide_index=True)

    start, conflicts = suggested_mapping(table, saved_mapping)
    st.markdown("**Which column holds what** (suggested from the headers; change any)")
    options = ["", *table.header]

    def label(header: str) -> str:
        if not header:
            return "— none —"
        return f"{header} ({table.letters[header]})" if header in table.letters else header

    columns: dict[str, str] = {}
    grid = st.columns(3)
    for i, target in enumerate(TARGETS):
        default = start.columns.get(target, "")
        chosen = grid[i % 3].selectbox(
            target + (" (required)" if target in REQUIRED else ""),
            options,
            index=options.index(default) if default in options else 0,
            format_func=label,
            key=f"{key}_col_{target}",
            help=TARGET_HELP[target],
        )
        if chosen:
            columns[target] = chosen
    for target, headers in conflicts.items():
        if target not in columns:
            st.warning(escape_markdown(f"{', '.join(headers)} could each hold the {target}: choose one above."), icon="❓")
    taken = pd.Series(list(columns.values()))
    for header in taken[taken.duplicated()].unique():
        st.warning(escape_markdown(f"The column {header!r} is chosen for more than one field."), icon="❓")
    kind = start.kind
    if "kind" not in columns:
        kind = st.radio(
            "No column holds the kind: every statement is a",
            CLAIMS.field("kind").values,
            index=CLAIMS.field("kind").values.index(start.kind),
            horizontal=True,
            key=f"{key}_kind",
        )
    mapping = Mapping(
        columns=columns,
        sheet=table.sheet or None,
        header_row=start.header_row,
        date_order=start.date_order,
        kind=kind,
        countries=dict(start.countries),
        values={k: dict(v) for k, v in start.values.items()},
        id_prefix=start.id_prefix,
    )
    result = _convert(table, mapping, key)
    if result.ambiguous_dates or mapping.date_order:
        order = st.radio(
            escape_markdown(f"Dates such as {(result.ambiguous_dates or ['03/04/2024'])[0]} in this sheet are"),
            [DAY_FIRST, MONTH_FIRST],
            index=[DAY_FIRST, MONTH_FIRST].index(mapping.date_order) if mapping.date_order else None,
            format_func={DAY_FIRST: "day first (03/04/2024 is 3 April)", MONTH_FIRST: "month first (03/04/2024 is March 4)"}.get,
            horizontal=True,
            key=f"{key}_order",
        )
        if order != mapping.date_order:
            mapping.date_order = order
            result = _convert(table, mapping, key)
    if result.unresolved_places:
        mapping.countries.update(_place_answers(result, key))
    if result.unknown_values:
        for field_name, answers in _value_answers(result, key).items():
            mapping.values.setdefault(field_name, {}).update(answers)
    if result.unresolved_places or result.unknown_values:
        result = _convert(table, mapping, key)
    _outcome(result, name, key)


def _convert(table, mapping: Mapping, key: str) -> ImportResult:
    """convert(), once per mapping (the page reruns on every click)."""
    cache_key = (key, mapping.to_json())
    cached = st.session_state.get(IMPORTED_KEY)
    if cached is not None and cached[0] == cache_key:
        return cached[1]
    result = convert(table, mapping, settle_unanswered=True)
    st.session_state[IMPORTED_KEY] = (cache_key, result)
    return result


def _place_answers(result: ImportResult, key: str) -> dict[str, str]:
    st.markdown("**Names claimscope cannot place**: give each one's code (ISO alpha-3, a built-in group, or your own)")
    known = places()
    names = dict(zip(known["code"], known["name"], strict=True))
    rows = pd.DataFrame(
        {
            "as written": list(result.unresolved_places),
            "could be": [", ".join(f"{c} ({names.get(c, c)})" for c in cands) for cands in result.unresolved_places.values()],
            "code": ["" for _ in result.unresolved_places],
        }
    )
    edited = st.data_editor(
        rows,
        hide_index=True,
        disabled=["as written", "could be"],
        column_config={"code": st.column_config.TextColumn("code", validate=r"^[A-Z][A-Z0-9_]{1,15}$")},
        key=f"{key}_places",
    )
    return {str(a): str(c).strip() for a, c in zip(edited["as written"], edited["code"], strict=True) if str(c or "").strip()}


def _value_answers(result: ImportResult, key: str) -> dict[str, dict[str, str]]:
    answers: dict[str, dict[str, str]] = {}
    for field_name, typed in result.unknown_values.items():
        allowed = list(CLAIMS.field(field_name).values)
        st.markdown(escape_markdown(f"**Values of {field_name} that are not {', '.join(allowed)}**: say which each one is"))
        edited = st.data_editor(
            pd.DataFrame({"as written": typed, "value": [None for _ in typed]}),
            hide_index=True,
            disabled=["as written"],
            column_config={"value": st.column_config.SelectboxColumn("value", options=allowed)},
            key=f"{key}_values_{field_name}",
        )
        answers[field_name] = {str(a): str(v) for a, v in zip(edited["as written"], edited["value"], strict=True) if v}
    return answers


def _outcome(result: ImportResult, name: str, key: str) -> None:
    for note in result.notes:
        st.caption(escape_markdown(note))
    if result.problems:
        st.warning(
            escape_markdown(
                f"{len(result.problems)} question(s) or problem(s) remain. Answer them above, or fix the sheet: the rows "
                "in question would be set aside (listed, and downloadable from the validation report)."
            ),
            icon="❓",
        )
        _problem_table(result.problems)
    if result.dataset is None:
        return
    dataset = result.dataset
    st.success(
        escape_markdown(
            f"{result.rows:,} rows → {len(dataset.claims):,} statements in the contract's shape"
            + (
                f", {sum(r.rows_rejected for r in dataset.reports.values()):,} set aside."
                if not dataset.is_valid
                else "; it validates clean."
            )
        ),
        icon="✅",
    )
    left, middle, right = st.columns(3)
    explore_button(dataset, f"{key}_use", left)
    stem = name.rsplit(".", 1)[0]
    middle.download_button(
        "Dataset as zip",
        dataset_zip(result),
        file_name=f"{stem}-dataset.zip",
        mime="application/zip",
        icon=":material/folder_zip:",
        key=f"{key}_zip",
        on_click="ignore",
        help=f"Loads directly next time (Bring your own data); the mapping is inside it as {MAPPING_FILE}.",
    )
    right.download_button(
        "The mapping (JSON)",
        result.mapping.to_json().encode("utf-8"),
        file_name=MAPPING_FILE,
        mime="application/json",
        icon=":material/download:",
        key=f"{key}_mapping",
        on_click="ignore",
        help="Upload it with next month's sheet, or pass it to `python -m claimscope import --mapping`.",
    )
    if SOURCE_NAME in result.mapping.columns:
        st.caption("Each distinct source became a row of sources.csv.")


def explore_button(dataset, key: str, container=st) -> None:
    """A button that makes every page show ``dataset`` (the sidebar's toggle switches back to the curated data)."""
    container.button(
        "Explore it in every page",
        key=key,
        icon=":material/travel_explore:",
        type="primary",
        on_click=_explore,
        args=(dataset,),
        help="Every page shows this dataset instead of the curated one; the sidebar's toggle switches back.",
    )


def _explore(dataset) -> None:
    # a callback runs before the script, so the sidebar's toggle (same key) can still be set
    st.session_state[UPLOADED_KEY] = dataset
    st.session_state[USE_UPLOAD_KEY] = True
