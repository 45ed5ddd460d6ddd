"""The server's own time per page, split into its queries, on a dataset folder (no browser).

    .venv/bin/python bench/page_server_times.py DIR [--cache-dir D] [--repeat 2] [--keep-answers] [--top 6]
        [--only LABEL ...] [--first [--settle 7]]

For each of the benchmark's deep links (``bench.benchmark.app_links``, with the subjects
``bench.engine_benchmark.choose_subjects`` picks), a fresh AppTest runs ``app.py`` with the link's query
parameters and switches to its page; then the page is run ``--repeat`` more times and the fastest run is
reported: the whole script run, the time inside the engine (every ``Engine.execute``, ``to_arrow`` and
``text_matches``), and the slowest queries, each named by the ``claimscope/queries`` function that asked.
Kept answers (the engine's in memory, and those of the unfiltered views in the cache entry) are switched off unless
``--keep-answers`` (a link opened for the first time on a cache no server used before pays every query).

``--first`` times instead each page's first run in a fresh AppTest (the one a browser's first opening of the link
waits for; later runs find the answers that a page keeps in memory per engine, such as the cascade pickers'), after
one opening of the Overview and ``--settle`` seconds, as in the browser benchmark, whose links open after the first
page (the engine open, Ibis imported, the derived tables written).

The browser benchmark (``bench/engine_benchmark.py``) measures what an analyst waits for; this one says how much
of it is the server and, of that, which query. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
import traceback
from collections import defaultdict
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.benchmark import app_links  # noqa: E402

PAGE_SCRIPTS = {
    "/": None,
    "/claims": "pages/claims.py",
    "/timeline": "pages/timeline.py",
    "/relations": "pages/relations.py",
    "/actor": "pages/actor.py",
    "/compare": "pages/compare.py",
    "/data": "pages/data.py",
}


def app_test_of(link: str):
    """A fresh AppTest of ``app.py`` with the link's query parameters (a repeated one as a list), not run yet, and the
    script of the link's page (None for the Overview, which the entrypoint draws)."""
    from streamlit.testing.v1 import AppTest

    parts = urlsplit(link)
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=1800)
    for key, value in parse_qsl(parts.query):
        existing = at.query_params.get(key)
        at.query_params[key] = [*existing, value] if isinstance(existing, list) else ([existing, value] if existing else value)
    return at, PAGE_SCRIPTS[parts.path]


def open_link(link: str):
    """An AppTest that has run ``app.py`` with the link's query parameters and then switched to the link's page, as a
    browser opening the link would."""
    at, script = app_test_of(link)
    at.run()
    if script:
        at.switch_page(script).run()
    return at


class QueryClock:
    """Wraps the engine's entry points to add up their time per asking function of ``claimscope/queries``."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self.depth = threading.local()

    def reset(self) -> None:
        self.seconds.clear()
        self.calls.clear()

    def wrap(self, method):
        clock = self

        def timed(*args, **kwargs):
            # only the outermost call counts: a named query's answer asks the engine again for its expression
            if getattr(clock.depth, "n", 0):
                return method(*args, **kwargs)
            clock.depth.n = 1
            start = time.perf_counter()
            try:
                return method(*args, **kwargs)
            finally:
                clock.depth.n = 0
                label = clock.asker()
                clock.seconds[label] += time.perf_counter() - start
                clock.calls[label] += 1

        return timed

    @staticmethod
    def asker() -> str:
        for frame in reversed(traceback.extract_stack()[:-2]):  # this method and the wrapper left out
            path = frame.filename.replace("\\", "/")
            if path.endswith("/claimscope/queries/scope.py"):  # how every query asks, not who asked
                continue
            for part in ("/claimscope/queries/", "/ui/", "/pages/"):
                if part in path:
                    return f"{path.rsplit('/', 1)[-1][:-3]}.{frame.name}"
        return "other"


def first_run(link: str, clock: QueryClock, top: int) -> dict:
    """The first run of the link's page in a fresh AppTest (``app.py`` run with the link's query parameters first, as
    :func:`open_link` does, but not timed): the whole run, the engine's time and the slowest queries."""
    at, script = app_test_of(link)
    if script:
        at.run()
    clock.reset()
    start = time.perf_counter()
    (at.switch_page(script) if script else at).run()
    total = time.perf_counter() - start
    ranked = sorted(clock.seconds.items(), key=lambda item: -item[1])
    found = {
        "run_s": round(total, 3),
        "engine_s": round(sum(clock.seconds.values()), 3),
        "queries": sum(clock.calls.values()),
        "slowest": {k: [round(v, 3), clock.calls[k]] for k, v in ranked[:top]},
    }
    if at.exception:
        found["error"] = str(at.exception[0].value)[:300]
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--cache-dir", type=Path, default=None)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--keep-answers", action="store_true")
    parser.add_argument("--top", type=int, default=6)
    parser.add_argument("--only", nargs="*", default=None, help="link labels to run (default: every link)")
    parser.add_argument("--first", action="store_true", help="time each page's first run instead of the fastest rerun")
    parser.add_argument("--settle", type=float, default=7.0, help="--first: seconds after the Overview's opening")
    args = parser.parse_args()
    folder = args.folder.resolve()
    cache_root = (args.cache_dir or Path(os.environ.get("CLAIMSCOPE_CACHE_DIR", "/tmp/claimscope-page-times"))).resolve()
    os.environ["CLAIMSCOPE_DATA_DIR"] = str(folder)
    os.environ["CLAIMSCOPE_CACHE_DIR"] = str(cache_root)

    from bench.engine_benchmark import choose_subjects

    chosen = choose_subjects(folder, cache_root)
    links = app_links({**chosen, "mid_ranked": chosen["most_active"], "actors": []})

    from claimscope.engine.connection import Engine

    clock = QueryClock()
    for name in ("execute", "to_arrow", "text_matches"):
        setattr(Engine, name, clock.wrap(getattr(Engine, name)))
    if not args.keep_answers:
        Engine._result_key = lambda self, expr, limit: None
        Engine._stored_key = lambda self, expr, limit: None

    results = {}
    if args.first:
        open_link("/")
        time.sleep(args.settle)
    for label, link in links.items():
        if args.only and label not in args.only:
            continue
        if args.first:
            results[label] = first_run(link, clock, args.top)
            print(label, json.dumps(results[label]), flush=True)
            continue
        at = open_link(link)
        best = None
        for _ in range(args.repeat):
            clock.reset()
            start = time.perf_counter()
            at.run()
            total = time.perf_counter() - start
            if best is None or total < best["run_s"]:
                ranked = sorted(clock.seconds.items(), key=lambda item: -item[1])
                best = {
                    "run_s": round(total, 3),
                    "engine_s": round(sum(clock.seconds.values()), 3),
                    "queries": sum(clock.calls.values()),
                    "slowest": {k: [round(v, 3), clock.calls[k]] for k, v in ranked[: args.top]},
                }
        if at.exception:
            best["error"] = str(at.exception[0].value)[:300]
        results[label] = best
        print(label, json.dumps(best), flush=True)
    print(json.dumps({"folder": str(folder), "rows": chosen["rows"], "pages": results}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
