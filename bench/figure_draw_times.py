"""How long Chromium takes to draw each page's figures, and what the range slider adds (no server, no Streamlit).

    .venv/bin/python bench/figure_draw_times.py DIR [DIR ...] [--cache-dir D] [--repeat 5] [--second-draw]
        [--out results.json]

For each dataset folder, every deep link of the benchmark (``bench.benchmark.app_links``) is run with AppTest
and the plotly figures its page sends are kept. Each figure is then drawn in Debian's Chromium with the
plotly.js the ``plotly`` package ships (``Plotly.newPlot`` until the next frame), ``--repeat`` times; the median
of the draws after the first is reported, with the points its traces draw. A chart of lanes over dates is drawn
a second time with its range slider switched the other way (``claimscope.figures.timeline.MAX_SLIDER_POINTS``
decides it in the app), and the trivial app's figure (``bench/trivial_app.py``) is drawn in the same run as the
baseline. ``bench/engine_benchmark.py`` measures what an analyst waits for on a page; this says how
much of a page's drawing each figure is. Not part of the test suite.

``--second-draw`` draws each figure as Streamlit 1.67's chart element does instead: a first ``Plotly.react`` of a
JSON copy of the figure, then, once the element is mounted, a second one of a JSON copy of that state (after
plotly.js has written into it) with the width it measured, and times both. It does so for the figure as sent and
for copies changed as :func:`second_draw_variants` says, to find what makes plotly.js redraw every mark the
second time when nothing drawn has changed. Since stop 25 the app sends its figures with all five changes
(``claimscope.figures.browser``), so the copies that put one back find nothing to put back: to see each one
matter, run this from a checkout before ``995fa54``, as ``bench/second-draw-2026-11-30-threads-1m.json`` was.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import statistics
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.benchmark import app_links  # noqa: E402
from bench.page_server_times import open_link  # noqa: E402
from claimscope.figures.browser import SELECTION_MODES, plain_arrays, with_defaults  # noqa: E402

PLOTLY_JS = Path(__import__("plotly").__file__).parent / "package_data" / "plotly.min.js"
#: the map's topojson is served to the page from the repository (the app serves it from static/)
LOCAL = "http://claimscope.local/"
DRAW = """async ([spec, topojson]) => {
  const d = document.getElementById('chart');
  Plotly.purge(d);
  const start = performance.now();
  await Plotly.newPlot(d, spec.data, spec.layout, {topojsonURL: topojson});
  await new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)));
  return performance.now() - start;
}"""


#: Streamlit's chart element: its state is a JSON copy of the figure, drawn without a width; once mounted, it themes
#: a JSON copy of that state (which plotly.js has written into) and sets the width it measured
#: a chart that takes point selections gets, in that second figure, the click, hover and drag modes Streamlit gives it
#: when its layout has none
SECOND_DRAW = """async ([spec, modes]) => {
  const d = document.getElementById('chart');
  Plotly.purge(d);
  const state = JSON.parse(JSON.stringify(spec));
  const first = performance.now();
  await Plotly.react(d, {data: state.data, layout: state.layout, config: {}});
  const firstMs = performance.now() - first;
  const next = JSON.parse(JSON.stringify({data: state.data, layout: state.layout}));
  next.layout = {...next.layout, width: d._fullLayout.width};
  for (const [name, value] of Object.entries(modes)) next.layout[name] = spec.layout[name] || value;
  const second = performance.now();
  await Plotly.react(d, {data: next.data, layout: next.layout, config: {}});
  return [firstMs, performance.now() - second];
}"""


#: the key under which :func:`figures_of` notes that a chart takes point selections (not part of the figure)
SELECTABLE = "_selectable"


def figures_of(at) -> list[dict]:
    """The plotly figures (their JSON) an AppTest run sent; a chart that takes point selections is marked
    ``SELECTABLE`` (its element, not its figure, says so)."""
    figures = []
    for chart in at.get("plotly_chart"):
        figure = json.loads(chart.proto.spec)
        if chart.proto.selection_mode:
            figure[SELECTABLE] = True
        figures.append(figure)
    return figures


def trivial_figures() -> dict[str, list[dict]]:
    """The trivial app's figure (every page of it draws the same one)."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(REPO / "bench" / "trivial_app.py"), default_timeout=600)
    at.run()
    return {"trivial app": figures_of(at)}


def page_figures(folder: Path) -> dict[str, list[dict]]:
    """The plotly figures each deep link's page sends on the dataset ``folder``, by link label."""
    from bench.engine_benchmark import choose_subjects

    os.environ["CLAIMSCOPE_DATA_DIR"] = str(folder)
    chosen = choose_subjects(folder, Path(os.environ["CLAIMSCOPE_CACHE_DIR"]))
    links = app_links({**chosen, "mid_ranked": chosen["most_active"], "actors": []})
    return {label: figures_of(open_link(link)) for label, link in links.items()}


def variants(spec: dict) -> list[tuple[str, dict]]:
    """The figure as sent and, when it has a range slider, the same figure without it."""
    out = [("as sent", spec)]
    if spec.get("layout", {}).get("xaxis", {}).get("rangeslider", {}).get("visible"):
        other = copy.deepcopy(spec)
        other["layout"]["xaxis"]["rangeslider"]["visible"] = False
        out.append(("without its range slider", other))
    elif spec.get("layout", {}).get("xaxis", {}).get("rangeselector"):
        other = copy.deepcopy(spec)
        other["layout"]["xaxis"].setdefault("rangeslider", {})["visible"] = True
        out.append(("with a range slider", other))
    return out


def second_draw_variants(spec: dict) -> list[tuple[str, dict]]:
    """The figure as sent, and copies: plain arrays, a ``layout.datarevision``, no template, no ``meta`` (layout
    or trace) and, on a chart that takes selections, Streamlit's click, hover and drag modes in its own layout,
    all at once; then the same with one of these put back."""

    def changed(
        plain: bool = True, revision: bool = True, template: bool = False, meta: bool = False, modes: bool = True
    ) -> dict:
        figure = plain_arrays(spec) if plain else copy.deepcopy(spec)
        layout = figure.setdefault("layout", {})
        if modes and spec.get(SELECTABLE):
            layout.update(with_defaults(layout, SELECTION_MODES))
        if revision:
            layout["datarevision"] = "1"
        if not template:
            layout.pop("template", None)
        if not meta:
            layout.pop("meta", None)
            for trace in figure.get("data", []):
                trace.pop("meta", None)
        return figure

    return [
        ("as sent", spec),
        ("plain arrays, datarevision, no template, no meta", changed()),
        ("the same with typed arrays", changed(plain=False)),
        ("the same without datarevision", changed(revision=False)),
        ("the same with the template", changed(template=True)),
        ("the same with meta", changed(meta=True)),
        ("the same without the selection modes", changed(modes=False)),
    ]


def second_draw_times(figures: dict[str, list[dict]], repeat: int) -> list[dict]:
    """Both of Streamlit's draws of each figure (:data:`SECOND_DRAW`), for each of :func:`second_draw_variants`."""
    from playwright.sync_api import sync_playwright

    from tests.browser.helpers import CHROMIUM, CHROMIUM_ARGS

    rows = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.set_content("<div id='chart' style='width: 940px'></div>")
        page.add_script_tag(path=str(PLOTLY_JS))
        for label, specs in figures.items():
            for index, spec in enumerate(specs):
                if any(trace.get("type") == "scattergeo" for trace in spec.get("data", [])):
                    continue  # the map needs its topojson served: draw_times covers it
                for variant, drawn in second_draw_variants(spec):
                    drawn = {key: value for key, value in drawn.items() if key != SELECTABLE}
                    # Streamlit's modes, given to the second figure of a chart that takes selections
                    arguments = [drawn, SELECTION_MODES if spec.get(SELECTABLE) else {}]
                    times = [page.evaluate(SECOND_DRAW, arguments) for _ in range(max(2, repeat))]
                    row = {
                        "link": label,
                        "figure": index,
                        "selectable": bool(spec.get(SELECTABLE)),
                        "variant": variant,
                        "points": points(drawn),
                        "first_ms": round(statistics.median(first for first, _ in times[1:])),
                        "second_ms": round(statistics.median(second for _, second in times[1:])),
                    }
                    rows.append(row)
                    print(json.dumps(row), flush=True)
        browser.close()
    return rows


def points(spec: dict) -> int:
    """The points a figure's traces draw (a typed-array spec counted by its values, not its two keys)."""
    return sum(len(trace.get("x") or trace.get("y") or []) for trace in plain_arrays(spec).get("data", []))


def draw_times(figures: dict[str, list[dict]], repeat: int) -> list[dict]:
    from playwright.sync_api import sync_playwright

    from tests.browser.helpers import CHROMIUM, CHROMIUM_ARGS

    rows = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.route(
            LOCAL + "**",
            lambda route: route.fulfill(path=str(REPO / "static" / "topojson" / route.request.url.rsplit("/", 1)[-1])),
        )
        page.set_content("<div id='chart' style='width: 1300px'></div>")
        page.add_script_tag(path=str(PLOTLY_JS))
        for label, specs in figures.items():
            for index, spec in enumerate(specs):
                for variant, drawn in variants(spec):
                    times = [page.evaluate(DRAW, [drawn, LOCAL]) for _ in range(max(2, repeat))]
                    row = {
                        "link": label,
                        "figure": index,
                        "variant": variant,
                        "traces": len(drawn.get("data", [])),
                        "points": points(drawn),
                        "first_ms": round(times[0]),
                        "ms": round(statistics.median(times[1:])),
                    }
                    rows.append(row)
                    print(json.dumps(row), flush=True)
        browser.close()
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", type=Path, nargs="+")
    parser.add_argument("--cache-dir", type=Path, default=Path("/tmp/claimscope-figure-times"))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--second-draw", action="store_true", help="both of Streamlit's draws, and what changes the second")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    os.environ["CLAIMSCOPE_CACHE_DIR"] = str(args.cache_dir.resolve())
    measure = second_draw_times if args.second_draw else draw_times
    results = {"plotly_js": PLOTLY_JS.name, "mode": "second draw" if args.second_draw else "draw"}
    results["baseline"] = measure(trivial_figures(), args.repeat)
    for folder in args.folders:
        print(f"# {folder}", flush=True)
        results[folder.resolve().name] = measure(page_figures(folder.resolve()), args.repeat)
    if args.out:
        args.out.write_text(json.dumps(results, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
