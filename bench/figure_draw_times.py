"""How long Chromium takes to draw each page's figures, and what the range slider adds (no server, no Streamlit).

    .venv/bin/python bench/figure_draw_times.py DIR [DIR ...] [--cache-dir D] [--repeat 5] [--out results.json]

For each dataset folder, every deep link of the benchmark (``bench.benchmark.app_links``) is run with AppTest
and the plotly figures its page sends are kept. Each figure is then drawn in Debian's Chromium with the
plotly.js the ``plotly`` package ships (``Plotly.newPlot`` until the next frame), ``--repeat`` times; the median
of the draws after the first is reported, with the points its traces draw. A chart of lanes over dates is drawn
a second time with its range slider switched the other way (``claimscope.figures.timeline.MAX_SLIDER_POINTS``
decides it in the app), and the trivial app's figure (``bench/trivial_app.py``) is drawn in the same run as the
baseline. ``bench/engine_benchmark.py`` measures what an analyst waits for on a page; this says how
much of a page's drawing each figure is. Not part of the test suite.
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


def figures_of(at) -> list[dict]:
    """The plotly figures (their JSON) an AppTest run sent."""
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


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


def points(spec: dict) -> int:
    return sum(len(trace.get("x") or trace.get("y") or []) for trace in spec.get("data", []))


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
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    os.environ["CLAIMSCOPE_CACHE_DIR"] = str(args.cache_dir.resolve())
    results = {"plotly_js": PLOTLY_JS.name, "baseline": draw_times(trivial_figures(), args.repeat)}
    for folder in args.folders:
        print(f"# {folder}", flush=True)
        results[folder.resolve().name] = draw_times(page_figures(folder.resolve()), args.repeat)
    if args.out:
        args.out.write_text(json.dumps(results, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
