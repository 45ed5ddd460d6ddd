"""Two versions of the app (and the trivial app) side by side in the same run: links on warm servers, or restarts.

    .venv/bin/python bench/versions_ab.py links --apps BASE NEW [NEW:bench/trivial_app.py] --data DIR --cache D
        [--links relations actor] [--rounds 3] [--work] [--profile] [--out FILE]
    .venv/bin/python bench/versions_ab.py restart --apps BASE NEW --data DIR --cache D [D2 ...] [--rounds 4] [--out FILE]

An app is a checkout of the repository (``git worktree add --detach ../base HEAD~1``, say) and, after a colon, its
script (``app.py`` unless said). Machines like this one change speed by a tenth to a third from one hour to the next;
:mod:`bench.engine_benchmark` compares the app to the trivial app in the same run for that reason, and this script
does the same for two versions of the app: every measurement alternates between them, in an order reversed each
round, on the same dataset folder and cache root (an entry both versions can read: the cache's loader fingerprint
is the same when the loader did not change). ``--cache`` may instead name one cache root per app (copies of one
entry): a version keeps some answers in its entry under one name (the sidebar's options), and two versions sharing
an entry would replace each other's at every start, so that each start of either asks again what a real restart
reads back.

``links``: each app is served once; every link (the same as ``engine_benchmark``'s, whose subjects are asked of the
cache) is opened once on each server to warm it, then ``--rounds`` times per app, each in a fresh browser context,
timed from the navigation to the page drawn (Streamlit's ``data-test-script-state`` back to ``notRunning``, no
element stale or skeleton). ``restart``: each round starts each app's server and times it from the process's start
to the first page drawn (the first round is a warm-up: the OS's file cache, Python's bytecode, and a cache entry's
kept answers written by the first start). Medians and every run go to stdout and, with ``--out``, to JSON. Not part
of the test suite.

``links --work`` also records, for every opening, what the browser did: the busy time of the page's main thread
(Chromium's trace, ``RunTask`` on ``CrRendererMain``; tracing slows the page a little, the same for every app), and
every ``Plotly.react`` call (how many, and their synchronous time). The main thread's busy time varies less
from one hour to the next than the wall time, and it is where a page's figures and tables cost. Each draw is kept
with the width it asked for: Streamlit draws a chart once before it has measured the chart's box (no width) and
again with the measured width. ``links --profile`` records a sampling CPU profile of every opening (Chromium's
``Profiler`` domain) and sums its self time by script (a bundle's name without its hash: ``PlotlyChart.js``,
``react-dom.js``, ``emotion-styled.browser.esm.js``, …) and by V8's own entries, so that two apps' pages can be
compared part by part.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.benchmark import _errors, _free_port, _opened, app_links, compile_app, load_average  # noqa: E402
from bench.engine_benchmark import choose_subjects  # noqa: E402


def parse_app(value: str) -> tuple[str, Path, str]:
    """``DIR[:SCRIPT]`` -> (label, checkout, script)."""
    folder, _, script = value.partition(":")
    script = script or "app.py"
    label = Path(folder).resolve().name + ("" if script == "app.py" else f":{Path(script).stem}")
    return label, Path(folder).resolve(), script


def start(checkout: Path, script: str, data: Path, cache: Path, log: Path) -> tuple[subprocess.Popen, str]:
    from tests.browser.helpers import wait_healthy

    compile_app(checkout)  # what a first start writes and a restart reads (bench.benchmark.compile_app)
    port = _free_port()
    env = {**os.environ, "CLAIMSCOPE_DATA_DIR": str(data), "CLAIMSCOPE_CACHE_DIR": str(cache)}
    command = [sys.executable, "-m", "streamlit", "run", script, "--server.headless", "true", "--server.port", str(port)]
    command += ["--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"]
    with log.open("wb") as sink:
        process = subprocess.Popen(command, cwd=checkout, env=env, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True)
    wait_healthy(f"http://127.0.0.1:{port}", process, 900)
    return process, f"http://127.0.0.1:{port}"


def stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, 15)
    process.wait(timeout=60)


#: wraps Plotly's drawing calls as soon as Streamlit's chart bundle defines ``window.Plotly``: their count and time
COUNT_DRAWS = """
window.__draws = [];
let plotly;
Object.defineProperty(window, 'Plotly', {configurable: true, get() { return plotly; }, set(value) {
  plotly = value;
  for (const name of ['react', 'newPlot', 'relayout', 'restyle', 'update', 'redraw']) {
    const call = value[name];
    if (!call) continue;
    value[name] = function (...args) {
      const started = performance.now();
      const result = call.apply(this, args);
      // the width the call asks for (unset: plotly.js sizes the chart to its box; Streamlit sets it once measured)
      const layout = (args[1] && args[1].layout) || args[2] || {};  // (gd, figure) or (gd, data, layout)
      window.__draws.push([name, performance.now() - started, layout.width || null]);
      return result;
    };
  }
}});
"""
TRACE_CATEGORIES = ["devtools.timeline", "disabled-by-default-devtools.timeline"]
#: a bundle's name without its content hash (``react-dom.Dzbslgj4.js`` -> ``react-dom.js``), so that two runs and two
#: apps name the same script alike
HASHED_SCRIPT = re.compile(r"\.[A-Za-z0-9_-]{8}\.js$")


def cpu_by_script(profile: dict) -> dict[str, float]:
    """A V8 sampling profile's self time (ms) by the script that ran, or by V8's own entries (``(program)``: the
    engine outside any script, parsing and compiling among it; ``(garbage collector)``; ``(idle)``)."""
    nodes = {node["id"]: node["callFrame"] for node in profile["nodes"]}
    spent: dict[str, float] = {}
    for node_id, delta_us in zip(profile.get("samples", []), profile.get("timeDeltas", []), strict=True):
        frame = nodes[node_id]
        name = (
            HASHED_SCRIPT.sub(".js", frame["url"].rsplit("/", 1)[-1]) if frame["url"] else frame["functionName"] or "(anonymous)"
        )
        spent[name] = spent.get(name, 0.0) + delta_us / 1000
    return {name: round(ms, 1) for name, ms in sorted(spent.items(), key=lambda item: -item[1])}


def main_thread_busy_ms(trace: bytes) -> float:
    """The page's main thread's busy time in a Chromium trace: its ``RunTask`` events (the longest such thread
    of the renderers)."""
    events = json.loads(trace)["traceEvents"]
    renderer = {
        (e["pid"], e["tid"])
        for e in events
        if e.get("ph") == "M" and e.get("name") == "thread_name" and e["args"].get("name") == "CrRendererMain"
    }
    busy: dict = {}
    for e in events:
        if e.get("name") == "RunTask" and e.get("ph") == "X" and (e["pid"], e["tid"]) in renderer:
            busy[(e["pid"], e["tid"])] = busy.get((e["pid"], e["tid"]), 0) + e.get("dur", 0) / 1000
    return round(max(busy.values(), default=0.0), 1)


def open_timed(browser, url: str, work: bool = False, profile: bool = False) -> tuple[float, list[str], dict]:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    if work:
        page.add_init_script(COUNT_DRAWS)
        browser.start_tracing(page=page, categories=TRACE_CATEGORIES)
    if profile:
        session = context.new_cdp_session(page)
        session.send("Profiler.enable")
        session.send("Profiler.setSamplingInterval", {"interval": 200})
        session.send("Profiler.start")
    started = time.perf_counter()
    page.goto(url, timeout=900_000)
    _opened(page, 900_000)
    seconds = time.perf_counter() - started
    errors = _errors(page)
    done: dict = {}
    if work:
        draws = page.evaluate("window.__draws")
        done = {
            "busy_ms": main_thread_busy_ms(browser.stop_tracing()),
            "draws": len(draws),
            "draw_ms": round(sum(ms for _, ms, _ in draws), 1),
            "each_draw": [[name, round(ms, 1), width] for name, ms, width in draws],
        }
    if profile:
        done["cpu_ms_by_script"] = cpu_by_script(session.send("Profiler.stop")["profile"])
    context.close()
    return seconds, errors, done


def alternating(labels: list[str], round_index: int) -> list[str]:
    return labels if round_index % 2 == 0 else list(reversed(labels))


def links(browser, apps: list[tuple[str, Path, str]], args, logs: Path) -> dict:
    chosen = choose_subjects(args.data, args.cache[0])
    wanted = app_links({**chosen, "mid_ranked": chosen["most_active"], "actors": []})
    if args.links:
        wanted = {name: link for name, link in wanted.items() if name in args.links}
    servers = {}
    times: dict[str, dict[str, list[float]]] = {label: {name: [] for name in wanted} for label, _, _ in apps}
    work: dict[str, dict[str, list[dict]]] = {label: {name: [] for name in wanted} for label, _, _ in apps}
    errors: dict[str, list[str]] = {}
    try:
        for label, checkout, script in apps:
            servers[label] = start(checkout, script, args.data, args.cache_of[label], logs / f"{label}.log")
        for label in servers:  # every link once: the engine's first reads and kept answers, plotly's first load
            for link in wanted.values():
                open_timed(browser, servers[label][1] + link)
        for round_index in range(args.rounds):
            for name, link in wanted.items():
                for label in alternating(list(servers), round_index):
                    seconds, shown, done = open_timed(browser, servers[label][1] + link, args.work, args.profile)
                    times[label][name].append(round(seconds, 3))
                    work[label][name].append(done)
                    if shown:
                        errors[f"{label} {name}"] = shown
    finally:
        for process, _ in servers.values():
            stop(process)
    for name in wanted:
        print(f"{name:18s} " + "  ".join(f"{label}: {statistics.median(times[label][name]):.2f}" for label in times))
        if args.work:
            print(
                " " * 19
                + "  ".join(
                    f"{label}: busy {statistics.median(d['busy_ms'] for d in work[label][name]):.0f} ms, "
                    f"{statistics.median(d['draws'] for d in work[label][name]):.0f} draws in "
                    f"{statistics.median(d['draw_ms'] for d in work[label][name]):.0f} ms"
                    for label in work
                )
            )
        if args.profile:
            print(" " * 19 + "CPU ms by script (median of the rounds; the largest, and their sum):")
            for label in work:
                runs = [d["cpu_ms_by_script"] for d in work[label][name]]
                scripts = {script for run in runs for script in run}
                median = {script: statistics.median(run.get(script, 0.0) for run in runs) for script in scripts}
                top = sorted(median.items(), key=lambda item: -item[1])[:8]
                total = statistics.median(sum(v for k, v in run.items() if k != "(idle)") for run in runs)
                print(" " * 21 + f"{label}: busy {total:.0f} ms; " + ", ".join(f"{k} {v:.0f}" for k, v in top))
    return {"links": wanted, "seconds": times, "errors": errors} | ({"work": work} if args.work or args.profile else {})


def restarts(browser, apps: list[tuple[str, Path, str]], args, logs: Path) -> dict:
    times: dict[str, list[float]] = {label: [] for label, _, _ in apps}
    errors: dict[str, list[str]] = {}
    by_label = {label: (checkout, script) for label, checkout, script in apps}
    for round_index in range(args.rounds + 1):
        for label in alternating(list(by_label), round_index):
            checkout, script = by_label[label]
            started = time.perf_counter()
            process, base = start(checkout, script, args.data, args.cache_of[label], logs / f"{label}-restart.log")
            try:
                context = browser.new_context(viewport={"width": 1400, "height": 900})
                page = context.new_page()
                page.goto(base + "/", timeout=900_000)
                _opened(page, 900_000)
                seconds = time.perf_counter() - started
                if _errors(page):
                    errors[label] = _errors(page)
                context.close()
            finally:
                stop(process)
            if round_index:  # the first round warms
                times[label].append(round(seconds, 3))
    for label, values in times.items():
        print(f"{label}: median {statistics.median(values):.2f} s ({', '.join(f'{v:.2f}' for v in values)})")
    return {"seconds": times, "errors": errors}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("what", choices=["links", "restart"])
    parser.add_argument("--apps", nargs="+", required=True, help="DIR[:SCRIPT], a checkout and its script (app.py)")
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument(
        "--cache",
        type=Path,
        nargs="+",
        required=True,
        help="one cache root for every app, or one per app in --apps order (copies of one entry: answers each version "
        "keeps in its entry under one name, such as the sidebar's options, would otherwise be replaced at each start)",
    )
    parser.add_argument("--links", nargs="*", help="link names of engine_benchmark (default: all ten)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--work", action="store_true", help="links: also the main thread's busy time and Plotly's draws")
    parser.add_argument(
        "--profile", action="store_true", help="links: also a CPU profile of each opening, its self time by script"
    )
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    from tests.browser.helpers import CHROMIUM, CHROMIUM_ARGS

    apps = [parse_app(value) for value in args.apps]
    if len({label for label, _, _ in apps}) < len(apps):  # two checkouts of one name: number them
        apps = [(f"{index}:{label}", checkout, script) for index, (label, checkout, script) in enumerate(apps)]
    if len(args.cache) not in (1, len(apps)):
        parser.error("--cache: one cache root, or one per app")
    args.cache_of = {label: args.cache[min(index, len(args.cache) - 1)] for index, (label, _, _) in enumerate(apps)}
    logs = Path(os.environ.get("TMPDIR", "/tmp")) / "claimscope-versions-ab"
    logs.mkdir(parents=True, exist_ok=True)
    result: dict = {"what": args.what, "apps": [f"{c}:{s}" for _, c, s in apps], "data": str(args.data)}
    result["caches"] = {label: str(path) for label, path in args.cache_of.items()}
    result["load_average_start"] = load_average()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            result |= (links if args.what == "links" else restarts)(browser, apps, args, logs)
        finally:
            browser.close()
    result["load_average_end"] = load_average()
    if args.out:
        args.out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
