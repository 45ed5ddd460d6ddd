"""Country relations: who speaks about whom with which stance, as a network, a matrix and a map; one country's
neighbourhood; the curated relations of relations.csv. Each is a tab (``chart`` in the URL), and only the open one runs."""

from pathlib import Path

import pandas as pd
import streamlit as st

from claimscope.figures.network import curated_figure, map_figure, matrix_figure, network_figure
from claimscope.ingest.dataset import country_names, short_country_names
from claimscope.queries.relations import MAX_PAIRS, pair_count, pair_statements, pairs_with_lines
from claimscope.views.links import actor_urls
from claimscope.views.relations import (
    bundle_pairs,
    centrality,
    curated_relations,
    hops_from,
    layout,
    neighbourhood,
    node_table,
    pair_from_selection,
    pair_matrix,
    top_pairs,
    with_coordinates,
)
from ui.links import speaker_column
from ui.notices import gap_note
from ui.view import built_when_opened, current_view, empty_state, filter_summary, plotly_chart, tabs_built_when_open, text

#: plotly.js fetches ``<topojsonURL>world_110m.json``; static/ is served at app/static/ (relative: works under a base path)
TOPOJSON_URL = "app/static/topojson/"
TOPOJSON_FILE = Path(__file__).resolve().parent.parent / "static" / "topojson" / "world_110m.json"
DEFAULT_EDGES = 60
MAX_CURATED = 150
MATRIX_SIZE = 30
#: the focus tab's widgets, whose choices are kept while another tab is open
FOCUS_KEYS = ("relations_focus", "relations_steps")


def filter_to_pair(chart_key: str) -> None:
    """A chart selection (edge handle or matrix cell): filter every page to that pair (runs before the sidebar)."""
    pair = pair_from_selection(st.session_state.get(chart_key))
    if pair:
        set_pair_filters(pair)


def set_pair_filters(pair: tuple[str, str]) -> None:
    st.session_state["filter_country"] = [pair[0]]
    st.session_state["filter_about"] = [pair[1]]
    st.session_state["relations_pair_picker"] = tuple(pair)


MAX_TABLE_ROWS = 2000


def table_of(frame: pd.DataFrame) -> None:
    """A table of pairs, bounded: at most MAX_TABLE_ROWS rows (a pair's statements are listed below the tabs)."""
    if len(frame) > MAX_TABLE_ROWS:
        st.caption(f"The {MAX_TABLE_ROWS:,} heaviest of {len(frame):,} rows.")
    st.dataframe(frame.head(MAX_TABLE_ROWS), hide_index=True)


def focus_tables(reach: pd.DataFrame, local: pd.DataFrame) -> None:
    """The focus country's neighbours within the chosen steps, then the pairs among them."""
    st.dataframe(reach, hide_index=True)
    table_of(local)


view = current_view()
st.title("Country relations")
filter_summary(view)
if empty_state(view):
    st.stop()

names = country_names(view.dataset.countries)
pairs, latest = pairs_with_lines(view.scope, MAX_PAIRS)  # latest: the hover line of each pair's latest statement
between = pairs.loc[pairs["from"] != pairs["to"]] if not pairs.empty else pairs
curated_all = curated_relations(view.dataset.relations)
st.caption(
    "A pair is a speaker country and a country its statement is about: one statement about three countries makes three pairs. "
    "Statements without a speaker country (the source's own analysis) make none."
)
no_pairs = gap_note(
    view.dataset,
    "about",
    "No pair of countries to draw: the network, the matrix and the map link a speaker's country to the countries "
    "its statement is about",
)
if no_pairs and curated_all.empty:
    st.stop()
if pairs.empty and not no_pairs:
    st.info("None of these statements has both a speaker country and a country it is about.", icon="ℹ️")
if len(pairs) >= MAX_PAIRS:
    st.caption(f"The {len(pairs):,} heaviest of {pair_count(view.scope):,} pairs; filter to see the others.")
gap_note(view.dataset, "stance", "Edges cannot be coloured by stance (each is drawn as unlabelled)")

left, right = st.columns([2, 4])
edge_limit = DEFAULT_EDGES
if len(between) > 10:
    edge_limit = left.slider(
        "Edges shown (the heaviest)",
        min_value=5,
        max_value=min(len(between), 300),
        value=min(DEFAULT_EDGES, len(between)),
        key="relations_edges",
    )
shown = top_pairs(pairs, edge_limit)
if len(between) > len(shown):
    right.caption(f"Showing the {len(shown)} heaviest of {len(between)} pairs between different countries.")


def network_tab() -> None:
    """The statement network of the heaviest pairs."""
    nodes = node_table(shown, None, view.dataset.countries)
    weights = dict(zip(nodes["code"], nodes["made"] + nodes["received"], strict=True))
    positions = layout(list(zip(shown["from"], shown["to"], strict=True)), list(nodes["code"]), weights=weights)
    shorts = short_country_names(view.dataset.countries)
    st.caption(
        "One line per pair of countries, both directions together: width = statements, colour, dash and symbol = the "
        "prevailing stance; an arrowhead at each end that statements point to (from the speaker country to the country "
        "spoken about). Hover a symbol for the pair's counts per stance and its latest statement; click it to filter "
        "every page to that direction. The busiest countries sit in the middle, the others around them."
    )
    plotly_chart(
        network_figure(shown, positions, nodes, names=names, short_names=shorts, latest=latest),
        on_select=lambda: filter_to_pair("relations_network"),
        selection_mode="points",
        key="relations_network",
        alt=(
            f"Network of {len(nodes)} countries and groups with {len(bundle_pairs(shown))} lines between them "
            f"({len(shown)} speaker → subject directions); line width by statements, colour, dash and symbol by "
            "prevailing stance, node size by statements, node shape by kind (country, group, organisation)."
        ),
    )
    built_when_opened("Show as table", "network_table", table_of, shown)


def matrix_tab() -> None:
    """Speaker countries by countries spoken about: statements and net stance per cell."""
    counts, net, total_rows, total_cols = pair_matrix(pairs, MATRIX_SIZE)
    st.caption(
        "Rows: speaker countries; columns: countries spoken about (the diagonal is a country speaking about itself). "
        "Number = statements; colour and sign = net stance (support − oppose − concern) ÷ statements. Click a cell to filter to it."
    )
    plotly_chart(
        matrix_figure(counts, net, names=names, total_rows=total_rows, total_cols=total_cols),
        on_select=lambda: filter_to_pair("relations_matrix"),
        selection_mode="points",
        key="relations_matrix",
        alt=f"Heatmap of {counts.shape[0]} speaker countries by {counts.shape[1]} countries spoken about: count and net stance per cell.",
    )
    built_when_opened("Show as table", "matrix_table", table_of, pairs)


def map_tab() -> None:
    """The heaviest pairs as lines between capitals, on the offline base map."""
    located, left_out = with_coordinates(shown, view.dataset.countries)
    if not TOPOJSON_FILE.is_file():
        st.warning("The offline base map (static/topojson/world_110m.json) is missing: the map shows no land.", icon="⚠️")
    plotly_chart(
        map_figure(located, names=names, left_out=left_out),
        key="relations_map",
        on_select=lambda: filter_to_pair("relations_map"),
        selection_mode="points",
        config={"topojsonURL": TOPOJSON_URL},
        alt=f"World map: {len(located.loc[located['from'] != located['to']]) if len(located) else 0} statement edges between capitals, colour and dash by prevailing stance.",
    )
    if left_out:
        text(
            "Left out of the map (no capital coordinates in countries.csv, e.g. groups of countries): "
            + ", ".join(f"{names.get(c, c)} ({c})" if names.get(c, c) != c else c for c in left_out)
            + "."
        )
    built_when_opened("Show as table", "map_table", table_of, located)


def focus_tab() -> None:
    """One country's neighbourhood, the most active pairs and each country's graph measures."""
    graph_nodes = centrality(pairs, names)
    if graph_nodes.empty:
        st.caption("No country to focus on.")
    else:
        codes = list(graph_nodes["code"])
        fl, fr = st.columns([3, 2])
        focus = fl.selectbox(
            "Country, group or organisation",
            options=codes,
            format_func=lambda c: f"{names.get(c, c)} ({c})" if names.get(c, c) != c else c,
            key="relations_focus",
        )
        steps = fr.slider(
            "Steps out", min_value=1, max_value=4, key="relations_steps"
        )  # no value: its state is kept (FOCUS_KEYS)
        local = top_pairs(neighbourhood(pairs, focus, steps), edge_limit)
        local_nodes = node_table(local, None, view.dataset.countries)
        if focus not in set(local_nodes["code"]):
            local_nodes = pd.concat(
                [local_nodes, node_table(pairs.loc[pairs["from"] == focus], None, view.dataset.countries).head(1)]
            )
        hops = hops_from(pairs, focus)
        plotly_chart(
            network_figure(
                local,
                layout(
                    list(zip(local["from"], local["to"], strict=True)),
                    list(local_nodes["code"]),
                    weights=dict(zip(local_nodes["code"], local_nodes["made"] + local_nodes["received"], strict=True)),
                ),
                local_nodes,
                names=names,
                short_names=short_country_names(view.dataset.countries),
                latest=latest,
                focus=focus,
            ),
            on_select=lambda: filter_to_pair("relations_focus_chart"),
            selection_mode="points",
            key="relations_focus_chart",
            alt=f"Network of the countries within {steps} step(s) of {focus}, the focus highlighted in yellow.",
        )
        reach = pd.DataFrame(
            [
                {"code": c, "name": names.get(c, c), "steps": n}
                for c, n in sorted(hops.items(), key=lambda i: (i[1], i[0]))
                if n <= steps
            ]
        )
        built_when_opened("Show as table", "focus_table", focus_tables, reach, local)

    st.markdown("**Most active pairs**")
    table_of(top_pairs(pairs, 20, include_self=True))
    st.markdown("**Each country's degree and betweenness** (statement network, self-pairs left out)")
    st.dataframe(graph_nodes, hide_index=True)


def curated_tab() -> None:
    """The curated relations of relations.csv (alliances, sanctions, conflicts … with their dates) as a network of their
    own, placed with the statement network's heaviest pairs so that the two read alike."""
    if curated_all.empty:
        st.info("The dataset's relations.csv holds no curated relation between countries.", icon="ℹ️")
        return
    curated = curated_all
    nodes = node_table(shown, None, view.dataset.countries)
    if len(curated) > MAX_CURATED:
        drawn_codes = set(nodes["code"])
        curated = curated.loc[curated["from"].isin(drawn_codes) & curated["to"].isin(drawn_codes)].head(MAX_CURATED)
        st.caption(f"The {len(curated)} curated relations among the countries of the statement network (of {len(curated_all)}).")
    st.caption("relations.csv: alliances, sanctions, conflicts … between countries, with their dates; a symbol per kind.")
    curated_nodes = node_table(shown, curated, view.dataset.countries)
    curated_positions = layout(
        list(zip(shown["from"], shown["to"], strict=True)) + list(zip(curated["from"], curated["to"], strict=True)),
        list(curated_nodes["code"]),
        weights=dict(zip(curated_nodes["code"], curated_nodes["made"] + curated_nodes["received"], strict=True)),
    )
    plotly_chart(
        curated_figure(
            curated, curated_positions, curated_nodes, names=names, short_names=short_country_names(view.dataset.countries)
        ),
        key="relations_curated_chart",
        alt=f"Network of the {len(curated)} curated relations between countries, a symbol per kind of relation.",
    )
    built_when_opened("Show as table", "network_curated_table", st.dataframe, curated, hide_index=True)


# Only the open tab runs (``bind``: the tabs track their state, kept in the URL as ``chart``): the other tabs' figures,
# tables and graph measures are built when the reader opens them, not sent to the browser with every visit.
RELATIONS_TABS = {
    "Network": network_tab,
    "Matrix": matrix_tab,
    "Map": map_tab,
    "Focus on one country": focus_tab,
    "Curated relations": curated_tab,
}
tabs_built_when_open(RELATIONS_TABS, key="chart", keep=FOCUS_KEYS)  # the focus tab's choices outlive another tab's visit


def pair_statements_section(pairs: pd.DataFrame) -> None:
    """The statements behind one pair of the filtered statements (the heaviest first), with a button that filters
    every page to it. Built only while its expander is open: its list of pairs and its table of up to MAX_TABLE_ROWS
    statements took half a second of a link's drawing at a million claims."""
    if pairs.empty:
        st.caption("No pair to list.")
        return
    options = [(f, t) for f, t in zip(pairs["from"], pairs["to"], strict=True)][:500]
    if st.session_state.get("relations_pair_picker") not in options:
        st.session_state.pop("relations_pair_picker", None)
    counts_by_pair = dict(zip(options, pairs["statements"], strict=False))
    pair = st.selectbox(
        "Pair (speaker country → about)",
        options=options,
        format_func=lambda p: f"{p[0]} → {p[1]} ({counts_by_pair.get(p, 0)})",
        key="relations_pair_picker",
    )
    statements = int(pairs.loc[(pairs["from"] == pair[0]) & (pairs["to"] == pair[1]), "statements"].iloc[0])
    shown_rows = pair_statements(view.scope, pair, MAX_TABLE_ROWS)
    if statements > MAX_TABLE_ROWS:
        st.caption(
            f"The first {MAX_TABLE_ROWS:,} of {statements:,} statements; filter to the pair to see them all on the Claims page."
        )
    st.dataframe(
        shown_rows.assign(speaker=actor_urls(shown_rows["speaker"], view.filters)),
        hide_index=True,
        column_config={
            "about": st.column_config.ListColumn("about"),
            "summary": st.column_config.TextColumn("summary", width="large"),
            "speaker": speaker_column(),
        },
    )
    if st.button(
        "Filter every page to this pair",
        on_click=set_pair_filters,
        args=(tuple(pair),),
        icon=":material/filter_alt:",
        key="relations_filter_pair",
    ):
        st.rerun()  # a click reruns only this section's fragment: the whole page must follow the filters it set


# below the tabs, for any tab; a click on a network edge or a matrix cell filters to its pair without opening it
built_when_opened("Statements behind a pair", "relations_pair_section", pair_statements_section, pairs)
