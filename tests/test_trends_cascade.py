"""Trends (statements per period, group and stance) and reaction cascades: the core tables and the figures' traces."""

from __future__ import annotations

import pandas as pd
import pytest

from claimscope.figures.cascade import MIN_ROW_HEIGHT, ROW_HEIGHT, TALL_CASCADE_PX, cascade_figure, row_height
from claimscope.figures.common import STANCE_COLOURS, STANCE_PATTERNS, STANCE_SYMBOLS
from claimscope.figures.timeline import lane_label
from claimscope.figures.trends import BAR_HOVER, bar_hover, trends_figure
from claimscope.filters import VIEW_PARAMS, Filters, parse_query_params
from claimscope.ingest.dataset import load_folder
from claimscope.views.cascade import (
    CASCADE_COLUMNS,
    cascade_layout,
    reaction_cascade,
    thread_origin,
    threads,
)
from claimscope.views.timeline import NO_COUNTRY, bloc_of, claim_from_selection, dataset_blocs, speaker_groups
from claimscope.views.trends import TREND_COLUMNS, auto_interval, events_per_period, range_from_selection, trend_table
from tests.conftest import DATA_DIR
from tests.test_figures_timeline import claims_frame, row

EVENT_HEADER = ["event_id", "date", "end_date", "title", "description", "countries"]


@pytest.fixture(scope="module")
def curated():
    return load_folder(DATA_DIR)


def role(figure, name):
    return [t for t in figure.data if (t.meta or {}).get("role") == name]


# --- trends: the table ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2024-06-01", "2024-06-30", "week"),
        ("2024-01-01", "2024-06-30", "week"),
        ("2024-01-01", "2025-06-30", "month"),
        ("2015-01-01", "2025-06-30", "year"),
        (None, None, "month"),
    ],
)
def test_auto_interval_follows_the_span(start, end, expected):
    def as_ts(v):
        return pd.Timestamp(v) if v else None

    assert auto_interval(as_ts(start), as_ts(end)) == expected


@pytest.mark.parametrize(
    ("interval", "expected"),
    [
        # (label, group, stance) -> statements; the month- and year-precise rows only where they fit
        ("week", {("2024-W25", "RUS", "support"): 2, ("2024-W25", "KOR", "oppose"): 1, ("2024-W27", "KOR", "oppose"): 1}),
        (
            "month",
            {
                ("2024-06", "RUS", "support"): 2,
                ("2024-06", "KOR", "oppose"): 1,
                ("2024-07", "KOR", "oppose"): 1,
                ("2024-06", "KOR", "concern"): 1,
            },
        ),
        (
            "year",
            {
                ("2024", "RUS", "support"): 2,
                ("2024", "KOR", "oppose"): 2,
                ("2024", "KOR", "concern"): 1,
                ("2024", "KOR", "neutral"): 1,
            },
        ),
    ],
)
def test_trend_counts_per_period_group_and_stance(tmp_path, interval, expected):
    dataset = claims_frame(
        tmp_path,
        [
            row("a", "2024-06-19", "RUS", "support"),
            row("b", "2024-06-20", "RUS", "support"),
            row("c", "2024-06-21", "KOR", "oppose"),
            row("d", "2024-07-01", "KOR", "oppose"),
            row("e", "2024-06", "KOR", "concern"),  # month-precise: not in any week
            row("f", "2024", "KOR", "neutral"),  # year-precise: only in a year
        ],
    )
    trend = trend_table(dataset.claims, by="country", interval=interval)
    got = {(r.label, r.group, r.stance): int(r.statements) for r in trend.table.itertuples(index=False)}
    assert got == expected
    assert list(trend.table.columns) == TREND_COLUMNS
    assert trend.counted + trend.coarse + trend.undated == len(dataset.claims)
    # shares add up to one per bar; totals are the bar's height
    bars = trend.table.groupby(["period", "group"])
    assert (bars["share"].sum().round(3) == 1).all()
    assert (bars["statements"].sum() == bars["total"].first()).all()


@pytest.mark.parametrize(
    ("interval", "date", "expected"),
    [
        ("week", "2024-06-19", ("2024-06-17", "2024-06-23")),  # Monday to Sunday
        ("month", "2024-06-19", ("2024-06", "2024-06")),
        ("year", "2024-06-19", ("2024", "2024")),
    ],
)
def test_each_bar_knows_the_dates_that_select_its_period(tmp_path, interval, date, expected):
    dataset = claims_frame(tmp_path, [row("a", date)])
    table = trend_table(dataset.claims, interval=interval).table
    assert tuple(table[["date_from", "date_to"]].iloc[0]) == expected
    # the URL values are valid filters that keep the statement
    filters, notices = parse_query_params({"from": expected[0], "to": expected[1]}, {})
    assert notices == [] and (filters.date_from, filters.date_to) == expected


def test_small_groups_share_one_row(tmp_path):
    small = ["FRA", "DEU", "ITA", "ESP", "POL"]
    rows = [row(f"c{i}", "2024-06-19", small[i % 5]) for i in range(20)]
    rows += [row(f"b{i}", "2024-06-20", "USA") for i in range(10)]
    dataset = claims_frame(tmp_path, rows)
    trend = trend_table(dataset.claims, interval="month", max_groups=3)
    assert trend.groups[0] == "USA" and trend.groups[-1] == "4 others" and len(trend.groups) == 3
    assert trend.other_groups == 4
    assert trend.table["statements"].sum() == len(dataset.claims)


def test_groups_per_bloc_and_actor(foreign_dir):
    dataset = load_folder(foreign_dir)
    blocs = dataset_blocs(dataset)
    # every member of a group maps to a group of countries.csv; groups themselves are not members
    groups = set(dataset.countries.loc[dataset.countries["kind"].isin(["group", "organization"]), "code"])
    assert set(blocs.values()) <= groups and not set(blocs) & groups
    by_bloc = speaker_groups(dataset.claims, "bloc", blocs)
    by_country = speaker_groups(dataset.claims, "country")
    assert ((by_bloc == by_country) | by_country.map(blocs).eq(by_bloc)).all()
    by_actor = speaker_groups(dataset.claims, "actor")
    assert set(by_actor) == set(dataset.claims["speaker"])


def test_bloc_is_the_largest_group_listing_the_country():
    countries = pd.DataFrame(
        {
            "code": ["A", "B", "C", "BIG", "SMALL"],
            "kind": ["state", "state", "state", "group", "organization"],
            "members": [[], [], [], ["A", "B"], ["A"]],
        }
    )
    assert bloc_of(countries) == {"A": "BIG", "B": "BIG"}
    claims = pd.DataFrame({"speaker_country": ["A", "C", "", "SMALL"], "speaker": ["x"] * 4})
    assert list(speaker_groups(claims, "bloc", bloc_of(countries))) == ["BIG", "C", NO_COUNTRY, "SMALL"]


def test_trends_stay_aggregated_on_many_claims(tmp_path):
    from claimscope import synth

    dataset = load_folder(synth.write(tmp_path / "synthetic", 20_000, seed=3))
    span = dataset.claims["date_end"].max() - dataset.claims["date_start"].min()
    assert span.days > 3650  # decades: per week, far too many bars
    trend = trend_table(dataset.claims, interval="week", max_segments=3000)
    assert trend.table["statements"].sum() == trend.counted
    assert len(trend.table) <= 3000 and trend.lengthened_from == "week" and trend.interval in ("month", "year")
    figure = trends_figure(trend.table, trend.groups, interval=trend.interval)
    assert sum(len(t.x) for t in role(figure, "bars")) == len(trend.table)


def test_events_are_gathered_per_period(tmp_path):
    dataset = claims_frame(
        tmp_path,
        [row("a", "2024-06-19")],
        events=[
            {"event_id": "e1", "date": "2024-06-19", "title": "Signed", "description": "d", "countries": "RUS"},
            {"event_id": "e2", "date": "2024-06-20", "title": "Published", "description": "d", "countries": "RUS"},
            {"event_id": "e3", "date": "2024-07-02", "title": "Later", "description": "d", "countries": "RUS"},
        ],
    )
    per_month = events_per_period(dataset.events, "month")
    assert list(per_month["label"]) == ["2024-06", "2024-07"] and list(per_month["events"]) == [2, 1]
    assert per_month["titles"].iloc[0] == ["Signed", "Published"]


@pytest.mark.parametrize(
    ("selection", "expected"),
    [
        (None, None),
        ({"selection": {"points": []}}, None),
        (
            {"selection": {"points": [{"customdata": ["2024-06-17", "2024-06-23", "RUS", "2024-W25"]}]}},
            ("2024-06-17", "2024-06-23"),
        ),
        ({"selection": {"points": [{"customdata": ["seed-012"]}]}}, None),  # a statement, not a bar
    ],
)
def test_range_from_selection(selection, expected):
    assert range_from_selection(selection) == expected


# --- trends: the figure --------------------------------------------------------------------------------------


@pytest.mark.parametrize("measure", ["count", "share"])
def test_trends_figure_stacks_stances_with_colour_and_pattern(tmp_path, measure):
    dataset = claims_frame(
        tmp_path,
        [
            row("a", "2024-06-19", "RUS", "support"),
            row("b", "2024-06-20", "KOR", "oppose"),
            row("c", "2024-06-21", "KOR", "concern"),
        ],
        events=[{"event_id": "e1", "date": "2024-06-19", "title": "<b>Signed</b>", "description": "d", "countries": "RUS"}],
    )
    trend = trend_table(dataset.claims, interval="week")
    figure = trends_figure(
        trend.table, trend.groups, interval="week", measure=measure, events=events_per_period(dataset.events, "week")
    )
    assert figure.layout.barmode == "stack"
    bars = role(figure, "bars")
    assert {t.meta["stance"] for t in bars} == {"support", "oppose", "concern"}
    for trace in bars:
        assert trace.marker.color == STANCE_COLOURS[trace.meta["stance"]]
        assert trace.marker.pattern.shape == STANCE_PATTERNS[trace.meta["stance"]]  # the second cue
        assert all(list(c[:2]) == ["2024-06-17", "2024-06-23"] for c in trace.customdata)
    assert len([t for t in bars if t.showlegend is not False]) == 3  # one legend entry per stance, not per row
    kor = [t for t in bars if t.meta["group"] == "KOR"]
    heights = sum(float(t.y[0]) for t in kor)
    assert heights == (100.0 if measure == "share" else 2.0)
    labels = [a for a in figure.layout.annotations if a.hovertext]
    assert labels and "&lt;b&gt;Signed" in labels[0].text and "<b>Signed" not in labels[0].text


def test_trends_figure_draws_event_periods_as_one_path_and_names_rows_once(tmp_path):
    """Every period with events is a segment of one dotted path, at the period's middle (milliseconds on a date
    axis); a bar's hover takes its row's name from the trace (escaped once), its counts from its customdata."""
    dataset = claims_frame(
        tmp_path,
        [row("a", "2024-06-19", "RUS", "support", speaker="<b>X</b>"), row("b", "2024-08-20", "KOR", "oppose")],
        events=[
            {"event_id": f"e{i}", "date": date, "title": f"Event {i}", "description": "d", "countries": "RUS"}
            for i, date in enumerate(["2024-06-19", "2024-06-20", "2024-07-03", "2024-08-14"])
        ],
    )
    trend = trend_table(dataset.claims, by="actor", interval="week")
    events = events_per_period(dataset.events, "week")
    figure = trends_figure(trend.table, trend.groups, interval="week", events=events)
    (path,) = [s for s in figure.layout.shapes if s.name == "events"]
    assert path.type == "path" and path.xref == "x" and path.yref == "paper" and path.line.dash == "dot"
    middles = [(p + (e + pd.Timedelta(days=1) - p) / 2) for p, e in zip(events["period"], events["period_end"], strict=True)]
    assert path.path == "".join(f"M{round(m.timestamp() * 1000)},0L{round(m.timestamp() * 1000)},1" for m in middles)
    assert len(middles) == 3  # two events in the week of 2024-06-17, one line for them
    assert pd.Timestamp(int(path.path[1:].split(",")[0]), unit="ms") == pd.Timestamp("2024-06-20 12:00")
    bars = role(figure, "bars")
    assert all(t.hovertemplate == bar_hover(t.meta["lane"]) for t in bars)
    assert all(t.hovertemplate.endswith(BAR_HOVER) and "%{meta" not in t.hovertemplate for t in bars)
    odd = next(t for t in bars if t.meta["group"] == "<b>X</b>")
    assert odd.meta["lane"] == "&lt;b&gt;X&lt;/b&gt;"
    assert odd.hovertemplate.startswith("<b>&lt;b&gt;X&lt;/b&gt;</b><br>")
    assert list(odd.customdata[0][3:]) == ["2024-W25", "1 support of 1 statement (100%)"]
    titles = [a.text for a in figure.layout.annotations if a.name != "event"]
    assert titles == [lane_label(g, None) for g in trend.groups]


def test_trends_figure_empty_state():
    figure = trends_figure(pd.DataFrame(columns=TREND_COLUMNS), ())
    assert not figure.data and figure.layout.annotations


# --- cascades -----------------------------------------------------------------------------------------------


def thread_rows() -> list[dict]:
    return [
        row("root", "2024-06-19", "RUS", "support"),
        row("r1", "2024-06-20", "KOR", "oppose", kind="reaction", responds_to="root"),
        row("r2", "2024-06-21", "USA", "concern", kind="reaction", responds_to="root"),
        row("r11", "2024-06-22", "RUS", "support", kind="reaction", responds_to="r1"),
        row("r111", "2024-06", "PRK", "support", kind="reaction", responds_to="r11"),
        row("other", "2024-06-25", "JPN", "oppose"),
        row("ev-r", "2024-06-23", "JPN", "oppose", kind="reaction", responds_to="ev1"),
    ]


@pytest.fixture
def thread(tmp_path):
    return claims_frame(
        tmp_path,
        thread_rows(),
        events=[{"event_id": "ev1", "date": "2024-06-19", "title": "Signed", "description": "d", "countries": "RUS"}],
    )


@pytest.mark.parametrize(
    ("root", "max_depth", "max_nodes", "expected", "depth_capped", "nodes_capped"),
    [
        ("root", 8, 300, {"root": 0, "r1": 1, "r2": 1, "r11": 2, "r111": 3}, False, False),
        ("r1", 8, 300, {"r1": 0, "r11": 1, "r111": 2}, False, False),
        ("root", 1, 300, {"root": 0, "r1": 1, "r2": 1}, True, False),
        ("root", 8, 2, {"root": 0, "r1": 1, "r2": 1}, False, True),
        ("other", 8, 300, {"other": 0}, False, False),
        ("ev1", 8, 300, {"ev1": 0, "ev-r": 1}, False, False),
    ],
)
def test_cascade_is_the_tree_below_its_root(thread, root, max_depth, max_nodes, expected, depth_capped, nodes_capped):
    cascade = reaction_cascade(thread.claims, thread.events, root, max_depth=max_depth, max_nodes=max_nodes)
    assert dict(zip(cascade.nodes["node_id"], cascade.nodes["depth"], strict=True)) == expected
    assert (cascade.depth_capped, cascade.nodes_capped) == (depth_capped, nodes_capped)
    assert bool(cascade.note(max_depth, max_nodes)) == (depth_capped or nodes_capped)
    assert list(cascade.nodes.columns) == CASCADE_COLUMNS
    assert cascade.nodes["node_id"].iloc[0] == root


def test_cascade_days_and_kinds(thread):
    nodes = reaction_cascade(thread.claims, thread.events, "root").nodes.set_index("node_id")
    assert nodes.loc["r1", "days"] == 1 and nodes.loc["r11", "days"] == 2
    assert pd.isna(nodes.loc["r111", "days"])  # month-precise: no day count invented
    event = reaction_cascade(thread.claims, thread.events, "ev1").nodes.set_index("node_id")
    assert event.loc["ev1", "node_kind"] == "event" and event.loc["ev1", "speaker"] == "Signed"
    assert reaction_cascade(thread.claims, thread.events, "no-such-id").nodes.empty


def test_cascade_survives_a_cycle(thread):
    claims = thread.claims.copy()
    claims.loc[claims["claim_id"] == "root", "responds_to"] = "r11"  # root → r11 → r1 → root
    cascade = reaction_cascade(claims, thread.events, "root")
    assert sorted(cascade.nodes["node_id"]) == ["r1", "r11", "r111", "r2", "root"]
    assert cascade.nodes["node_id"].is_unique and cascade.cycle_links == 1
    assert "loop" in cascade.note()
    assert thread_origin(claims, "r111", thread.events) in {"root", "r1", "r11"}  # stops on the loop


@pytest.mark.parametrize(
    ("start", "origin"), [("r111", "root"), ("r1", "root"), ("root", "root"), ("ev-r", "ev1"), ("other", "other")]
)
def test_thread_origin(thread, start, origin):
    assert thread_origin(thread.claims, start, thread.events) == origin


def test_filters_fade_nodes_but_keep_the_tree(thread):
    cascade = reaction_cascade(thread.claims, thread.events, "root", in_view=["root", "r11"])
    shown = dict(zip(cascade.nodes["node_id"], cascade.nodes["in_view"], strict=True))
    assert shown == {"root": True, "r1": False, "r2": False, "r11": True, "r111": False}
    figure = cascade_figure(cascade.nodes)
    opacities = {n: o for t in role(figure, "nodes") for n, o in zip((c[0] for c in t.customdata), t.marker.opacity, strict=True)}
    assert opacities["r11"] == 1.0 and opacities["r1"] < 1.0


def test_threads_lists_answered_nodes_most_first(thread):
    table = threads(thread.claims)
    assert list(table["node_id"][:1]) == ["root"] and dict(zip(table["node_id"], table["reactions"], strict=True))["root"] == 2


def test_cascade_layout_puts_reactions_after_what_they_answer(thread):
    nodes = reaction_cascade(thread.claims, thread.events, "root").nodes
    layout, bands = cascade_layout(nodes)
    at = layout.set_index("node_id")
    # the month-precise r111 is drawn inside June and not before r11, which it answers
    assert at.loc["r111", "x"] >= at.loc["r11", "x"] and at.loc["r111", "x"] <= pd.Timestamp("2024-06-30")
    assert at.loc["r111", "window_start"] == at.loc["r11", "x"]
    assert next(lane for lane, _, _ in bands) == "RUS"  # the root's lane first
    rows = [r for _, first, count in bands for r in range(first, first + count)]
    assert rows == list(range(len(rows)))  # lanes stack without gaps or overlaps


def test_cascade_figure_draws_arrows_to_what_is_answered(thread):
    nodes = reaction_cascade(thread.claims, thread.events, "root").nodes
    figure = cascade_figure(nodes, selected="r1")
    (arrows,) = role(figure, "arrows")
    assert arrows.marker.symbol == "arrow" and arrows.marker.angleref == "previous"
    assert len(arrows.x) == 3 * (len(nodes) - 1)  # one arrow per reaction
    assert list(arrows.marker.size[:3]) == [0, 11, 0]  # the head at the answered end
    for trace in role(figure, "nodes"):
        stance = trace.meta["stance"]
        assert trace.marker.color == STANCE_COLOURS[stance] and trace.marker.symbol == STANCE_SYMBOLS[stance]
    ids = {c[0] for t in role(figure, "nodes") for c in t.customdata}
    assert ids == set(nodes["node_id"])
    assert role(figure, "selected")
    assert claim_from_selection({"selection": {"points": [{"customdata": ["r1"]}]}}) == "r1"


def test_cascade_figure_escapes_text_and_events_are_not_clickable(thread):
    claims = thread.claims.copy()
    claims.loc[claims["claim_id"] == "ev-r", "summary"] = "<img src=x onerror=alert(1)>"
    nodes = reaction_cascade(claims, thread.events, "ev1").nodes
    figure = cascade_figure(nodes)
    hovers = " ".join(h for t in role(figure, "nodes") for h in t.hovertext)
    assert "<img" not in hovers and "&lt;img" in hovers
    (event,) = [t for t in role(figure, "nodes") if t.meta["stance"] == "event"]
    assert event.marker.symbol == "star" and [list(c) for c in event.customdata] == [[""]]


@pytest.mark.parametrize(
    ("rows", "height"),
    [
        (1, ROW_HEIGHT),
        (TALL_CASCADE_PX // ROW_HEIGHT, ROW_HEIGHT),  # the last count at full height
        (TALL_CASCADE_PX // ROW_HEIGHT + 1, TALL_CASCADE_PX // (TALL_CASCADE_PX // ROW_HEIGHT + 1)),  # thinner past it
        (TALL_CASCADE_PX // MIN_ROW_HEIGHT, MIN_ROW_HEIGHT),
        (1000, MIN_ROW_HEIGHT),  # never thinner than a node's mark allows
    ],
)
def test_row_height_shrinks_past_the_rows_height_down_to_its_floor(rows, height):
    assert row_height(rows) == height


@pytest.mark.parametrize(("reactions", "row_px"), [(3, ROW_HEIGHT), (60, TALL_CASCADE_PX // 61), (120, MIN_ROW_HEIGHT)])
def test_a_tall_cascade_draws_its_rows_thinner(tmp_path, reactions, row_px):
    # reactions on one day from one country: each takes a row of its own in the country's lane
    rows = [row("root", "2024-06-19", "RUS")]
    rows += [row(f"r{i:03}", "2024-06-20", "KOR", kind="reaction", responds_to="root") for i in range(reactions)]
    dataset = claims_frame(tmp_path, rows)
    nodes = reaction_cascade(dataset.claims, dataset.events, "root").nodes
    _, bands = cascade_layout(nodes)
    assert sum(count for _, _, count in bands) == reactions + 1
    figure = cascade_figure(nodes)
    assert figure.layout.height == max(300, row_px * (reactions + 1) + 150)


@pytest.mark.parametrize("root", ["other", "no-such-id"])
def test_cascade_figure_empty_states(thread, root):
    figure = cascade_figure(reaction_cascade(thread.claims, thread.events, root).nodes)
    assert not figure.data and figure.layout.annotations


def test_curated_cascade_end_to_end(curated):
    answered = threads(curated.claims)
    assert not answered.empty
    top = str(answered["node_id"].iloc[0])
    cascade = reaction_cascade(curated.claims, curated.events, top)
    assert cascade.reactions >= int(answered["reactions"].iloc[0])
    for reaction in cascade.nodes.loc[cascade.nodes["depth"] > 0].itertuples():
        assert reaction.parent_id in set(cascade.nodes["node_id"])
    assert role(cascade_figure(cascade.nodes), "arrows")


# --- the view parameters in the URL ----------------------------------------------------------------------------


@pytest.mark.parametrize("param", VIEW_PARAMS, ids=lambda p: p.param)
def test_view_parameters_round_trip_and_defaults_stay_out_of_the_url(param):
    other = next(c for c in param.choices if c != param.default)
    filters, notices = parse_query_params({param.param: other}, {})
    assert notices == [] and filters.setting(param.param) == other
    assert filters.to_query_params() == {param.param: [other]}
    assert filters == Filters() and filters.is_empty  # a view parameter is not a filter
    default, _ = parse_query_params({param.param: param.default}, {})
    assert default.to_query_params() == {} and default.setting(param.param) == param.default
    bad, notices = parse_query_params({param.param: "bogus"}, {})
    assert bad.setting(param.param) == param.default and notices and "bogus" in notices[0]


def test_blocs_come_from_the_groups_the_dataset_knows_not_every_built_in_list():
    """Built-in groups the data never names (OSCE, AU, the UN's 193) must not swallow every country."""
    from claimscope.ingest.dataset import load_dataset

    header = "claim_id,date,speaker,speaker_country,kind,quote,about"
    rows = [
        "c1,2024-06-19,Kallas,EU,claim,q,RUS;PRK",
        "c2,2024-06-20,Baerbock,DEU,claim,r,RUS",
        "c3,2024-06-21,Kirby,USA,claim,s,RUS",
    ]
    dataset = load_dataset({"claims.csv": ("\n".join([header, *rows]) + "\n").encode()})
    assert dataset.is_valid, dataset.problems
    blocs = dataset_blocs(dataset)
    assert blocs["DEU"] == "EU" and blocs["FRA"] == "EU"  # the EU is named by the data: its members are its bloc
    assert "USA" not in blocs and "RUS" not in blocs  # no group the data names lists them: each is its own bloc
    assert {"OSCE", "AU", "G20", "UN"}.isdisjoint(blocs.values())
    assert set(bloc_of(dataset.countries).values()) & {"OSCE", "AU"}  # what the unrestricted lookup would have done
