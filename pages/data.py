"""Data: the data dictionary, the validation report, sources, downloads, and bring-your-own-data."""

import pandas as pd
import streamlit as st

from claimscope.filters import FILTER_PARAMS, OTHER_PARAMS, PAGE_PARAMS, VIEW_PARAMS, Filters
from claimscope.ingest.dataset import MAX_FILE_BYTES, Dataset
from claimscope.ingest.places import builtin_table
from claimscope.ingest.upload import sort_uploads
from claimscope.queries import Scope
from claimscope.queries import export as exports
from claimscope.schema import CROSS_FILE_RULES, data_dictionary
from claimscope.views.export import rejected_csv
from ui.importer import explore_button, map_columns_step
from ui.notices import REPORT_TAB
from ui.state import UPLOADED_KEY, USE_UPLOAD_KEY, active_engine, load_upload
from ui.view import current_view, filter_summary, text

#: rows of an upload shown in its preview (the rest are a click away on every page)
PREVIEW_ROWS = 1_000

view = current_view()
st.title("Data")
text(f"{view.dataset.title} {view.dataset.version}".strip())
filter_summary(view)


def validation_report(dataset: Dataset, key: str) -> None:
    """Counts per file, every problem as file:line:column: message, and the rejected rows to download."""
    counts = pd.DataFrame(
        [
            {
                "file": r.file + (f" (sheet {r.sheet})" if r.sheet else ""),
                "present": r.present,
                "rows read": r.rows_read,
                "accepted": r.rows_accepted,
                "rejected": r.rows_rejected,
            }
            for r in dataset.reports.values()
        ]
    )
    st.dataframe(counts, hide_index=True)
    if dataset.is_valid:
        st.success("No problem: every row passed every check.", icon="✅")
        return
    st.error(f"{len(dataset.problems)} problem(s). Rows with a problem are set aside; the others are usable.", icon="❗")
    st.dataframe(
        pd.DataFrame(
            [
                {"report": str(p), "file": p.file, "line": p.line, "column": p.column, "message": p.message}
                for p in dataset.problems
            ]
        ),
        hide_index=True,
    )
    st.download_button(
        "Download the report (text)",
        "\n".join(str(p) for p in dataset.problems).encode("utf-8"),
        file_name="validation-report.txt",
        mime="text/plain",
        key=f"{key}_report",
        on_click="ignore",
    )
    for report in dataset.reports.values():
        if report.rows_rejected:
            st.download_button(
                f"Download the {report.rows_rejected} rejected row(s) of {report.file}",
                rejected_csv(report.rejected),
                file_name=f"rejected-{report.file.rsplit('.', 1)[0]}.csv",
                mime="text/csv",
                key=f"{key}_rejected_{report.file}",
                on_click="ignore",
            )


tab_download, tab_upload, tab_report, tab_sources, tab_dictionary = st.tabs(
    ["Download", "Bring your own data", REPORT_TAB, "Sources", "Data dictionary & URL"],
    key="tab",  # the URL parameter `tab` opens a tab by its label (the set-aside notice links to the report)
    bind="query-params",
)
with tab_download:
    # Each download is built when it is clicked (a callable for `data`), from the engine in batches, in
    # Streamlit's own thread; "ignore": the click does not run the page again.
    scope = view.scope
    st.markdown(f"**Filtered claims** ({scope.matched} statements)")
    left, right = st.columns(2)
    left.download_button(
        "Claims as CSV",
        lambda: exports.claims_csv(scope),
        file_name="claims-filtered.csv",
        mime="text/csv",
        icon=":material/download:",
        on_click="ignore",
    )
    right.download_button(
        "Claims as JSON",
        lambda: exports.claims_json(scope),
        file_name="claims-filtered.json",
        mime="application/json",
        icon=":material/download:",
        on_click="ignore",
    )
    st.caption(
        "CSV cells that a spreadsheet would run as a formula (starting with = + - @, tab or CR) get a leading apostrophe; claimscope removes it when the file is read again."
    )
    st.markdown("**The whole dataset**")
    present = [name for name, report in view.dataset.reports.items() if report.present]
    package = view.dataset.package
    st.download_button(
        "Dataset as zip",
        lambda: exports.dataset_zip(scope.engine, present, package),
        file_name="claimscope-dataset.zip",
        mime="application/zip",
        icon=":material/folder_zip:",
        on_click="ignore",
    )

with tab_upload:
    st.markdown(
        "Upload `claims.csv` or `claims.xlsx` (required) and any other files of the contract, or one zip of a dataset folder. "
        "Your files are checked like the curated data; the curated data is never changed. "
        "A list of your own (a CSV or .xlsx with other headers, country names, written dates) gets a *map my columns* step."
    )
    uploads = st.file_uploader(
        "Dataset files, or your own list", type=["csv", "xlsx", "json", "txt", "zip"], accept_multiple_files=True, key="uploads"
    )
    sorted_uploads = sort_uploads((u.name, u.getvalue()) for u in uploads or [])
    files = sorted_uploads.files
    for note in sorted_uploads.notes:
        text(f"⚠️ {note}")
    if sorted_uploads.to_map:
        map_columns_step(sorted_uploads.to_map, sorted_uploads.mapping)
    if files:
        signature = tuple((u.name, u.size) for u in uploads)
        if st.session_state.get("_upload_signature") != signature:
            load_upload(files, MAX_FILE_BYTES)
            st.session_state["_upload_signature"] = signature
        uploaded = st.session_state[UPLOADED_KEY]
        validation_report(uploaded, "upload")
        if st.session_state.get(USE_UPLOAD_KEY):
            st.caption("Every page shows this dataset; the sidebar's toggle switches back to the curated data.")
        else:
            explore_button(uploaded, "upload_explore")
        # the upload's own in-memory engine (the same queries as the curated data): its first rows, its count
        upload_engine = active_engine(uploaded)
        passed_count = upload_engine.count(upload_engine.claims)
        passed = Scope(upload_engine, Filters()).frame(upload_engine.claims.order_by("_line"), limit=PREVIEW_ROWS)
        st.markdown(f"**Rows that passed** ({passed_count} claims)")
        st.dataframe(passed.drop(columns=[c for c in passed if c.startswith("_") or c in ("index",)]), hide_index=True)
        if passed_count > PREVIEW_ROWS:
            st.caption(
                f"The first {PREVIEW_ROWS:,} of {passed_count:,} rows. Once you explore this dataset, the Claims page shows them all."
            )

with tab_report:
    validation_report(view.dataset, "active")

with tab_sources:
    sources = view.dataset.sources
    if sources.empty:
        st.caption("This dataset has no sources.csv.")
    else:
        shown = exports.sources_table(sources, exports.claims_per_source(view.scope), view.dataset.texts)
        st.dataframe(shown, hide_index=True, column_config={"url": st.column_config.LinkColumn("url")})

with tab_dictionary:
    st.markdown("**Columns of every file** (generated from the schema that validates them)")
    st.dataframe(pd.DataFrame(data_dictionary()), hide_index=True)
    st.markdown("**Rules across files**")
    for rule in CROSS_FILE_RULES:
        st.markdown(f"- {rule}")
    st.markdown("**The URL interface** (every view can be shared by copying the address)")
    url_rows = (
        [{"parameter": p.param, "filter": p.help} for p in FILTER_PARAMS]
        + [{"parameter": n, "filter": h} for n, h in (*OTHER_PARAMS, *PAGE_PARAMS)]
        + [{"parameter": p.param, "filter": f"{p.help} On {p.pages}; default `{p.default}`."} for p in VIEW_PARAMS]
    )
    st.dataframe(pd.DataFrame(url_rows), hide_index=True)
    st.caption(
        "Pages with a subject read it from the same parameters: the Actor profile (/actor) shows the first `speaker`; "
        "Compare (/compare) compares the `speaker` values, or, when there is none, the `country` values (two to four)."
    )
    st.markdown(
        "**Codes you need not define.** Every ISO 3166-1 alpha-3 code (current or withdrawn, e.g. `SUN`) and these groups "
        "and organisations are known without a countries.csv; a row of countries.csv with the same code overrides one "
        "(its members, name or seat) for this dataset."
    )
    st.dataframe(
        builtin_table(set(view.dataset.frames["countries"]["code"])),
        hide_index=True,
        column_config={"source": st.column_config.LinkColumn("source")},
    )
