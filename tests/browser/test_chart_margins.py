"""Charts are drawn once: the margins the figure builders reserve hold the axes' labels.

The theme lets every axis push its margin to fit its tick labels and title (Plotly's ``automargin``); a push lays
out and draws the whole figure a second time. :func:`claimscope.figures.common.fit_margins` reserves the room from
the labels' widths (and the figures with a legend above or a colour bar beside them leave room for it), so that
Plotly has nothing to push. What Plotly drew (``_fullLayout._size``) is compared with the margins the figure asked
for (``_fullLayout.margin``), on every side. Not covered: the bottom of a chart with a range slider (placed below
whatever margin there is, it always pushes). An axis whose labels fit_margins measures exactly has ``automargin``
off (Plotly then measures nothing and pushes nothing): every tick label must then lie inside the chart's box.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.browser.helpers import assert_no_error, open_page

#: per chart: how far Plotly pushed each margin beyond the figure's own, and whether a range slider is shown
PUSHES = """
() => [...document.querySelectorAll('.js-plotly-plot')].map((gd) => {
  const margin = gd._fullLayout.margin, drawn = gd._fullLayout._size;
  const slider = !!(gd._fullLayout.xaxis && gd._fullLayout.xaxis.rangeslider && gd._fullLayout.xaxis.rangeslider.visible);
  return {l: drawn.l - margin.l, r: drawn.r - margin.r, t: drawn.t - margin.t, b: drawn.b - margin.b, slider: slider};
})
"""

#: per chart: the tick labels drawn (even in part) outside the chart's own box, which the browser clips
CLIPPED = """
() => [...document.querySelectorAll('.js-plotly-plot')].flatMap((gd, number) => {
  const chart = gd.querySelector('.main-svg').getBoundingClientRect();
  return [...gd.querySelectorAll('.xtick text, .ytick text')]
    .map((label) => [label, label.getBoundingClientRect()])
    .filter(([, box]) => box.width > 0 && (box.left < chart.left - 1 || box.right > chart.right + 1
      || box.top < chart.top - 1 || box.bottom > chart.bottom + 1))
    .map(([label]) => [number, label.textContent]);
})
"""

LINKS = [
    "/",
    "/timeline",
    "/timeline?view=trends",
    "/timeline?view=cascade",
    "/timeline?view=latency",
    "/claims?claim=seed-012&detail=Reaction+cascade",
    f"/actor?speaker={quote('Vladimir Putin')}",
    f"/actor?speaker={quote('Vladimir Putin')}&section=Topics+and+countries",
    "/compare?country=RUS&country=PRK",
    "/compare?country=RUS&country=PRK&panel=Topics",
    "/compare?country=RUS&country=PRK&panel=Reaction+latency",
    "/relations",
    "/relations?chart=Curated+relations",
    "/relations?chart=Matrix",
    "/relations?chart=Map",
    "/relations?chart=Focus+on+one+country",
]


@pytest.mark.parametrize("link", LINKS)
def test_every_chart_is_drawn_without_a_margin_push(data_server, page, link):
    open_page(page, data_server, link)
    assert_no_error(page)
    page.wait_for_function(
        "() => document.querySelectorAll('.js-plotly-plot').length > 0 && "
        "[...document.querySelectorAll('.js-plotly-plot')].every((gd) => gd._fullLayout && gd._fullLayout._size)",
        polling=100,
    )
    pushes = page.evaluate(PUSHES)
    for number, pushed in enumerate(pushes):
        assert pushed["l"] <= 0 and pushed["r"] <= 0 and pushed["t"] <= 0, (link, number, pushed)
        assert pushed["slider"] or pushed["b"] <= 0, (link, number, pushed)
    assert page.evaluate(CLIPPED) == [], link
