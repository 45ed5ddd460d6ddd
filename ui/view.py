"""What a page needs to render: the dataset, the filters and the filtered claims of this run."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property

import plotly.graph_objects as go
import plotly.io
import streamlit as st

from claimscope.engine.connection import Engine
from claimscope.figures.browser import browser_figure
from claimscope.filters import FILTER_PARAMS, Filters
from claimscope.ingest.dataset import Dataset
from claimscope.queries import Scope
from claimscope.queries.options import loosen_counts
from claimscope.text import escape_markdown
from ui.state import FOLDED_FILTERS, MORE_FILTERS_KEY

VIEW_KEY = "_view"
#: how the tables of shares show them (a fraction as a percentage)
SHARE_COLUMNS = {"share": st.column_config.NumberColumn(format="percent")}
LEGACY_ESCAPED_KEY = "_escaped_legacy_pages_mode"
# plotly.py gives every figure it builds its default template, Streamlit's chart element included when it is handed a
# figure's JSON: claimscope's charts carry their theme in their own layout (claimscope.figures.browser), and a
# template would make plotly.js redraw every mark a second time
plotly.io.templates.default = None


@dataclass(frozen=True)
class View:
    """One script run's view: the dataset, its engine and the filters; pages ask :attr:`scope` for their data."""

    dataset: Dataset
    filters: Filters
    engine: Engine

    @cached_property
    def scope(self) -> Scope:
        """The page queries' handle: this dataset's engine under this run's filters."""
        return Scope(self.engine, self.filters)


def current_view() -> View:
    """The view the entrypoint computed for this run; each page takes it once.

    The entrypoint always runs before the page in a real session. Streamlit's AppTest reruns only
    the page after the first run; then the page builds the view (and the sidebar) itself, so tests
    exercise the same code path.
    """
    view = st.session_state.pop(VIEW_KEY, None)
    if view is None and not st.session_state.get(LEGACY_ESCAPED_KEY):
        # The page ran without the entrypoint. On a cold server, Streamlit's legacy pages/ mode runs
        # a deep-linked page script directly (with a nav of file names) until st.navigation is called
        # once; calling it here switches the server to st.navigation, and the rerun runs app.py.
        st.session_state[LEGACY_ESCAPED_KEY] = True
        from ui.navigation import app_pages

        st.navigation(app_pages(), position="hidden")
        st.rerun()
    if view is None:
        from ui.sidebar import build_view

        view = build_view()
        if view is None:
            st.stop()
        st.session_state.pop(VIEW_KEY, None)
    return view


def text(value: object, container=st) -> None:
    """Show untrusted text literally (escaped markdown: no links, images, maths or HTML)."""
    container.markdown(escape_markdown(str(value)))


def filter_summary(view: View) -> None:
    """One line that says how many statements the filters keep, and which filters are active."""
    total = view.scope.total
    shown = view.scope.matched
    lines = view.filters.describe()
    claims_report = view.dataset.reports.get("claims.csv")
    aside = claims_report.rows_rejected if claims_report is not None else 0
    # the rows validation set aside are never counted as part of the whole
    accepted = " accepted" if aside else ""
    aside_note = f"; {aside:,} more rows were set aside by validation (see the notice above)" if aside else ""
    if lines:
        st.caption(escape_markdown(f"{shown} of {total}{accepted} statements{aside_note} · " + " · ".join(lines)))
    else:
        st.caption(f"All {total}{accepted} statements (no filter){aside_note}.")


def empty_state(view: View) -> bool:
    """When nothing matches, say so and what to loosen. Returns True when the page should stop."""
    if view.scope.matched:
        return False
    if not view.scope.total:
        st.info("This dataset holds no statement yet. Add rows to claims.csv, or upload a dataset on the Data page.", icon="ℹ️")
        return True
    labels = {p.param: p.label for p in FILTER_PARAMS} | {"from": "From date", "to": "To date", "q": "Search text"}
    if not st.session_state.get(MORE_FILTERS_KEY):
        # the analyst is told where a filter that is not drawn can be cleared
        labels |= {param: f"{labels[param]} (under More filters)" for param in FOLDED_FILTERS}
    suggestions = [
        f"clear {labels.get(param, param)} → {count} statements" for param, count in loosen_counts(view.scope) if count
    ]
    message = "No statement matches these filters."
    if suggestions:
        message += " To see some, " + "; or ".join(suggestions[:3]) + "."
    st.warning(escape_markdown(message), icon="🔎")
    st.caption("Or use *Reset all filters* in the sidebar.")
    return True


def built_when_opened(label: str, key: str, build: Callable[..., object], /, *args: object, **kwargs: object) -> None:
    """An expander whose content the page builds only while it is open, in a fragment of its own: ``build(*args,
    **kwargs)`` draws the content.

    A closed expander's content is still sent and mounted by the browser: the tables behind "Show as table" and a
    source's full text took 0.3–0.7 s of the browser's main thread on a chart page at a million claims. Opening or
    closing one reruns only its fragment, which builds or drops the content; the page's charts stay as they are
    (the Timeline's latency table at 1M: 0.76 s to open as a rerun of the page, 0.44 s as a fragment,
    ``bench/table_toggle.py``). Its state is Streamlit's: a page that does not draw it (another page, an empty
    result) forgets it, and it comes back closed. The page's queries still ask for the rows the tables would show;
    only the elements wait.

    A click while a full run is still going waits for it, as any fragment's rerun does; should that run move the
    expander (an element drawn before it or not), the fragment's rerun finds nothing where it was and Streamlit skips
    it: the expander is then open but empty until the next rerun (closing and opening it again builds it).

    Pass the data as ``args``: a fragment's rerun calls ``build`` again with the arguments of the page's last run,
    whereas a page variable ``build`` read directly would hold what it held at the end of that run (a later
    section may have reused the name).
    """

    @st.fragment
    def section(*args: object, **kwargs: object) -> None:
        with st.expander(label, key=key, on_change="rerun") as box:
            if box.open:
                build(*args, **kwargs)

    section(*args, **kwargs)


def tabs_built_when_open(views: Mapping[str, Callable[[], object]], key: str, keep: tuple[str, ...] = ()) -> None:
    """Tabs labelled by ``views``' keys, bound to the URL parameter ``key`` (the open tab's label; the first tab, the
    default, is left out of the address), of which only the open one runs: its callable draws it.

    Why: a tab's content is otherwise built, sent and mounted whether or not it is shown, and each chart, table and
    join a link draws costs it (at a million claims, the secondary views of a page took 0.5–1.5 s of a link).
    Streamlit drops the state of widgets it does not draw: the widget keys in ``keep`` (created without a default
    value, their state being their value) outlive a visit to another tab.
    """
    for kept in keep:
        if kept in st.session_state:
            st.session_state[kept] = st.session_state[kept]
    for tab, draw in zip(st.tabs(list(views), key=key, bind="query-params"), views.values(), strict=True):
        if tab.open:
            with tab:
                draw()


def plotly_chart(figure: go.Figure, **kwargs: object) -> object:
    """``st.plotly_chart`` of ``figure`` as :func:`claimscope.figures.browser.browser_figure` sends it (the theme in
    its layout, drawn with ``theme=None``), so that Streamlit's second draw of the chart redraws nothing. Takes
    ``st.plotly_chart``'s keywords; a chart with ``on_select`` gets the selection modes in its layout."""
    selectable = kwargs.get("on_select", "ignore") != "ignore"
    # handed over as a Figure, not its JSON: Streamlit validates a dict again and refuses one without traces
    sent = go.Figure(browser_figure(figure, selectable=selectable))
    return st.plotly_chart(sent, theme=None, **kwargs)
