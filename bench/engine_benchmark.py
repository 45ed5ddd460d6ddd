"""Benchmark of the query engine (issue 10): ingest, restart, every page from a link against the trivial app,
a filter change, the server's memory, 30 concurrent sessions and uploads at the size limit.

    .venv/bin/python bench/engine_benchmark.py --sizes 10000 100000 1000000 10000000 [--generators synth threads]
        [--out bench/out] [--data-root DIR] [--repeat 3] [--passes 1] [--no-sessions] [--no-uploads | --only-uploads]

For each generator (``synth``: claimscope.synth, seed 7; ``threads``: claimscope.synth_threads, seed 11) and
size (above 1M, synth only, written as batches of 1M with seeds 7, 8 … and ids renumbered), with a fresh cache root (``$CLAIMSCOPE_CACHE_DIR``) of its own:

1. **first start**: ``python -m claimscope ingest DIR`` in a new process (read, validate, write the Parquet
   cache): wall time, the process's peak memory (``ru_maxrss`` from ``os.wait4``) and the peak of the memory
   of it and its workers together (a large claims.csv is parsed and validated by one process per core,
   ``$CLAIMSCOPE_INGEST_WORKERS``; bench/ingest_processes.py compares the numbers); then the same command
   again (the cache is current: what a restart costs before the server opens the engine);
2. **restart**: ``streamlit run app.py`` on the cached folder, from the process's start to the first page drawn
   in Chromium (Streamlit's ``data-test-script-state="notRunning"``), and the same for the trivial app. As after
   any earlier use of the cache, the unfiltered Overview's answers are then kept in the entry (written by step 4's
   server run, which runs before the browser; ``CacheEntry.kept_result``), and so are the filter options;
3. **every page from a link** (a fresh browser context per link, warm server), for the app and for
   bench/trivial_app.py (the same navigation and links, one small chart and table a page: what Streamlit and this
   browser cost here), and their difference; and for bench/trivial_sidebar_app.py (the trivial app with claimscope's
   sidebar widgets: what Streamlit costs for them, a diagnostic beside the targets' reference). ``link_s`` is the
   link's first opening, which pays every query of the page; ``link_again_s`` the median of the ``--repeat`` − 1
   openings after it, which find the answers the engine kept. With ``--passes K`` (since stop 31), the restart and
   the first openings are done K times, each on servers started anew over the entry as the first pass found it,
   the three apps taking turns, and their medians are reported (each pass's beside them): one opening is one
   sample of a wait that varies by a few tenths of a second, and the targets compare a link with the trivial app's.
   Beside them, ``page_server``: each link's whole script run on the server and the part of it in the engine
   (bench/page_server_times.py, AppTest, no kept answers in memory or in the entry), the server's share of the wait.
   A link's first opening here may read its unfiltered view's answers from the entry when the restart's server or
   step 4's kept them (the Overview's);
4. **a filter change** (pick a stance in the sidebar): in the browser, app and trivial app; and the server's
   own time for it: the whole script run of the Overview (AppTest, in a process of its own) for five stance
   filters it has not been asked before (the median), and a rerun with nothing changed (its answers kept);
5. the app server's **peak memory** (``VmHWM``) after all of that;
6. **30 concurrent sessions** (at the size nearest 1M of each generator, unless ``--no-sessions``): thirty browser
   contexts kept open, each on a link filtered to another speaker, each checked to show that speaker's count;
   the server's resident memory after the first session and after the thirtieth gives the cost of a session;
7. **uploads at the limit** (once, unless ``--no-uploads``; ``--only-uploads`` runs nothing else): a claims.csv just
   under 200 MB uploaded on the Data page; the server's resident memory sampled every 50 ms gives its peak above
   the idle server, and read 3 s after, what it still holds; then three such uploads at once while a fourth session
   opens the Claims page, which must still be drawn. The same file uploaded first to bench/trivial_upload_app.py
   (a file uploader and nothing else) says what Streamlit alone costs.

Results go to ``OUT/engine-results.json`` and Markdown tables on stdout. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.benchmark import (  # noqa: E402
    GENERATORS,
    _caption_matches,
    _errors,
    _free_port,
    _opened,
    _ready,
    app_links,
    compile_app,
    load_average,
)

#: Streamlit's uploader counts ``server.maxUploadSize = 200`` in decimal megabytes (a 208.7 MB file is refused)
UPLOAD_LIMIT_BYTES = 200 * 1000 * 1000
SESSIONS = 30
SESSIONS_AT_ROWS = 1_000_000


# ---- processes and memory ---------------------------------------------------------------------------


def run_measured(command: list[str], env: dict) -> dict:
    """Run a command to its end: wall seconds, its peak resident memory (MB) and its exit code.

    ``peak_mb`` is the largest single process (``ru_maxrss``); ``tree_peak_mb`` the largest sum over the
    process and its descendants, sampled every 50 ms: what an ingest in several processes holds at once.
    """
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    sampler = RssSampler(process.pid, tree=True).start()
    output = process.stdout.read().decode("utf-8", errors="replace") if process.stdout else ""
    tree_peak = sampler.stop()
    _, status, usage = os.wait4(process.pid, 0)
    return {
        "s": round(time.perf_counter() - started, 2),
        "peak_mb": round(usage.ru_maxrss / 1024),
        "tree_peak_mb": tree_peak,
        "exit": os.waitstatus_to_exitcode(status),
        "tail": output.strip().splitlines()[-1:] if output else [],
    }


def descendants(pid: int) -> list[int]:
    """The process ids below ``pid`` (its children, theirs, ...), from /proc."""
    found, todo = [], [pid]
    while todo:
        parent = todo.pop()
        for children in Path(f"/proc/{parent}/task").glob("*/children"):
            try:
                kids = [int(k) for k in children.read_text().split()]
            except OSError:
                continue
            found.extend(kids)
            todo.extend(kids)
    return found


def tree_rss_mb(pid: int) -> int:
    """``VmRSS`` of a process and its descendants, MB (a process gone meanwhile counts 0)."""
    total = 0
    for member in [pid, *descendants(pid)]:
        try:
            total += status_mb(member, "VmRSS")
        except OSError:
            pass
    return total


def status_mb(pid: int, key: str) -> int:
    """``VmRSS`` (now) or ``VmHWM`` (peak) of a process, MB."""
    for row in Path(f"/proc/{pid}/status").read_text().splitlines():
        if row.startswith(key):
            return round(int(row.split()[1]) / 1024)
    return 0


class RssSampler:
    """Samples a process's resident memory every 50 ms from start() to stop(): the peak over that window
    (``tree``: of the process and its descendants together)."""

    def __init__(self, pid: int, tree: bool = False) -> None:
        self.pid, self.peak, self._stop = pid, 0, threading.Event()
        self._measure = tree_rss_mb if tree else (lambda pid: status_mb(pid, "VmRSS"))
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._measure(self.pid))
            time.sleep(0.05)

    def start(self) -> RssSampler:
        self._thread.start()
        return self

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


def serve(script: str, folder: Path, cache_root: Path, log: Path) -> tuple[subprocess.Popen, str, float]:
    """Start ``streamlit run script`` on ``folder`` with the cache root; returns the process, its URL, its start time."""
    from tests.browser.helpers import wait_healthy

    compile_app()  # what a first start writes and a restart reads (bench.benchmark.compile_app)
    port = _free_port()
    env = {**os.environ, "CLAIMSCOPE_DATA_DIR": str(folder), "CLAIMSCOPE_CACHE_DIR": str(cache_root)}
    command = [sys.executable, "-m", "streamlit", "run", script, "--server.headless", "true", "--server.port", str(port)]
    command += ["--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"]
    log.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    with log.open("wb") as sink:
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True)
    wait_healthy(f"http://127.0.0.1:{port}", process, 600)
    return process, f"http://127.0.0.1:{port}", started


def stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, 15)
    process.wait(timeout=60)


# ---- what the links open ----------------------------------------------------------------------------------


def choose_subjects(folder: Path, cache_root: Path) -> dict:
    """The links' subjects, asked of the engine over the cache (no pandas frame of every claim, at any size).

    The most active speaker (actor profile), the two most active speaker countries (compare), the node with the
    most direct reactions and its most answered direct reaction (claim detail), the count of ``stance=oppose``,
    and thirty speakers with their counts (one per concurrent session).
    """
    os.environ["CLAIMSCOPE_CACHE_DIR"] = str(cache_root)
    import ibis
    from ibis import _

    from claimscope.engine.cache import ingest
    from claimscope.engine.connection import Engine

    engine = Engine.duckdb(ingest(folder))
    claims = engine.claims
    by_count = [ibis.desc("n")]
    speakers = engine.to_frame(claims.group_by("speaker").agg(n=_.count()).order_by([*by_count, "speaker"]), limit=None)
    countries = engine.to_frame(
        claims.filter(_.speaker_country != "")
        .group_by("speaker_country")
        .agg(n=_.count())
        .order_by([*by_count, "speaker_country"]),
        limit=2,
    )
    answering = claims.filter(_.responds_to.notnull() & (_.responds_to != ""))
    nodes = answering.group_by("responds_to").agg(n=_.count())
    top = engine.to_frame(nodes.order_by([*by_count, "responds_to"]), limit=1)
    root = str(top["responds_to"].iloc[0]) if len(top) else ""
    direct = answering.filter(_.responds_to == root).select("claim_id")
    counts = nodes.rename(claim_id="responds_to")
    best = engine.to_frame(
        direct.left_join(counts, "claim_id")
        .select(claim_id=direct.claim_id, n=counts.n.fill_null(0))
        .order_by([*by_count, "claim_id"]),
        limit=1,
    )
    step = max(1, len(speakers) // SESSIONS)
    sessions = [(str(row.speaker), int(row.n)) for row in speakers.iloc[::step].head(SESSIONS).itertuples()]
    chosen = {
        "most_active": str(speakers["speaker"].iloc[0]),
        "most_active_statements": int(speakers["n"].iloc[0]),
        "countries": [str(c) for c in countries["speaker_country"]],
        "thread_root": root,
        "claim": str(best["claim_id"].iloc[0]) if len(best) else root,
        "oppose": int(engine.count(claims.filter(claims.stance == "oppose"))),
        "rows": int(engine.count(claims)),
        "sessions": sessions,
    }
    engine.close()
    return chosen


# ---- the browser ---------------------------------------------------------------------------------------------


def kept_files(cache_root: Path) -> set[Path]:
    """What the cache root's entries hold of what a server adds as it answers: the unfiltered views' answers
    (``results/``) and the derived tables (``derived/``). The sidebar's filter options (``answers.json``) are left
    alone: the ingest counts them, and the AppTest runs done before the browser (the server's filter change and
    ``page_server``) have read them before any pass."""
    return {path for part in ("results", "derived") for path in cache_root.glob(f"*/{part}/*")}


def forget_kept_since(cache_root: Path, before: set[Path]) -> None:
    """Take out of the cache root's entries what servers kept after ``before`` was taken (:func:`kept_files`), so that
    the next server finds the entry as the first one did."""
    for path in kept_files(cache_root) - before:
        path.unlink(missing_ok=True)


APPS = (("app", "app.py"), ("trivial", "bench/trivial_app.py"), ("trivial_sidebar", "bench/trivial_sidebar_app.py"))


def paired_differences(app: dict[str, list[float]], reference: dict[str, list[float]]) -> dict[str, float]:
    """Per link, the median over the passes of the app's first opening minus the reference app's in the same pass.

    Beside ``link_s`` (the median of each app's openings, whose difference the tables give): a pass starts the apps
    one after the other within a few minutes, so each difference is taken under the same speed of the machine, which
    drifts by a tenth to a third from one hour to the next. Both are reported; a link meets the page line only when
    both are within it."""
    return {name: round(statistics.median(a - b for a, b in zip(app[name], reference[name], strict=True)), 2) for name in app}


def within_line(browser: dict, reference: str, line: float = 1.0) -> tuple[int, int, int]:
    """How many links are within ``line`` seconds of the ``reference`` app: by the difference of the medians, by the
    median of each pass's difference (:func:`paired_differences`), and by both (what the target counts)."""
    app, other = browser["app"], browser[reference]
    by_medians = {name for name in browser["links"] if app["link_s"][name] - other["link_s"][name] <= line}
    by_passes = {name for name, value in app[f"paired_minus_{reference}_s"].items() if value <= line}
    return len(by_medians), len(by_passes), len(by_medians & by_passes)


def browser_pages(folder: Path, cache_root: Path, chosen: dict, logs: Path, repeat: int, sessions: bool, passes: int = 1) -> dict:
    """Restart, every link, a filter change and peak memory for the app, the trivial app and the trivial app with
    claimscope's sidebar; sessions for the app.

    ``passes`` times, each of the three is started anew and every link opened once on it (its first opening); the
    passes take turns between the three apps, and before each pass the entry is put back as the first pass found
    it (:func:`forget_kept_since`), so that each first opening pays what the first pass's did. ``link_s`` and the
    restart are the medians of the passes (each pass's in ``link_first_s`` and ``restart_each_s``), and so is
    ``link_run_done_s``: one opening varies by a few tenths of a second from the next, and a link compared with the
    trivial app once each compares the noise as much as the pages. The first pass also opens each link ``repeat``
    − 1 times again, right after its first opening (so that its later links open after more of the server's time
    than in the other passes), then does the filter change, the peak memory and the sessions."""
    from playwright.sync_api import sync_playwright

    from tests.browser.helpers import CHROMIUM, CHROMIUM_ARGS

    links = app_links({**chosen, "mid_ranked": chosen["most_active"], "actors": []})
    results: dict = {"links": links, "load_average_start": load_average(), "passes": passes}
    before = kept_files(cache_root)
    firsts: dict[str, dict[str, list[float]]] = {label: {name: [] for name in links} for label, _ in APPS}
    done_firsts: dict[str, dict[str, list[float]]] = {label: {name: [] for name in links} for label, _ in APPS}
    restarts: dict[str, list[float]] = {label: [] for label, _ in APPS}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

        def fresh():
            context = browser.new_context(viewport={"width": 1400, "height": 900})
            return context, context.new_page()

        for number in range(passes):
            for label, script in APPS:
                forget_kept_since(cache_root, before)
                process, base, started = serve(script, folder, cache_root, logs / f"{folder.name}-{label}-{number + 1}.log")
                entry: dict = results.setdefault(label, {"errors": {}})
                try:
                    context, page = fresh()
                    page.goto(base + "/", timeout=900_000)
                    _opened(page, 900_000)
                    restarts[label].append(round(time.perf_counter() - started, 2))
                    if _errors(page):
                        entry["errors"]["/"] = _errors(page)
                    context.close()
                    again: dict = {}
                    for name, link in links.items():
                        times, done = [], []
                        for _ in range(repeat if number == 0 else 1):
                            context, page = fresh()
                            start = time.perf_counter()
                            page.goto(base + link, timeout=900_000)
                            done.append(_opened(page, 900_000) - start)
                            times.append(time.perf_counter() - start)
                            if _errors(page):
                                entry["errors"][name] = _errors(page)
                            context.close()
                        # the first opening pays every query of the link; later ones find the engine's kept answers
                        firsts[label][name].append(round(times[0], 2))
                        done_firsts[label][name].append(round(done[0], 2))
                        if len(times) > 1:
                            again[name] = round(statistics.median(times[1:]), 2)
                        print(
                            f"  {folder.name} {label} pass {number + 1} {name}: {times[0]:.2f} s, again {again.get(name)} s",
                            file=sys.stderr,
                            flush=True,
                        )
                    if number > 0:
                        continue
                    entry["link_again_s"] = again
                    context, page = fresh()
                    page.goto(base + "/", timeout=900_000)
                    _opened(page, 900_000)
                    page.locator('[data-testid="stSidebar"]').get_by_role("combobox", name="Stance", exact=True).click()
                    start = time.perf_counter()
                    page.get_by_role("option", name=re.compile(r"^oppose( \([\d,]+\))?$")).click()
                    page.keyboard.press("Escape")
                    _caption_matches(page, re.escape("Stance: oppose") if label == "app" else "^1 of 4 stances", 900_000)
                    _ready(page, 900_000)
                    entry["filter_change_s"] = round(time.perf_counter() - start, 2)
                    context.close()
                    entry["server_peak_mb"] = status_mb(process.pid, "VmHWM")
                    if label == "app" and sessions:
                        entry["sessions"] = concurrent_sessions(browser, base, process.pid, chosen)
                finally:
                    stop(process)
        browser.close()
    for label, _ in APPS:
        entry = results[label]
        entry["restart_each_s"] = restarts[label]
        entry["restart_to_first_page_s"] = round(statistics.median(restarts[label]), 2)
        entry["link_first_s"] = firsts[label]
        entry["link_s"] = {name: round(statistics.median(each), 2) for name, each in firsts[label].items()}
        entry["link_run_done_s"] = {name: round(statistics.median(each), 2) for name, each in done_firsts[label].items()}
    for label, _ in APPS[1:]:
        results["app"][f"paired_minus_{label}_s"] = paired_differences(firsts["app"], firsts[label])
    results["load_average_end"] = load_average()
    return results


def concurrent_sessions(browser, base: str, pid: int, chosen: dict) -> dict:
    """Thirty sessions at once, each filtered to another speaker: each must show its own count."""
    opened, wrong = [], []
    rss = []
    for speaker, count in chosen["sessions"]:
        context = browser.new_context(viewport={"width": 1200, "height": 800})
        page = context.new_page()
        page.goto(base + "/?" + urlencode({"speaker": speaker}), timeout=900_000)
        _opened(page, 900_000)
        caption = f"{count} of {chosen['rows']} statements"
        try:
            _caption_matches(page, "^" + re.escape(caption), 60_000)
        except Exception:
            wrong.append(speaker)
        opened.append(context)
        rss.append(status_mb(pid, "VmRSS"))
    # every session is still connected: check the first ones again after the last has run
    for context, (speaker, count) in zip(opened[:3], chosen["sessions"][:3], strict=False):
        page = context.pages[0]
        if not page.get_by_text(f"{count} of {chosen['rows']} statements").count():
            wrong.append(speaker + " (after the others)")
    for context in opened:
        context.close()
    return {
        "sessions": len(opened),
        "wrong_counts": wrong,
        "rss_after_first_mb": rss[0],
        "rss_after_last_mb": rss[-1],
        "mb_per_extra_session": round((rss[-1] - rss[0]) / max(1, len(rss) - 1), 2),
    }


def trivial_upload(big: Path, cache_root: Path, logs: Path) -> dict:
    """The same file uploaded to ``bench/trivial_upload_app.py``: what Streamlit's uploader alone costs."""
    from playwright.sync_api import sync_playwright

    from tests.browser.helpers import CHROMIUM, CHROMIUM_ARGS

    process, base, _ = serve("bench/trivial_upload_app.py", REPO / "data", cache_root, logs / "upload-trivial.log")
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
            page.goto(base, timeout=900_000)
            _ready(page, 900_000)
            measured = upload_measured(page, process.pid, big)
            browser.close()
        return measured
    finally:
        stop(process)


def upload_measured(page, pid: int, big: Path) -> dict:
    """Upload ``big`` on an open page until it says "Rows that passed": the seconds, the server's idle memory just
    before, its peak above that (sampled every 50 ms) and what it still holds above idle 3 s after."""
    time.sleep(2)
    idle = status_mb(pid, "VmRSS")
    sampler = RssSampler(pid).start()
    try:
        start = time.perf_counter()
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(big))
        page.get_by_text("Rows that passed").first.wait_for(timeout=900_000)
        _ready(page, 900_000)
        seconds = time.perf_counter() - start
    finally:
        peak = sampler.stop()
    time.sleep(3)
    return {
        "upload_s": round(seconds, 1),
        "idle_mb": idle,
        "peak_above_idle_mb": peak - idle,
        "held_above_idle_mb": status_mb(pid, "VmRSS") - idle,
    }


def uploads(source_claims: Path, cache_root: Path, logs: Path, work: Path) -> dict:
    """One upload at the size limit, then three at once while a fourth session opens a page."""
    from playwright.sync_api import sync_playwright

    from tests.browser.helpers import CHROMIUM, CHROMIUM_ARGS

    big = work / "upload" / "claims.csv"
    big.parent.mkdir(parents=True, exist_ok=True)
    with source_claims.open("rb") as src, big.open("wb") as dst:
        budget = UPLOAD_LIMIT_BYTES - 1024 * 1024
        for line in src:
            if dst.tell() + len(line) > budget:
                break
            dst.write(line)
    result: dict = {"file_mb": round(big.stat().st_size / 1024 / 1024, 1)}
    try:
        result["trivial_upload"] = trivial_upload(big, cache_root, logs)
    except Exception as exc:  # the app's own measurement still runs
        result["trivial_upload"] = {"error": str(exc)[:300]}
    process, base, _ = serve("app.py", REPO / "data", cache_root, logs / "upload-app.log")
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

            def data_tab():
                context = browser.new_context(viewport={"width": 1400, "height": 900})
                page = context.new_page()
                page.goto(base + "/data?tab=Bring+your+own+data", timeout=900_000)
                _opened(page, 900_000)
                return context, page

            context, page = data_tab()
            measured = upload_measured(page, process.pid, big)
            idle = measured["idle_mb"]
            result["one_upload_s"] = measured["upload_s"]
            result["idle_mb"] = idle
            result["one_upload_peak_above_idle_mb"] = measured["peak_above_idle_mb"]
            result["one_upload_held_above_idle_mb"] = measured["held_above_idle_mb"]
            result["one_upload_errors"] = _errors(page)
            context.close()

            pages = [data_tab() for _ in range(3)]
            result["idle_before_three_mb"] = status_mb(process.pid, "VmRSS")  # what the first upload left, if anything
            sampler = RssSampler(process.pid).start()
            start = time.perf_counter()
            for _, page in pages:
                page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(big))
            other, other_page = browser.new_context(viewport={"width": 1400, "height": 900}), None
            other_page = other.new_page()
            other_start = time.perf_counter()
            other_page.goto(base + "/claims", timeout=900_000)
            _opened(other_page, 900_000)
            result["other_session_claims_page_s"] = round(time.perf_counter() - other_start, 1)
            result["other_session_errors"] = _errors(other_page)
            done = 0
            for _, page in pages:
                try:
                    page.get_by_text("Rows that passed").first.wait_for(timeout=900_000)
                    done += 1
                except Exception:
                    pass
            result["three_uploads_done"] = done
            result["three_uploads_s"] = round(time.perf_counter() - start, 1)  # until the last preview shows
            result["three_uploads_peak_above_idle_mb"] = sampler.stop() - idle
            browser.close()
    finally:
        stop(process)
    return result


# ---- the run ---------------------------------------------------------------------------------------------------


def server_filter_change(folder: Path, cache_root: Path) -> dict:
    """The server's own time for a filter change: AppTest reruns the Overview with stance=oppose in this process."""
    code = f"""
import json, os, sys, time
sys.path.insert(0, {str(REPO)!r})
os.environ["CLAIMSCOPE_DATA_DIR"] = {str(folder)!r}
os.environ["CLAIMSCOPE_CACHE_DIR"] = {str(cache_root)!r}
from streamlit.testing.v1 import AppTest
at = AppTest.from_file({str(REPO / "app.py")!r}, default_timeout=1800)
at.run()
times = []
# five filters never asked before in this process: each change pays its queries (no kept answer)
for stances in (["oppose"], ["support"], ["concern"], ["neutral"], ["oppose", "concern"]):
    at.multiselect(key="filter_stance").set_value(stances)
    start = time.perf_counter(); at.run(); times.append(time.perf_counter() - start)
rerun = []
for _ in range(3):
    start = time.perf_counter(); at.run(); rerun.append(time.perf_counter() - start)
print(json.dumps({{"filter_change_s": sorted(times)[len(times) // 2], "rerun_s": sorted(rerun)[1],
                  "errors": [str(e.value)[:200] for e in at.exception]}}))
"""
    completed = subprocess.run([sys.executable, "-c", code], cwd=REPO, stdout=subprocess.PIPE, text=True, check=False)
    try:
        return {
            k: (round(v, 3) if isinstance(v, float) else v)
            for k, v in json.loads(completed.stdout.strip().splitlines()[-1]).items()
        }
    except (ValueError, IndexError):
        return {"error": completed.stdout[-500:]}


def page_server_times(folder: Path, cache_root: Path) -> dict:
    """Each link's whole script run on the server and its time in the engine (bench/page_server_times.py, in a
    process of its own, no kept answers): the server's part of what the browser waits for."""
    command = [sys.executable, str(REPO / "bench" / "page_server_times.py"), str(folder), "--cache-dir", str(cache_root)]
    completed = subprocess.run([*command, "--repeat", "1"], cwd=REPO, stdout=subprocess.PIPE, text=True, check=False)
    try:
        pages = json.loads(completed.stdout.strip().splitlines()[-1])["pages"]
    except (ValueError, IndexError, KeyError):
        return {"error": completed.stdout[-500:]}
    return {name: {"run_s": page["run_s"], "engine_s": page["engine_s"]} for name, page in pages.items()}


#: the largest dataset a generator writes in one piece: beyond it, synth datasets are written in batches
BATCH_ROWS = 1_000_000


def dataset_folder(root: Path, generator: str, size: int) -> Path:
    write, seed, prefix = GENERATORS[generator]
    folder = root / f"{prefix}-{size}"
    if not (folder / "datapackage.json").exists():
        print(f"writing {folder}", file=sys.stderr, flush=True)
        if size > BATCH_ROWS:
            if generator != "synth":
                raise SystemExit(f"{generator}: only the synth generator writes datasets above {BATCH_ROWS:,} rows")
            write_synth_in_batches(folder, size, seed)
        else:
            write(folder, size, seed=seed)
    return folder


def write_synth_in_batches(folder: Path, size: int, seed: int) -> None:
    """``size`` claims as batches of claimscope.synth's own 1M output (seeds ``seed``, ``seed + 1`` …), ids renumbered.

    ``synth.generate(10_000_000)`` would build every quote's tokens in one array (tens of GB); a batch's ids
    (``claim_id``, ``url``, ``responds_to``) are offset by the rows before it, so that reactions stay in their batch.
    """
    import numpy as np

    from claimscope import synth

    batches = -(-size // BATCH_ROWS)
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "claims.csv").open("w", encoding="utf-8", newline="") as handle:
        for k in range(batches):
            rows = min(BATCH_ROWS, size - k * BATCH_ROWS)
            frames = synth.generate(rows, seed=seed + k)
            claims = frames["claims.csv"]
            offset = k * BATCH_ROWS
            ids = np.char.add("c", (np.arange(rows) + offset).astype(str))
            claims["claim_id"] = ids
            claims["url"] = np.char.add("https://example.org/s/", ids)
            responds = claims["responds_to"].astype(str)
            answered = responds != ""
            claims.loc[answered, "responds_to"] = "c" + (responds[answered].str[1:].astype(int) + offset).astype(str)
            claims.to_csv(handle, index=False, header=(k == 0), lineterminator="\n")
            if k == 0:
                for name in ("actors.csv", "countries.csv"):
                    frames[name].to_csv(folder / name, index=False, lineterminator="\n")
            print(f"  batch {k + 1} of {batches}", file=sys.stderr, flush=True)
    package = {
        "title": f"Synthetic claims ({size:,}, seeds {seed} to {seed + batches - 1}, ids renumbered)",
        "version": "synthetic",
        "claimscope": {"subject": "a synthetic subject", "topics": {t: "" for t in synth.TOPICS}},
    }
    (folder / "datapackage.json").write_text(json.dumps(package, indent=2) + "\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--generators", nargs="+", choices=list(GENERATORS), default=list(GENERATORS))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--passes",
        type=int,
        default=1,
        help="first openings of each link, each on a server started anew (the medians are compared; see browser_pages)",
    )
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "out")
    parser.add_argument("--data-root", type=Path, help="where the generated datasets are kept (default: OUT)")
    parser.add_argument(
        "--no-browser", action="store_true", help="only the ingest, the restart's ingest and the server's filter change"
    )
    parser.add_argument("--no-sessions", action="store_true", help="skip the 30 concurrent sessions")
    parser.add_argument("--no-uploads", action="store_true", help="skip the uploads at the size limit")
    parser.add_argument("--only-uploads", action="store_true", help="only the uploads at the size limit (synth 1M's claims)")
    args = parser.parse_args()
    if args.passes < 1:
        parser.error("--passes: at least 1")
    out = args.out.resolve()
    data_root = (args.data_root or out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    saved = out / "engine-results.json"
    run = {
        "command": " ".join(sys.argv),
        "started": dt_now(),
        "cpus": os.cpu_count(),
        "load_average_start": load_average(),
    }
    results: list[dict] = []
    for generator in [] if args.only_uploads else args.generators:
        for size in sorted(args.sizes):
            folder = dataset_folder(data_root, generator, size)
            cache_root = Path(tempfile.mkdtemp(prefix=f"engine-bench-{generator}-{size}-", dir=out))
            env = {**os.environ, "CLAIMSCOPE_CACHE_DIR": str(cache_root)}
            entry: dict = {
                "generator": generator,
                "rows": size,
                "claims_csv_mb": round((folder / "claims.csv").stat().st_size / 1e6, 1),
            }
            print(f"{generator} {size}: ingest", file=sys.stderr, flush=True)
            entry["ingest"] = run_measured([sys.executable, "-m", "claimscope", "ingest", str(folder)], env)
            entry["ingest_again"] = run_measured([sys.executable, "-m", "claimscope", "ingest", str(folder)], env)
            entry["subjects"] = choose_subjects(folder, cache_root)
            entry["server_filter_change"] = server_filter_change(folder, cache_root)
            entry["page_server"] = page_server_times(folder, cache_root)
            if not args.no_browser:
                # the sessions target is set at 1M claims: run them at the size nearest to it
                sessions = not args.no_sessions and size == min(args.sizes, key=lambda s: abs(s - SESSIONS_AT_ROWS))
                entry["browser"] = browser_pages(
                    folder, cache_root, entry["subjects"], out / "logs", args.repeat, sessions, args.passes
                )
            results.append(entry)
            saved.write_text(json.dumps({"run": run, "sizes": results}, indent=2, ensure_ascii=False))
            shutil.rmtree(cache_root, ignore_errors=True)
    if not args.no_uploads and not args.no_browser:
        source = dataset_folder(data_root, "synth", 1_000_000) / "claims.csv"
        cache_root = Path(tempfile.mkdtemp(prefix="engine-bench-upload-", dir=out))
        run["uploads"] = uploads(source, cache_root, out / "logs", out)
        shutil.rmtree(cache_root, ignore_errors=True)
    run["load_average_end"] = load_average()
    saved.write_text(json.dumps({"run": run, "sizes": results}, indent=2, ensure_ascii=False))
    print(markdown(run, results))
    return 0


def dt_now() -> str:
    import datetime as dt

    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def markdown(run: dict, results: list[dict]) -> str:
    """The tables of docs/scale.md: one column per (generator, size)."""
    heads = [f"{r['generator']} {r['rows']:,}" for r in results]
    lines = ["| | " + " | ".join(heads) + " |", "|---|" + "---|" * len(results)]

    def row(label: str, value) -> None:
        cells = []
        for r in results:
            try:
                cells.append(str(value(r)))
            except (KeyError, TypeError, IndexError):
                cells.append("")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")

    row("claims.csv MB", lambda r: r["claims_csv_mb"])
    row("first start: ingest s (peak MB)", lambda r: f"{r['ingest']['s']} ({r['ingest']['peak_mb']:,})")
    row("ingest again, cache current s (peak MB)", lambda r: f"{r['ingest_again']['s']} ({r['ingest_again']['peak_mb']:,})")
    row(
        "server: a filter change s (a rerun s)",
        lambda r: f"{r['server_filter_change']['filter_change_s']} ({r['server_filter_change']['rerun_s']})",
    )
    row(
        "restart to first page s, app / trivial (trivial with the sidebar)",
        lambda r: (
            f"{r['browser']['app']['restart_to_first_page_s']} / {r['browser']['trivial']['restart_to_first_page_s']}"
            f" ({r['browser'].get('trivial_sidebar', {}).get('restart_to_first_page_s', '')})"
        ),
    )
    links = next((list(r["browser"]["links"]) for r in results if "browser" in r), [])
    for name in links:
        row(
            f"`{name}` s, app / trivial (app − trivial); opened again; server run (engine)",
            lambda r, name=name: "{:.2f} / {:.2f} ({:+.2f}); {:.2f}; {:.2f} ({:.2f})".format(
                r["browser"]["app"]["link_s"][name],
                r["browser"]["trivial"]["link_s"][name],
                r["browser"]["app"]["link_s"][name] - r["browser"]["trivial"]["link_s"][name],
                r["browser"]["app"]["link_again_s"][name],
                r["page_server"][name]["run_s"],
                r["page_server"][name]["engine_s"],
            ),
        )
    for name in links:
        row(
            f"`{name}`: the median of each pass's app − trivial s",
            lambda r, name=name: "{:+.2f}".format(r["browser"]["app"]["paired_minus_trivial_s"][name]),
        )
    for reference, words in (("trivial", "the trivial app"), ("trivial_sidebar", "the trivial app with the sidebar")):
        row(
            f"links within 1 s of {words} (first opening: by the medians; by each pass's difference; by both)",
            lambda r, reference=reference: "{} of {n}; {} of {n}; {} of {n}".format(
                *within_line(r["browser"], reference), n=len(r["browser"]["links"])
            ),
        )
    row(
        "filter change in the browser s, app / trivial",
        lambda r: f"{r['browser']['app']['filter_change_s']} / {r['browser']['trivial']['filter_change_s']}",
    )
    row(
        "server peak MB (VmHWM), app / trivial",
        lambda r: f"{r['browser']['app']['server_peak_mb']:,} / {r['browser']['trivial']['server_peak_mb']:,}",
    )
    row(
        "30 sessions: wrong counts; MB per extra session",
        lambda r: (
            f"{len(r['browser']['app']['sessions']['wrong_counts'])}; {r['browser']['app']['sessions']['mb_per_extra_session']}"
        ),
    )
    row("errors shown", lambda r: sum(len(v) for v in r["browser"]["app"].get("errors", {}).values()))
    text = "\n".join(lines)
    if "uploads" in run:
        u = run["uploads"]
        text += (
            f"\n\nUploads ({u['file_mb']} MB claims.csv): one took {u.get('one_upload_s')} s, peaked "
            f"{u.get('one_upload_peak_above_idle_mb')} MB above the idle server ({u.get('idle_mb')} MB) and held "
            f"{u.get('one_upload_held_above_idle_mb')} MB after; three at once: {u.get('three_uploads_done')} of 3 done "
            f"in {u.get('three_uploads_s')} s, {u.get('three_uploads_peak_above_idle_mb')} MB above idle, while another "
            f"session's Claims page took {u.get('other_session_claims_page_s')} s."
        )
        t = u.get("trivial_upload", {})
        if "error" in t:
            text += f" The trivial upload app failed: {t['error']}"
        elif t:
            text += (
                f" The trivial upload app (bench/trivial_upload_app.py), the same file: {t['upload_s']} s, a peak "
                f"{t['peak_above_idle_mb']} MB above its idle server ({t['idle_mb']} MB), "
                f"{t.get('held_above_idle_mb')} MB held after."
            )
    return text


if __name__ == "__main__":
    sys.exit(main())
