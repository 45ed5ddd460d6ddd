"""Benchmark: claimscope's own path against a straightforward baseline, in the same run (issue 6).

    .venv/bin/python bench/benchmark.py --sizes 10000 100000 1000000 [--browser] [--out bench/out]

For each size it writes a synthetic dataset (claimscope.synth, seed 7; reused when present), then times:

* the app's path, stage by stage: cold load (read, validate, type), filter options, filtering, each page's
  aggregation and figure builders, the table page, and what a page ships to the browser (figure JSON, the
  table as Arrow);
* the baseline in the same process: cached ``pd.read_csv``, plain pandas filtering, one figure with every
  point (``px.scatter``), every row shipped as Arrow.

Each warm stage is the median of ``--repeat`` runs; the ratio is baseline ÷ app per page. With ``--browser``
it also serves both apps (Streamlit on 127.0.0.1) and times, in Debian's Chromium, the cold start until the
first page is drawn, a deep link on a warm server, and a filter change. Results go to ``OUT/results.json``
and a Markdown table on stdout. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import plotly.express as px
import pyarrow as pa

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from claimscope import synth  # noqa: E402
from claimscope.dataset import country_names, load_folder  # noqa: E402
from claimscope.figures.network import matrix_figure, network_figure  # noqa: E402
from claimscope.figures.overview import stance_by_country_figure  # noqa: E402
from claimscope.figures.timeline import timeline_figure  # noqa: E402
from claimscope.filters import Filters, apply_filters, filter_options  # noqa: E402
from claimscope.overview import headline_counts, latest_reactions, most_active_speakers, stance_by_country  # noqa: E402
from claimscope.relations import centrality, layout, node_table, pair_matrix, statement_pairs, top_pairs  # noqa: E402
from claimscope.table import table_page  # noqa: E402
from claimscope.timeline import timeline_points  # noqa: E402


def timed(function: Callable, repeat: int = 1) -> tuple[float, object]:
    """Median seconds of ``repeat`` calls, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def arrow_bytes(frame: pd.DataFrame) -> int:
    """What st.dataframe ships: the frame as an Arrow IPC stream."""
    table = pa.Table.from_pandas(frame.astype({c: str for c in frame.columns if frame[c].dtype == object}), preserve_index=False)
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue().size


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def app_pages(dataset, filters: Filters) -> dict[str, Callable[[], object]]:
    """One callable per page: what the page computes and ships for a warm request."""
    names = country_names(dataset.countries)

    def claims_view():
        return apply_filters(dataset.claims, filters)

    def overview():
        claims = claims_view()
        headline_counts(dataset, claims)
        figure = stance_by_country_figure(stance_by_country(claims), names)
        tables = [most_active_speakers(claims), latest_reactions(claims)]
        return len(figure.to_json()) + sum(arrow_bytes(t) for t in tables)

    def claims_page():
        claims = claims_view()
        return arrow_bytes(table_page(claims, "date, newest first", 1))

    def timeline():
        claims = claims_view()
        figure = timeline_figure(timeline_points(claims, "country"), dataset.events)
        return len(figure.to_json())

    def relations():
        claims = claims_view()
        pairs = statement_pairs(claims)
        shown = top_pairs(pairs, 60)
        nodes = node_table(shown, None, dataset.countries)
        positions = layout(list(zip(shown["from"], shown["to"], strict=True)), list(nodes["code"]))
        network = network_figure(shown, positions, nodes, names=names)
        matrix_counts, matrix_net, rows, cols = pair_matrix(pairs, 30)
        matrix = matrix_figure(matrix_counts, matrix_net, names=names, total_rows=rows, total_cols=cols)
        centrality(pairs, names)
        return len(network.to_json()) + len(matrix.to_json())

    return {"overview": overview, "claims": claims_page, "timeline": timeline, "relations": relations}


def baseline_page(frame: pd.DataFrame, stance: str) -> int:
    """The straightforward page: filter, plot every point, ship every row."""
    shown = frame[frame["stance"] == stance]
    figure = px.scatter(shown, x="date", y="speaker_country", color="stance", hover_data=["speaker"])
    return len(figure.to_json()) + arrow_bytes(shown)


def measure(size: int, out: Path, repeat: int) -> dict:
    folder = out / f"synthetic-{size}"
    if not (folder / "claims.csv").exists():
        synth.write(folder, size, seed=7)
    result: dict = {"rows": size, "csv_mb": round((folder / "claims.csv").stat().st_size / 1e6, 1)}

    load_s, dataset = timed(lambda: load_folder(folder))
    result["app_cold_load_s"] = round(load_s, 3)
    result["problems"] = len(dataset.problems)
    result["app_options_s"] = round(timed(lambda: filter_options(dataset.claims))[0], 3)
    filters = Filters(stance=("oppose",), country=tuple(v for v, _ in filter_options(dataset.claims)["country"][:3]))
    result["app_filter_s"] = round(timed(lambda: apply_filters(dataset.claims, filters), repeat)[0], 4)
    result["filtered_rows"] = len(apply_filters(dataset.claims, filters))
    pages = app_pages(dataset, filters)
    result["app_pages"] = {}
    for name, page in pages.items():
        seconds, shipped = timed(page, repeat)
        result["app_pages"][name] = {"s": round(seconds, 3), "shipped_kb": round(int(shipped) / 1024)}

    base_load_s, frame = timed(lambda: pd.read_csv(folder / "claims.csv", dtype=str, keep_default_na=False))
    result["baseline_cold_load_s"] = round(base_load_s, 3)
    # the baseline's filter is on stance only: a lighter filter than the app's, and fewer rows to keep
    seconds, shipped = timed(lambda: baseline_page(frame, "oppose"), repeat)
    result["baseline_page"] = {"s": round(seconds, 3), "shipped_kb": round(int(shipped) / 1024)}
    result["ratio_per_page"] = {
        name: round(result["baseline_page"]["s"] / max(page["s"], 1e-6), 1) for name, page in result["app_pages"].items()
    }
    result["peak_rss_mb"] = round(rss_mb())
    return result


# ---- browser measurement -------------------------------------------------------------------------


def _free_port() -> int:
    import socket

    with contextlib.closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _serve(script: str, folder: Path) -> tuple[subprocess.Popen, int, float]:
    port = _free_port()
    env = {**os.environ, "CLAIMSCOPE_DATA_DIR": str(folder)}
    command = [sys.executable, "-m", "streamlit", "run", script, "--server.headless", "true", "--server.port", str(port)]
    command += ["--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"]
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    from tests.browser.helpers import wait_healthy

    wait_healthy(f"http://127.0.0.1:{port}", process, 300)
    return process, port, started


def _ready(page, timeout_ms: int = 600_000) -> None:
    """Streamlit's own readiness signal, then no element still waiting to be drawn."""
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=timeout_ms)
    page.wait_for_function(
        '() => document.querySelectorAll(\'[data-testid="stSkeleton"], [data-stale="true"]\').length === 0', timeout=timeout_ms
    )
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=timeout_ms)


def browser_measure(folder: Path) -> dict:
    from playwright.sync_api import sync_playwright

    from tests.browser.helpers import CHROMIUM, CHROMIUM_ARGS

    results: dict = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for label, script, links in (
            (
                "app",
                "app.py",
                ["/?stance=oppose", "/claims?stance=oppose", "/timeline?stance=oppose", "/relations?stance=oppose"],
            ),
            ("baseline", "bench/baseline_app.py", ["/?stance=oppose"]),
        ):
            process, port, started = _serve(script, folder)
            try:
                page = browser.new_page(viewport={"width": 1400, "height": 900})
                page.goto(f"http://127.0.0.1:{port}{links[0]}", timeout=600_000)
                _ready(page)
                results[f"{label}_cold_start_s"] = round(time.perf_counter() - started, 2)
                warm = {}
                for link in links:
                    fresh = browser.new_page(viewport={"width": 1400, "height": 900})
                    start = time.perf_counter()
                    fresh.goto(f"http://127.0.0.1:{port}{link}", timeout=600_000)
                    _ready(fresh)
                    warm[link] = round(time.perf_counter() - start, 2)
                    fresh.close()
                results[f"{label}_warm_link_s"] = warm
                if label == "app":
                    page.goto(f"http://127.0.0.1:{port}/claims?stance=oppose", timeout=600_000)
                    _ready(page)
                    start = time.perf_counter()
                    page.get_by_role("textbox", name="Search quotes and summaries").fill("treaty missile")
                    page.keyboard.press("Enter")
                    page.wait_for_timeout(50)
                    _ready(page)
                    results["app_filter_change_s"] = round(time.perf_counter() - start, 2)
                status = Path(f"/proc/{process.pid}/status").read_text()
                results[f"{label}_server_rss_mb"] = round(
                    int(next(row for row in status.splitlines() if row.startswith("VmHWM")).split()[1]) / 1024
                )
            finally:
                os.killpg(process.pid, 15)
                process.wait(timeout=30)
        browser.close()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--browser", action="store_true", help="also time pages in Chromium (largest size only)")
    parser.add_argument("--browser-only", action="store_true", help="only the browser measurement, merged into OUT/results.json")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "out")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    results = []
    saved = args.out / "results.json"
    if args.browser_only:
        previous = json.loads(saved.read_text()) if saved.exists() else {"sizes": []}
        browser = browser_measure(args.out / f"synthetic-{max(args.sizes)}")
        saved.write_text(json.dumps({"sizes": previous["sizes"], "browser": browser}, indent=2))
        print(markdown(previous["sizes"], browser) if previous["sizes"] else json.dumps(browser))
        return 0
    for size in args.sizes:
        # each size in a fresh process, so that peak memory is that size's own
        code = f"import json,sys; sys.path.insert(0, {str(REPO)!r}); from bench.benchmark import measure; from pathlib import Path; print(json.dumps(measure({size}, Path({str(args.out)!r}), {args.repeat})))"
        output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO).stdout
        results.append(json.loads(output.strip().splitlines()[-1]))
        print(json.dumps(results[-1]), file=sys.stderr)
    saved.write_text(json.dumps({"sizes": results, "browser": {}}, indent=2))
    browser = browser_measure(args.out / f"synthetic-{max(args.sizes)}") if args.browser else {}
    saved.write_text(json.dumps({"sizes": results, "browser": browser}, indent=2))
    print(markdown(results, browser))
    return 0


def markdown(results: list[dict], browser: dict) -> str:
    out = io.StringIO()
    pages = list(results[0]["app_pages"])
    out.write(
        "| rows | CSV MB | app cold load s | baseline read_csv s | filter s | " + " | ".join(f"{p} s (×faster)" for p in pages)
    )
    out.write(" | baseline page s | peak RSS MB |\n")
    out.write("|" + "---|" * (7 + len(pages)) + "\n")
    for r in results:
        cells = [
            f"{r['rows']:,}",
            str(r["csv_mb"]),
            str(r["app_cold_load_s"]),
            str(r["baseline_cold_load_s"]),
            str(r["app_filter_s"]),
        ]
        cells += [f"{r['app_pages'][p]['s']} (×{r['ratio_per_page'][p]})" for p in pages]
        cells += [str(r["baseline_page"]["s"]), str(r["peak_rss_mb"])]
        out.write("| " + " | ".join(cells) + " |\n")
    if browser:
        out.write("\nBrowser (largest size): " + json.dumps(browser) + "\n")
    return out.getvalue()


if __name__ == "__main__":
    raise SystemExit(main())
