"""The Compare and profile figures, checked on the traces they produce (and the Overview's own-analysis bar)."""

from __future__ import annotations

import pandas as pd
import pytest

from claimscope.authors import own_analysis_label
from claimscope.figures.common import STANCE_COLOURS, STANCE_ORDER, STANCE_PATTERNS
from claimscope.figures.compare import SUBJECT_COLOURS, SUBJECT_PATTERNS, shares_figure, stance_over_time_figure
from claimscope.figures.overview import MAX_BARS, stance_by_country_figure
from claimscope.text import escape_plotly
from claimscope.views.compare import PeriodCounts, Subjects, shares, stance_over_time
from claimscope.views.overview import stance_by_country
from tests.datasets import HOSTILE_SPEAKER
from tests.test_views_core import load, row

STANCES = ["support", "oppose", "concern", "neutral", ""]


def subjects_rows(subjects: dict[str, int]) -> list[dict]:
    """``n`` statements per speaker, dated over a few months, stances cycling (the empty one is unlabelled)."""
    rows = []
    for s, (speaker, n) in enumerate(subjects.items()):
        for i in range(n):
            rows.append(row(f"{s}-{i}", f"2024-0{1 + i % 4}-1{i % 9}", speaker, "RUS", STANCES[(i + s) % 5], topics=f"t{i % 3}"))
    return rows


@pytest.mark.parametrize("sizes", [{"A": 7}, {"A": 7, "B": 3}, {"A": 2, "B": 9, "C": 4, "D": 1}])
def test_stance_over_time_one_row_per_subject_on_shared_axes(tmp_path, sizes):
    claims = load(tmp_path, subjects_rows(sizes)).claims
    subjects = Subjects("speaker", tuple(sizes))
    counts = stance_over_time(claims, subjects, "month")
    figure = stance_over_time_figure(counts, list(sizes), {s: f"label {s}" for s in sizes})
    bars = [t for t in figure.data if t.type == "bar"]
    # every statement drawn once, in the row of its subject
    for index, subject in enumerate(sizes, start=1):
        mine = [t for t in bars if t.meta["subject"] == subject]
        assert sum(sum(t.y) for t in mine) == sizes[subject]
        assert {t.yaxis for t in mine} == {"y" if index == 1 else f"y{index}"}
    # stance by colour and pattern, each stance once in the legend, in the usual order
    for trace in bars:
        assert trace.marker.color == STANCE_COLOURS[trace.name]
        assert trace.marker.pattern.shape == STANCE_PATTERNS[trace.name]
    legend = [t.name for t in bars if t.showlegend]
    assert sorted(legend, key=STANCE_ORDER.index) == sorted(set(legend), key=STANCE_ORDER.index)
    assert all(t.legendrank == 100 + STANCE_ORDER.index(t.name) for t in bars)
    # one count scale for every row: the tallest stack fits, the same range everywhere
    ranges = {tuple(figure.layout[axis].range) for axis in figure.layout if axis.startswith("yaxis")}
    assert len(ranges) == 1
    tallest = counts.counts.groupby(["subject", "start"])["statements"].sum().max()
    assert next(iter(ranges))[1] >= tallest
    assert [a.text for a in figure.layout.annotations] == [f"label {s}" for s in sizes]


def test_stance_over_time_names_the_statements_too_coarse(tmp_path):
    rows = [row("a", "2024-06-19", "A", "RUS"), row("b", "2024", "A", "RUS"), row("c", "2024", "A", "RUS")]
    counts = stance_over_time(load(tmp_path, rows).claims, Subjects("speaker", ("A",)), "month")
    figure = stance_over_time_figure(counts, ["A"])
    assert "2 dated only to the year" in figure.layout.annotations[0].text
    assert sum(sum(t.y) for t in figure.data) == 1


def test_empty_figures_say_why():
    empty = PeriodCounts(
        "month", pd.DataFrame(columns=["subject", "period", "start", "end", "stance", "statements"]), pd.Series(dtype=int)
    )
    assert "No dated statement" in stance_over_time_figure(empty, ["A"]).layout.annotations[0].text
    assert "No topics" in shares_figure(pd.DataFrame(), ["A"], noun="topics").layout.annotations[0].text


@pytest.mark.parametrize("measure", ["share", "statements"])
def test_shares_figure_one_bar_per_subject_and_value(tmp_path, measure):
    sizes = {"A": 6, "B": 3, "C": 4}
    claims = load(tmp_path, subjects_rows(sizes)).claims
    subjects = Subjects("speaker", tuple(sizes))
    table = shares(claims, subjects, "topics")
    figure = shares_figure(table, list(sizes), measure=measure)
    assert [t.meta["subject"] for t in figure.data] == list(sizes)
    for index, trace in enumerate(figure.data):
        # colour and pattern both tell the subjects apart
        assert trace.marker.color == SUBJECT_COLOURS[index] and trace.marker.pattern.shape == SUBJECT_PATTERNS[index]
        rows = table.loc[table["subject"] == trace.meta["subject"]].set_index("value")
        values = [rows.loc[v] for v in ["t0", "t1", "t2"]]
        expected = [r["share"] * 100 if measure == "share" else r["statements"] for r in values]
        assert list(trace.x) == pytest.approx(expected)
        assert list(trace.y) == ["t0", "t1", "t2"]
    assert figure.layout.showlegend is True


def test_figure_labels_are_escaped(tmp_path):
    rows = [row("h", "2024-06-19", HOSTILE_SPEAKER, "RUS", topics="x-y", about="PRK")]
    claims = load(tmp_path, rows).claims
    subjects = Subjects("speaker", (HOSTILE_SPEAKER,))
    over_time = stance_over_time_figure(stance_over_time(claims, subjects), [HOSTILE_SPEAKER], {HOSTILE_SPEAKER: HOSTILE_SPEAKER})
    assert "<i>" not in over_time.layout.annotations[0].text
    assert escape_plotly(HOSTILE_SPEAKER, limit=48) == over_time.layout.annotations[0].text
    assert all("<i>" not in t.hovertemplate for t in over_time.data)
    about = shares(claims, subjects, "about")
    figure = shares_figure(about, [HOSTILE_SPEAKER], {HOSTILE_SPEAKER: HOSTILE_SPEAKER}, {"PRK": "<b>PRK</b>"})
    assert list(figure.data[0].y) == [escape_plotly("<b>PRK</b>")]
    assert "<i>Mallory" not in figure.data[0].hovertext[0]


def test_overview_bar_of_the_own_analysis_is_named_and_last(tmp_path):
    rows = [row(f"o{i}", "2024-06", "Seed article (author)", "") for i in range(5)]
    rows += [row(f"r{i}", "2024-06-19", "Putin", "RUS") for i in range(2)]
    figure = stance_by_country_figure(stance_by_country(load(tmp_path, rows).claims))
    labels = list(figure.data[0].y)
    assert labels[0] == "RUS"  # the largest bar is not the source's own analysis any more
    assert labels[-1] == escape_plotly(own_analysis_label(["Seed article (author)"]))
    assert "(none)" not in labels


def test_overview_own_analysis_is_never_summed_into_the_others():
    codes = [f"C{i:03d}" for i in range(MAX_BARS + 5)]
    table = pd.DataFrame({"speaker_country": [*codes, "Outlet — the outlet's own analysis"]})
    for stance in STANCE_ORDER:
        table[stance] = 0
    table["support"] = [*range(len(codes), 0, -1), 1]
    table["total"] = table["support"]
    table["own_analysis"] = [False] * len(codes) + [True]
    labels = list(stance_by_country_figure(table).data[0].y)
    assert len(labels) == MAX_BARS + 1
    assert labels[-2].endswith("others") and "own analysis" in labels[-1]
