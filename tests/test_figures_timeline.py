"""The timeline's data preparation and figure builders, checked on the traces they produce."""

from __future__ import annotations

import bisect
import math

import numpy as np
import pandas as pd
import pytest

from claimscope.authors import own_analysis_label
from claimscope.figures.common import STANCE_COLOURS, STANCE_SYMBOLS
from claimscope.figures.timeline import EVENTS_LANE, MAX_SLIDER_POINTS, drawn_points, latency_figure, timeline_figure
from claimscope.ingest.dataset import load_folder
from claimscope.views.timeline import (
    MAX_EVENT_GROUPS,
    aggregate_points,
    box_stats,
    claim_from_selection,
    events_in_range,
    finish_groups,
    lanes_of,
    latency_summary,
    latency_view,
    reaction_latency,
    timeline_events,
    timeline_marks,
    timeline_points,
)
from tests.conftest import DATA_DIR
from tests.datasets import CLAIM_COLUMNS, csv_text, write_dataset


def claims_frame(tmp_path, rows: list[dict], events: list[dict] | None = None):
    files = {"claims.csv": csv_text(CLAIM_COLUMNS, rows)}
    if events is not None:
        files["events.csv"] = csv_text(["event_id", "date", "end_date", "title", "description", "countries"], events)
    dataset = load_folder(write_dataset(tmp_path / "ds", files))
    assert dataset.is_valid, dataset.problems
    return dataset


def row(cid: str, date: str, country: str = "RUS", stance: str = "support", **extra) -> dict:
    base = {
        "claim_id": cid,
        "date": date,
        "speaker": f"Speaker {country or 'none'}",
        "speaker_country": country,
        "kind": "claim",
        "quote": "q",
        "summary": "s",
        "stance": stance,
        "attribution": "direct_quote" if country else "unattributed",
    }
    return base | extra


def statement_traces(figure):
    return [t for t in figure.data if (t.meta or {}).get("role") == "statements"]


def test_no_rows_gives_an_empty_state_not_empty_axes():
    figure = timeline_figure(timeline_points(pd.DataFrame()))
    assert not figure.data
    assert "No dated statement" in figure.layout.annotations[0].text


@pytest.mark.parametrize(
    ("date", "precision", "mode", "n_x"),
    [
        ("2024-06-19", "day", "markers", 1),  # a point
        ("2024-06", "span", "lines+markers", 3),  # June as a segment: start, end, gap
        ("2024", "span", "lines+markers", 3),  # the year as a segment
    ],
)
def test_one_row_precision_is_drawn(tmp_path, date, precision, mode, n_x):
    dataset = claims_frame(tmp_path, [row("a", date)])
    figure = timeline_figure(timeline_points(dataset.claims))
    (trace,) = statement_traces(figure)
    assert trace.meta["precision"] == precision
    assert trace.mode == mode
    assert len(trace.x) == n_x
    assert trace.customdata[0] == ("a",) or list(trace.customdata[0]) == ["a"]
    assert trace.marker.color == STANCE_COLOURS["support"]
    assert trace.marker.symbol == STANCE_SYMBOLS["support"]


def test_month_precision_spans_the_whole_month(tmp_path):
    dataset = claims_frame(tmp_path, [row("m", "2024-02")])
    (trace,) = statement_traces(timeline_figure(timeline_points(dataset.claims)))
    start, end, gap = trace.x
    assert pd.Timestamp(start) == pd.Timestamp("2024-02-01")
    assert pd.Timestamp(end) == pd.Timestamp("2024-02-29")
    assert gap is None
    assert "2024-02 (month precision: 2024-02-01 to 2024-02-29)" in trace.hovertext[0]


def test_many_rows_one_trace_per_stance_and_precision_with_lanes(tmp_path):
    rows = [
        row(f"c{i}", f"2024-0{1 + i % 9}-1{i % 10}", ["RUS", "PRK", "KOR"][i % 3], ["support", "oppose", "concern"][i % 3])
        for i in range(60)
    ]
    rows += [row("m1", "2024-03", "USA", "neutral"), row("u1", "2024-04-01", "", "")]
    dataset = claims_frame(tmp_path, rows)
    points = timeline_points(dataset.claims)
    figure = timeline_figure(points)
    traces = statement_traces(figure)
    assert {t.name for t in traces} == {"support", "oppose", "concern", "neutral", "unlabelled"}
    assert sum(len(t.customdata) for t in traces if t.meta["precision"] == "day") == 61
    assert own_analysis_label(["Speaker none"]) in set(points["lane"])  # unattributed: the source's own analysis
    assert len(figure.layout.yaxis.tickvals) == 5  # RUS PRK KOR USA + no country
    assert figure.layout.xaxis.rangeslider.visible is True
    # every symbol matches its colour's stance: colour is never the only cue
    for trace in traces:
        assert trace.marker.symbol == STANCE_SYMBOLS[trace.name]


@pytest.mark.parametrize(
    ("days", "spans", "slider"),
    [
        (MAX_SLIDER_POINTS, 0, True),  # at the limit: every point a day
        (MAX_SLIDER_POINTS + 1, 0, False),
        (MAX_SLIDER_POINTS - 2, 1, False),  # a span draws three (its ends and the gap): one past the limit
        (MAX_SLIDER_POINTS - 3, 1, True),
    ],
)
def test_the_range_slider_is_left_out_past_its_points(tmp_path, days, spans, slider):
    """The range slider redraws every trace: a chart drawing more than MAX_SLIDER_POINTS has none (the range
    selector's buttons stay)."""
    rows = [row(f"d{i}", f"{2000 + i // 300}-{1 + i // 28 % 10:02d}-{1 + i % 28:02d}") for i in range(days)]
    rows += [row(f"s{i}", f"{1990 + i}-03") for i in range(spans)]
    figure = timeline_figure(timeline_points(claims_frame(tmp_path, rows).claims))
    assert figure.layout.meta["aggregated"] is False
    assert drawn_points(figure) == days + 3 * spans
    assert figure.layout.xaxis.rangeslider.visible is slider
    assert [b.label for b in figure.layout.xaxis.rangeselector.buttons] == ["1m", "6m", "1y", "all"]


def test_lanes_per_actor_and_too_many_lanes_are_gathered(tmp_path):
    rows = [row(f"c{i}", "2024-01-01", "RUS", speaker=f"Actor {i}") for i in range(50)]
    dataset = claims_frame(tmp_path, rows)
    lanes = lanes_of(dataset.claims, "actor", max_lanes=10)
    assert lanes.nunique() == 10
    assert "41 other actors" in set(lanes)


def test_above_the_limit_statements_are_aggregated_not_shipped(tmp_path):
    rows = [row(f"c{i}", f"2024-0{1 + i % 6}-{1 + i % 28:02d}", ["RUS", "PRK"][i % 2]) for i in range(300)]
    rows.append(row("y", "2023", "PRK", "oppose"))
    dataset = claims_frame(tmp_path, rows)
    points = timeline_points(dataset.claims)
    figure = timeline_figure(points, max_points=100)
    assert figure.layout.meta["aggregated"] is True
    shipped = sum(len(t.x) for t in figure.data if (t.meta or {}).get("role") == "aggregate")
    assert shipped < 30
    groups = aggregate_points(points)
    assert groups["statements"].sum() == 301
    year = groups.loc[groups["period"] == "2023"].iloc[0]
    assert (year["start"], year["end"]) == (pd.Timestamp("2023-01-01"), pd.Timestamp("2023-12-31"))


def test_events_get_their_own_lane_and_are_filtered_to_the_range(tmp_path):
    events = [
        {"event_id": "e1", "date": "2024-06-19", "title": "<b>Treaty</b>"},
        {"event_id": "e2", "date": "1995", "end_date": "1996", "title": "Lapse"},
    ]
    dataset = claims_frame(tmp_path, [row("a", "2024-06-20")], events)
    assert list(events_in_range(dataset.events, pd.Timestamp("2024-01-01"))["event_id"]) == ["e1"]
    both = events_in_range(dataset.events)
    figure = timeline_figure(timeline_points(dataset.claims), both)
    roles = [(t.meta or {}).get("role") for t in figure.data]
    assert roles.count("events") == 2  # one day-precise marker trace, one range trace
    assert EVENTS_LANE in figure.layout.yaxis.ticktext[0]
    hovers = [h for t in figure.data if (t.meta or {}).get("role") == "events" for h in t.hovertext if h]
    assert any("&lt;b&gt;Treaty&lt;/b&gt;" in h for h in hovers)  # escaped, not rendered


def test_data_text_is_escaped_in_hover(tmp_path):
    dataset = claims_frame(tmp_path, [row("x", "2024-01-01", speaker="<script>x</script>", summary="<img src=x onerror=1>")])
    (trace,) = statement_traces(timeline_figure(timeline_points(dataset.claims)))
    assert "<script>" not in trace.hovertext[0] and "&lt;script&gt;" in trace.hovertext[0]
    assert "<img" not in trace.hovertext[0]


def test_foreign_dataset(foreign_dir):
    dataset = load_folder(foreign_dir)
    points = timeline_points(dataset.claims)
    figure = timeline_figure(points, events_in_range(dataset.events), names={"RUS": "Россия"})
    assert "Россия (RUS)" in figure.layout.yaxis.ticktext
    assert {"EUU", "G7"} <= set(points["lane"])
    assert sum(len(t.customdata) for t in statement_traces(figure) if t.meta["precision"] == "day") == 2


def test_reaction_latency_counts_only_day_precise_pairs(foreign_dir):
    dataset = load_folder(foreign_dir)
    latency = reaction_latency(dataset.claims, dataset.claims, dataset.events)
    by_id = latency.set_index("claim_id")
    assert by_id.loc["eu-1", "days"] == 2 and by_id.loc["eu-1", "status"] == "counted"
    assert pd.isna(by_id.loc["cn-1", "days"]) and by_id.loc["cn-1", "status"] == "too coarse"
    assert by_id.loc["kr-1", "target_kind"] == "event" and by_id.loc["kr-1", "status"] == "too coarse"
    summary = latency_summary(latency).set_index("speaker_country")
    assert summary.loc["EUU", "counted"] == 1 and summary.loc["CHN", "too coarse"] == 1
    figure = latency_figure(latency, latency_summary(latency))
    points = [t for t in figure.data if (t.meta or {}).get("role") == "latency"]
    assert sum(len(t.x) for t in points) == 1
    assert any("0 counted, 1 too coarse" in label for label in figure.layout.yaxis.ticktext)


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([], "No reaction"),
        ([row("a", "2024-06"), row("b", "2024-06-20", kind="reaction", responds_to="a")], "none can be timed"),
    ],
)
def test_latency_empty_states(tmp_path, rows, message):
    dataset = claims_frame(tmp_path, rows or [row("a", "2024-01-01")])
    latency = reaction_latency(dataset.claims, dataset.claims, dataset.events)
    figure = latency_figure(latency, latency_summary(latency))
    assert not figure.data and message in figure.layout.annotations[0].text


def test_latency_on_the_curated_data():
    dataset = load_folder(DATA_DIR)
    latency = reaction_latency(dataset.claims, dataset.claims, dataset.events)
    assert not latency.empty
    counted = latency.loc[latency["status"] == "counted"]
    assert (counted["days"] >= 0).all()
    assert latency.loc[latency["status"] == "too coarse", "days"].isna().all()


@pytest.mark.parametrize(
    ("selection", "expected"),
    [
        (None, None),
        ({"selection": {"points": []}}, None),
        ({"selection": {"points": [{"customdata": ["c-1"]}]}}, "c-1"),
        ({"selection": {"points": [{"x": 1}, {"customdata": "c-2"}]}}, "c-2"),
    ],
)
def test_claim_from_selection(selection, expected):
    assert claim_from_selection(selection) == expected


@pytest.mark.parametrize(("max_points", "points_drawn", "boxes"), [(1000, "all", 0), (50, 0, "every country")])
def test_latency_past_the_limit_draws_boxes_only(max_points, points_drawn, boxes):
    """A chart never ships thousands of reaction points: past the limit, one box per country and no points."""
    dataset = load_folder(DATA_DIR)
    latency = reaction_latency(dataset.claims, dataset.claims, dataset.events)
    counted = latency.loc[latency["status"] == "counted"]
    assert len(counted) > 0
    many = pd.concat([latency] * (60 // max(1, len(counted)) + 1), ignore_index=True)
    figure = latency_figure(many, latency_summary(many), max_points=max_points)
    drawn = sum(len(t.x) for t in figure.data if (t.meta or {}).get("role") == "latency")
    box_count = sum(len(t.q1) for t in figure.data if (t.meta or {}).get("role") == "box")
    many_counted = many.loc[many["status"] == "counted"]
    assert drawn == (len(many_counted) if points_drawn == "all" else 0)
    if boxes == "every country":
        assert box_count == many_counted["speaker_country"].nunique()


def test_aggregation_falls_back_to_years_then_decades_when_months_are_too_many(tmp_path):
    from claimscope import synth
    from claimscope.views.timeline import MAX_GROUPS, aggregate_points

    dataset = load_folder(synth.write(tmp_path / "synthetic", 3000, seed=3))
    points = timeline_points(dataset.claims, "country")
    by_month = aggregate_points(points, max_groups=len(points))
    assert (by_month["period"].str.len() == 7).any()
    by_year = aggregate_points(points, max_groups=len(by_month) - 1)
    assert (by_year["period"].str.len() == 4).all()
    by_decade = aggregate_points(points, max_groups=len(by_year) - 1)
    assert by_decade["period"].str.fullmatch(r"[0-9]{3}0s").all()
    decade = by_decade.iloc[0]
    first_year = int(decade["period"][:3] + "0")
    assert (decade["start"], decade["end"]) == (pd.Timestamp(f"{first_year}-01-01"), pd.Timestamp(f"{first_year + 9}-12-31"))
    assert len(by_decade) < len(by_year) < len(by_month)
    assert by_decade["statements"].sum() == by_year["statements"].sum() == by_month["statements"].sum() == len(points)
    assert len(aggregate_points(points)) <= MAX_GROUPS  # the page's limit holds on three decades of data
    figure = timeline_figure(points, max_points=100)
    assert sum(len(t.x) for t in figure.data if (t.meta or {}).get("role") == "aggregate") <= MAX_GROUPS


# --- the bounded inputs the engine gives (claimscope.queries.timeline) ---------------------------------------------


def plotly_box(values: list[float]) -> dict[str, float]:
    """What plotly.js computes for a box from its values (src/traces/box/calc.js, quartilemethod "linear"):
    the oracle the precomputed boxes are held to, written from plotly's algorithm, not from ours."""
    v = sorted(values)
    n = len(v)

    def interp(p: float) -> float:  # plotly's Lib.interp
        at = p * n - 0.5
        if at < 0:
            return v[0]
        if at > n - 1:
            return v[-1]
        frac = at % 1
        return frac * v[math.ceil(at)] + (1 - frac) * v[math.floor(at)]

    q1, median, q3 = interp(0.25), interp(0.5), interp(0.75)
    first_inside = bisect.bisect_left(v, 2.5 * q1 - 1.5 * q3)  # findBin(..., true) + 1
    last_inside = bisect.bisect_right(v, 2.5 * q3 - 1.5 * q1) - 1  # findBin(...)
    return {
        "q1": q1,
        "median": median,
        "q3": q3,
        "lowerfence": min(q1, v[min(first_inside, n - 1)]),
        "upperfence": max(q3, v[max(last_inside, 0)]),
    }


@pytest.mark.parametrize("seed", range(40))
def test_precomputed_boxes_are_the_boxes_plotly_would_draw(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 30))
    values = rng.integers(-5, 60, size=n).tolist()
    if seed % 3 == 0:
        values.append(int(rng.integers(300, 900)))  # an outlier beyond the whisker
    assert box_stats(np.array(values)) == pytest.approx(plotly_box(values), abs=0)
    assert box_stats(np.array(values))["median"] == pd.Series(values).median()  # the summary's median


def test_the_latency_chart_ships_five_numbers_per_country_not_every_value():
    dataset = load_folder(DATA_DIR)
    latency = reaction_latency(dataset.claims, dataset.claims, dataset.events)
    many = pd.concat([latency] * 40, ignore_index=True)
    view = latency_view(many, max_points=50)
    figure = latency_figure(view)
    (trace,) = [t for t in figure.data if (t.meta or {}).get("role") == "box"]  # every box in one trace
    assert len(trace.q1) == view.boxes["speaker_country"].nunique() and view.boxes_only
    assert trace.x is None  # no values shipped
    rows = dict(zip(figure.layout.yaxis.tickvals, figure.layout.yaxis.ticktext, strict=True))
    for i, box in enumerate(view.boxes.itertuples(index=False)):
        assert trace.meta["countries"][i] == box.speaker_country
        assert rows[trace.y[i]].startswith(box.speaker_country)  # drawn on its country's row
        assert (trace.q1[i], trace.median[i], trace.q3[i]) == (box.q1, box.median, box.q3)
        assert (trace.lowerfence[i], trace.upperfence[i]) == (box.lowerfence, box.upperfence)
        counted = many.loc[(many["speaker_country"] == box.speaker_country) & (many["status"] == "counted"), "days"]
        assert plotly_box(counted.astype(float).tolist()) == pytest.approx(
            {"q1": box.q1, "median": box.median, "q3": box.q3, "lowerfence": box.lowerfence, "upperfence": box.upperfence}
        )
    assert not [t for t in figure.data if (t.meta or {}).get("role") == "latency"]


def test_many_context_events_are_counted_per_period(tmp_path):
    events = [{"event_id": f"e{i}", "date": f"2024-{1 + i % 3:02d}-{1 + i % 20:02d}", "title": f"Event {i}"} for i in range(30)]
    events.append({"event_id": "y", "date": "2023", "title": "A year"})
    dataset = claims_frame(tmp_path, [row("a", "2024-01-05")], events)
    shown = timeline_events(events_in_range(dataset.events), max_events=10, max_rows=4)
    assert shown.aggregated and shown.total == 31 and len(shown.rows) == 4
    figure = timeline_figure(timeline_points(dataset.claims), shown)
    (groups,) = [t for t in figure.data if (t.meta or {}).get("role") == "event-groups"]
    assert sorted(int(n) for n in groups.text) == [1, 10, 10, 10]  # 2023, then January to March 2024
    assert not [t for t in figure.data if (t.meta or {}).get("role") == "events"]
    assert EVENTS_LANE in figure.layout.yaxis.ticktext[0]


@pytest.mark.parametrize(("months", "periods"), [(MAX_EVENT_GROUPS, "months"), (MAX_EVENT_GROUPS + 1, "years")])
def test_the_events_lane_counts_per_year_when_its_months_are_too_many_marks(tmp_path, months, periods):
    """One lane across the chart: past MAX_EVENT_GROUPS months, one mark per year, each holding its months' events."""
    dates = pd.period_range("2001-01", periods=months, freq="M")
    events = [{"event_id": f"e{i}", "date": f"{month}-15", "title": f"Event {i}"} for i, month in enumerate(dates)]
    dataset = claims_frame(tmp_path, [row("a", "2004-01-05")], events)
    shown = timeline_events(events_in_range(dataset.events), max_events=10)
    expected = [str(m) for m in dates] if periods == "months" else sorted({str(m.year) for m in dates})
    assert shown.groups["period"].tolist() == expected
    assert int(shown.groups["events"].sum()) == months == shown.total
    figure = timeline_figure(timeline_points(dataset.claims), shown)
    (groups,) = [t for t in figure.data if (t.meta or {}).get("role") == "event-groups"]
    assert len(groups.x) == len(expected)


def test_figure_from_marks_is_the_figure_from_points(tmp_path):
    rows = [row(f"c{i}", f"2024-0{1 + i % 6}-{1 + i % 28:02d}", ["RUS", "PRK"][i % 2]) for i in range(60)]
    dataset = claims_frame(tmp_path, rows)
    points = timeline_points(dataset.claims)
    for limit in (1000, 10):
        assert timeline_figure(points, max_points=limit).to_json() == timeline_figure(timeline_marks(points, limit)).to_json()


def test_aggregated_marks_order_never_depends_on_the_input_order():
    """A year and its January start on the same day: the period breaks the tie (pandas and the engine agree)."""
    counts = pd.DataFrame(
        {
            "lane": ["RUS", "RUS", "RUS"],
            "period": ["2024-01", "2024", "2023-12"],
            "stance": ["oppose"] * 3,
            "statements": [1, 2, 3],
        }
    )
    ordered = finish_groups(counts)
    assert list(ordered["period"]) == ["2023-12", "2024", "2024-01"]
    pd.testing.assert_frame_equal(finish_groups(counts.iloc[::-1]), ordered)
