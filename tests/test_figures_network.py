"""Country relations: pairs, graph measures, layout, and the network / matrix / map figures."""

from __future__ import annotations

import pandas as pd
import pytest

from claimscope.figures.network import (
    EDGE_DASHES,
    EDGE_SYMBOLS,
    NODE_SYMBOLS,
    curated_figure,
    map_figure,
    matrix_figure,
    network_figure,
)
from claimscope.ingest.dataset import load_folder, short_country_names
from claimscope.text import escape_plotly
from claimscope.views.relations import (
    MIXED,
    bundle_pairs,
    centrality,
    curated_relations,
    layout,
    neighbourhood,
    node_table,
    pair_from_selection,
    pair_matrix,
    statement_lines,
    statement_pairs,
    top_pairs,
    with_coordinates,
)
from tests.conftest import DATA_DIR


def claims(rows: list[tuple[str, list[str], str]], dates: list[str] | None = None) -> pd.DataFrame:
    """(speaker_country, about, stance) rows as the typed claims frame has them (day dates, in row order by default)."""
    dates = dates or [f"2024-01-{1 + i % 28:02d}" for i in range(len(rows))]
    return pd.DataFrame(
        {
            "claim_id": [f"c{i}" for i in range(len(rows))],
            "speaker": [f"speaker {i}" for i in range(len(rows))],
            "speaker_country": [r[0] for r in rows],
            "about": [r[1] for r in rows],
            "stance": pd.Categorical([r[2] or None for r in rows], categories=["support", "oppose", "concern", "neutral"]),
            "date": dates,
            "date_start": pd.to_datetime(dates),
            "summary": [f"summary {i}" for i in range(len(rows))],
        }
    )


def role(figure, name):
    return [t for t in figure.data if (t.meta or {}).get("role") == name]


def draw(pairs: pd.DataFrame, countries=None, **kwargs):
    nodes = node_table(pairs, None, countries)
    edges = list(zip(pairs["from"], pairs["to"], strict=True))
    return network_figure(pairs, layout(edges, list(nodes["code"])), nodes, **kwargs)


def draw_curated(pairs: pd.DataFrame, curated: pd.DataFrame, countries=None):
    nodes = node_table(pairs, curated, countries)
    edges = list(zip(pairs["from"], pairs["to"], strict=True)) + list(zip(curated["from"], curated["to"], strict=True))
    return curated_figure(curated, layout(edges, list(nodes["code"])), nodes)


def test_pairs_count_stances_net_and_prevailing():
    pairs = statement_pairs(
        claims(
            [
                ("KOR", ["RUS", "PRK"], "oppose"),
                ("KOR", ["RUS"], "concern"),
                ("KOR", ["RUS"], "oppose"),
                ("RUS", ["PRK"], "support"),
                ("USA", ["PRK"], "support"),
                ("USA", ["PRK"], "oppose"),
                ("", ["PRK"], "neutral"),  # no speaker country: no pair
                ("CHN", [], "neutral"),  # about nothing: no pair
            ]
        )
    ).set_index(["from", "to"])
    assert pairs.loc[("KOR", "RUS"), "statements"] == 3
    assert pairs.loc[("KOR", "RUS"), "prevailing"] == "oppose"
    assert pairs.loc[("KOR", "RUS"), "net"] == -1.0
    assert pairs.loc[("USA", "PRK"), "prevailing"] == MIXED
    assert pairs.loc[("USA", "PRK"), "net"] == 0.0
    assert pairs.loc[("RUS", "PRK"), "claim_ids"] == ["c3"]
    assert len(pairs) == 4


@pytest.mark.parametrize(
    "rows",
    [
        [],  # no rows
        [("", ["PRK"], "neutral")],  # no speaker country
        [("RUS", ["RUS"], "support")],  # only a self-pair: nothing to draw between countries
    ],
)
def test_nothing_to_draw_gives_empty_states(rows):
    pairs = statement_pairs(claims(rows)) if rows else statement_pairs(pd.DataFrame())
    network = draw(pairs)
    assert not network.data and network.layout.annotations
    counts, net, _, _ = pair_matrix(pairs.loc[pairs["from"] != pairs["to"]] if len(pairs) else pairs)
    matrix = matrix_figure(counts, net)
    assert not matrix.data and matrix.layout.annotations
    located, _ = with_coordinates(pairs, pd.DataFrame())
    geo = map_figure(located)
    assert not geo.data and geo.layout.annotations


def test_one_pair_draws_an_arrow_a_handle_and_two_nodes():
    pairs = statement_pairs(claims([("KOR", ["PRK"], "concern")]))
    figure = draw(pairs)
    (edges,) = role(figure, "edges")
    assert edges.line.dash == EDGE_DASHES["concern"]
    (arrows,) = role(figure, "arrows")
    assert arrows.marker.symbol == "arrow" and arrows.marker.angleref == "previous"
    sizes = list(arrows.marker.size)
    assert sizes[0] == 0 and sizes[1] > 0 and len(sizes) == 3  # one arrowhead: at the target end only
    (handles,) = role(figure, "edge-handles")
    assert handles.marker.symbol == EDGE_SYMBOLS["concern"]  # a second cue besides colour
    assert list(handles.customdata[0]) == ["KOR", "PRK"]
    assert sum(len(t.x) for t in role(figure, "nodes")) == 2


def test_width_grows_with_statements_and_dash_follows_stance():
    rows = [("KOR", ["RUS"], "oppose")] * 9 + [("RUS", ["PRK"], "support")]
    figure = draw(statement_pairs(claims(rows)))
    widths = {t.meta["stance"]: t.line.width for t in role(figure, "edges")}
    assert widths["oppose"] > widths["support"]
    dashes = {t.meta["stance"]: t.line.dash for t in role(figure, "edges")}
    assert dashes == {"oppose": "dash", "support": "solid"}


def test_thousands_of_pairs_are_cut_to_the_heaviest():
    rows = [(f"A{i % 60:02d}", [f"B{j:02d}" for j in range(i % 40)], "oppose") for i in range(600)]
    pairs = statement_pairs(claims(rows))
    assert len(pairs) > 1500
    shown = top_pairs(pairs, 50)
    assert len(shown) == 50 and shown["statements"].is_monotonic_decreasing
    figure = draw(shown)
    assert sum(len(t.x) for t in role(figure, "edge-handles")) == 50
    counts, net, total_rows, total_cols = pair_matrix(pairs, 20)
    assert counts.shape == (20, 20) and (total_rows, total_cols) == (60, 39)
    matrix = matrix_figure(counts, net, total_rows=total_rows, total_cols=total_cols)
    assert "20 most active of 60" in matrix.layout.title.text


def test_layout_is_deterministic_and_bounded():
    edges = [("RUS", "PRK"), ("KOR", "RUS"), ("USA", "PRK"), ("JPN", "RUS"), ("X", "Y")]
    first = layout(edges)
    assert first == layout(list(reversed(edges)))
    assert all(-1 <= x <= 1 and -1 <= y <= 1 for x, y in first.values())
    assert layout([], ["ONLY"]) == {"ONLY": (0.0, 0.0)}


def test_groups_and_unknown_codes_get_their_own_node_symbols(foreign_dir):
    dataset = load_folder(foreign_dir)
    pairs = statement_pairs(dataset.claims)
    rows = pairs.assign(to=pairs["to"].where(pairs["from"] != "G7", "ZZZ"))  # a code countries.csv does not know
    nodes = node_table(rows, None, dataset.countries).set_index("code")
    assert nodes.loc["G7", "kind"] == "group" and nodes.loc["EUU", "kind"] == "organization"
    assert nodes.loc["ZZZ", "kind"] == "unknown"
    figure = draw(rows, countries=dataset.countries, names={"RUS": "Россия"})
    kinds = {t.meta["kind"] for t in role(figure, "nodes")}
    assert kinds == {"state", "group", "organization", "unknown"}
    hovers = " ".join(h for t in role(figure, "edge-handles") for h in t.hovertext)
    assert "Россия (RUS)" in hovers


def test_curated_relations_are_a_figure_of_their_own(foreign_dir):
    dataset = load_folder(foreign_dir)
    pairs = statement_pairs(dataset.claims)
    curated = curated_relations(dataset.relations)
    figure = draw_curated(pairs, curated)
    (band,) = role(figure, "curated")
    (handles,) = role(figure, "curated-handles")
    assert handles.meta["relation"] == "alliance" and handles.marker.symbol == "star-open"
    assert handles.showlegend is not False and band.showlegend is False  # a legend of relation kinds, its own
    network = draw(pairs)
    assert not role(network, "curated") and not role(network, "curated-handles")
    empty = curated_figure(curated.iloc[0:0], {}, node_table(pairs))
    assert not empty.data and empty.layout.annotations


def test_map_leaves_out_codes_without_coordinates(foreign_dir):
    dataset = load_folder(foreign_dir)
    pairs = statement_pairs(dataset.claims)
    located, left_out = with_coordinates(pairs, dataset.countries)
    assert left_out == ["G7"]
    assert "G7" not in set(located["from"])
    figure = map_figure(located)
    assert figure.layout.geo.resolution == 110
    tips = role(figure, "edges")[0]
    assert tips.type == "scattergeo" and tips.marker.symbol == "arrow"
    assert sum(len(t.lat) for t in role(figure, "edge-handles")) == len(located.loc[located["from"] != located["to"]])


def test_focus_neighbourhood_and_centrality():
    rows = [("A", ["B"], "support"), ("B", ["C"], "oppose"), ("C", ["D"], "oppose"), ("E", ["A"], "concern")]
    pairs = statement_pairs(claims(rows))
    assert set(neighbourhood(pairs, "A", 1)[["from", "to"]].itertuples(index=False, name=None)) == {("A", "B"), ("E", "A")}
    assert len(neighbourhood(pairs, "A", 3)) == 4
    assert neighbourhood(pairs, "nowhere", 2).empty
    table = centrality(pairs, {"A": "Alpha"}).set_index("code")
    assert table.loc["A", "name"] == "Alpha"
    assert table.loc["B", "betweenness"] > table.loc["D", "betweenness"] == 0
    assert table.loc["A", "degree"] == 2 and table.loc["A", "statements made"] == 1


def test_matrix_cells_carry_the_pair_and_escaped_hover():
    pairs = statement_pairs(claims([("<b>X</b>", ["PRK"], "support"), ("KOR", ["PRK"], "oppose")]))
    counts, net, rows, cols = pair_matrix(pairs)
    figure = matrix_figure(counts, net, total_rows=rows, total_cols=cols)
    (heatmap,) = role(figure, "matrix")
    (cells,) = role(figure, "cells")
    assert heatmap.zmin == -1 and heatmap.zmax == 1
    assert sorted(tuple(c) for c in cells.customdata) == [("<b>X</b>", "PRK"), ("KOR", "PRK")]
    assert all("<b>X</b>" not in h for h in cells.hovertext)
    assert "&lt;b&gt;X&lt;/b&gt;" in " ".join(heatmap.y)


@pytest.mark.parametrize(
    ("selection", "expected"),
    [
        (None, None),
        ({"selection": {"points": [{"customdata": ["RUS"]}]}}, None),  # a node, not a pair
        ({"selection": {"points": [{"customdata": ["KOR", "PRK"]}]}}, ("KOR", "PRK")),
    ],
)
def test_pair_from_selection(selection, expected):
    assert pair_from_selection(selection) == expected


def test_curated_data_end_to_end():
    dataset = load_folder(DATA_DIR)
    pairs = statement_pairs(dataset.claims)
    assert not pairs.empty
    curated = curated_relations(dataset.relations)
    figure = draw(top_pairs(pairs, 60), dataset.countries)
    assert role(figure, "edges") and role(figure, "arrows") and role(figure, "edge-handles")
    assert role(draw_curated(top_pairs(pairs, 60), curated, dataset.countries), "curated")
    located, left_out = with_coordinates(top_pairs(pairs, 60), dataset.countries)
    assert "WEST" in left_out and not located.empty


def test_pair_ids_match_a_plain_groupby(tmp_path):
    """Each pair lists exactly the claims behind it (checked against a straightforward groupby)."""
    from claimscope import synth

    dataset = load_folder(synth.write(tmp_path / "synthetic", 2000, seed=5))
    pairs = statement_pairs(dataset.claims)
    claims = dataset.claims
    frame = pd.DataFrame(
        {"from": claims["speaker_country"].astype(str), "to": claims["about"], "claim_id": claims["claim_id"].astype(str)}
    )
    frame = frame[frame["from"] != ""].explode("to").dropna().drop_duplicates()
    expected = {key: sorted(ids) for key, ids in frame.groupby(["from", "to"])["claim_id"]}
    got = {(row["from"], row["to"]): sorted(row["claim_ids"]) for _, row in pairs.iterrows()}
    assert got == expected
    assert (pairs["claim_ids"].map(len) == pairs["statements"]).all()


# --- a network an analyst can read: bundles, legend, labels, layout -------------------------------------------


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        # (a, b): (statements, a_to_b, b_to_a, prevailing)
        ([("RUS", ["PRK"], "support"), ("PRK", ["RUS"], "support")], {("PRK", "RUS"): (2, 1, 1, "support")}),
        (
            [("RUS", ["PRK"], "support"), ("RUS", ["PRK"], "oppose"), ("PRK", ["RUS"], "oppose")],
            {("PRK", "RUS"): (3, 1, 2, "oppose")},
        ),
        ([("KOR", ["PRK", "RUS"], "concern")], {("KOR", "PRK"): (1, 1, 0, "concern"), ("KOR", "RUS"): (1, 1, 0, "concern")}),
        ([("RUS", ["RUS"], "support")], {}),  # a country about itself is no line
    ],
)
def test_bundles_sum_both_directions_of_a_pair(rows, expected):
    bundles = bundle_pairs(statement_pairs(claims(rows)))
    got = {(r.a, r.b): (int(r.statements), int(r.a_to_b), int(r.b_to_a), r.prevailing) for r in bundles.itertuples(index=False)}
    assert got == expected
    assert (bundles["a"] < bundles["b"]).all()


def test_bundle_names_the_latest_statement_either_way():
    rows = [("RUS", ["PRK"], "support"), ("PRK", ["RUS"], "support"), ("RUS", ["PRK"], "support")]
    dates = ["2024-06-19", "2024-07-01", "2024-06-20"]
    frame = claims(rows, dates)
    bundles = bundle_pairs(statement_pairs(frame))
    assert list(bundles["latest_id"]) == ["c1"] and list(bundles["latest_date"]) == ["2024-07-01"]
    lines = statement_lines(frame, ["c1"])
    assert lines == {"c1": "speaker 1: summary 1"}


def test_legend_has_at_most_six_entries_and_node_kinds_are_shapes(foreign_dir):
    stances = ["support", "oppose", "concern", "neutral", ""]
    rows = [(f"S{i % 7}", [f"T{i % 11}"], stances[i % 5]) for i in range(200)] + [("A", ["B"], "support"), ("A", ["B"], "oppose")]
    pairs = statement_pairs(claims(rows))
    dataset = load_folder(foreign_dir)
    nodes = node_table(pairs, None, dataset.countries)
    figure = network_figure(pairs, layout(list(zip(pairs["from"], pairs["to"], strict=True))), nodes)
    legend = [t.name for t in figure.data if t.showlegend is not False]
    assert len(legend) <= 6 and len(set(legend)) == len(legend)
    assert MIXED in legend  # the tie A→B is drawn, with its own symbol
    assert all(t.showlegend is False for t in role(figure, "nodes"))
    key = " ".join(a.text for a in figure.layout.annotations if a.text.startswith("Nodes:"))
    assert "code not in countries.csv" in key  # the shape key names the kinds drawn (here: codes countries.csv lacks)
    assert {t.marker.symbol for t in role(figure, "nodes")} <= set(NODE_SYMBOLS.values())


def test_hover_gives_the_pair_the_counts_per_stance_and_the_latest_statement():
    rows = [
        ("KOR", ["PRK"], "oppose"),
        ("KOR", ["PRK"], "concern"),
        ("<b>X</b>", ["KOR"], "support"),
        ("PRK", ["KOR"], "support"),
    ]
    frame = claims(rows)
    pairs = statement_pairs(frame)
    figure = draw(pairs, latest=statement_lines(frame, list(pairs["latest_id"])), names={"KOR": "South Korea"})
    hovers = [h for t in role(figure, "edge-handles") for h in t.hovertext]
    kor_prk = next(h for h in hovers if "KOR → PRK: 2" in h)
    assert "1 support" in kor_prk and "1 oppose" in kor_prk and "1 concern" in kor_prk
    assert "South Korea (KOR)" in kor_prk and "latest:" in kor_prk and "speaker 3: summary 3" in kor_prk
    assert all("<b>X</b>" not in h for h in hovers) and any("&lt;b&gt;X&lt;/b&gt;" in h for h in hovers)
    handles = {tuple(c) for t in role(figure, "edge-handles") for c in t.customdata}
    assert handles == {("KOR", "PRK"), ("<b>X</b>", "KOR"), ("PRK", "KOR")}  # one per direction


def test_node_labels_use_short_names(foreign_dir):
    dataset = load_folder(foreign_dir)
    pairs = statement_pairs(dataset.claims)
    shorts = short_country_names(dataset.countries)
    figure = draw(pairs, dataset.countries, short_names=shorts)
    nodes = role(figure, "nodes")
    labels = {label for trace in nodes for label in trace.text}
    assert labels and labels <= {shorts.get(c, c) for c in set(pairs["from"]).union(pairs["to"])}
    assert all(len(label) <= 20 for label in labels)
    # each label belongs to its own node, on the side away from the picture's centre (off the edges)
    for trace in nodes:
        assert list(trace.text) == [escape_plotly(shorts.get(c, c), limit=20) for (c,) in trace.customdata]
        for x, y, position in zip(trace.x, trace.y, trace.textposition, strict=True):
            if abs(y) >= abs(x) and max(abs(x), abs(y)) >= 0.15:
                assert position == ("top center" if y > 0 else "bottom center")
            elif max(abs(x), abs(y)) >= 0.15:
                assert position == ("middle right" if x > 0 else "middle left")
    assert not [a for a in figure.layout.annotations if a.text and not a.text.startswith("Nodes:")]


@pytest.mark.parametrize(
    ("name", "code", "expected"),
    [
        ("North Korea (DPRK)", "PRK", "North Korea"),
        ("South Korea (Republic of Korea)", "KOR", "South Korea"),
        ("North Atlantic Treaty Organization (members as of 2024)", "NATO", "NATO"),  # still too long: the code
        ("Россия", "RUS", "Россия"),
        ("Western nations (curator's definition: NATO members)", "WEST", "Western nations"),
    ],
)
def test_short_country_names(name, code, expected):
    countries = pd.DataFrame({"code": [code], "name": [name], "kind": ["state"]})
    assert short_country_names(countries)[code] == expected


def test_layout_separates_the_dense_core_and_spaces_every_node():
    """A hub pair talked about by everyone (the RUS–PRK case): the hubs apart, no two nodes on top of each other."""
    edges = [("RUS", "PRK"), ("PRK", "RUS")]
    leaves = [f"L{i:02d}" for i in range(30)]
    edges += [(leaf, hub) for leaf in leaves for hub in ("RUS", "PRK")]
    weights = {"RUS": 60, "PRK": 58} | {leaf: 2 for leaf in leaves}
    positions = layout(edges, weights=weights)
    assert positions == layout(list(reversed(edges)), weights=weights)  # deterministic, whatever the order
    points = list(positions.values())
    assert all(-1 <= x <= 1 and -1 <= y <= 1 for x, y in points)
    (rx, ry), (px, py) = positions["RUS"], positions["PRK"]
    assert ((rx - px) ** 2 + (ry - py) ** 2) ** 0.5 >= 0.5
    closest = min(((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2) ** 0.5 for i, a in enumerate(points) for b in points[i + 1 :])
    assert closest >= 0.1
    # the hubs are inside, the leaves around them
    radius = {n: (x * x + y * y) ** 0.5 for n, (x, y) in positions.items()}
    assert max(radius["RUS"], radius["PRK"]) < min(radius[leaf] for leaf in leaves)
