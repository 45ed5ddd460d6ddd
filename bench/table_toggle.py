"""Opening a "Show as table" on a warm server: two versions of the app side by side in the same run.

    .venv/bin/python bench/table_toggle.py --apps BASE NEW --data DIR --cache D [--link /timeline] [--rounds 5]
        [--out FILE]

Each app (a checkout, as in :mod:`bench.versions_ab`) is served once; each round opens ``--link`` in a fresh browser
context on each server, in an order reversed every round, waits for the page to be drawn, then clicks the page's
last "Show as table" expander (on the Timeline: the reactions behind the latency chart) and times the click until
the table is drawn and the app is idle again (Streamlit's ``data-test-script-state`` back to ``notRunning``, no
element stale). It also counts the reruns the click asked of the server and whether they were a fragment's
(``BackMsg.rerun_script.fragment_id``, read from the WebSocket). The trivial app has no such table, so it is not
part of this comparison: what is compared is what one click costs in the two versions. Medians and every run go to
stdout and, with ``--out``, to JSON. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.benchmark import _opened, _ready, load_average  # noqa: E402
from bench.versions_ab import alternating, parse_app, start, stop  # noqa: E402


def open_table(browser, base: str, link: str) -> dict:
    """Open ``link``, then its last "Show as table"; the seconds from the click to the table drawn, and the reruns."""
    from streamlit.proto.BackMsg_pb2 import BackMsg

    reruns: list[bool] = []

    def read(payload: bytes | str) -> None:
        if isinstance(payload, bytes):
            message = BackMsg.FromString(payload)
            if message.WhichOneof("type") == "rerun_script":
                reruns.append(bool(message.rerun_script.fragment_id))

    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.on("websocket", lambda socket: socket.on("framesent", read))
    page.goto(base + link, timeout=900_000)
    _opened(page, 900_000)
    page.wait_for_timeout(500)  # the page's last draws settle
    box = page.locator('[data-testid="stExpander"]').filter(has_text="Show as table").last
    box.scroll_into_view_if_needed()
    asked = len(reruns)
    started = time.perf_counter()
    box.locator("summary").click()
    box.locator('[data-testid="stDataFrame"]').first.wait_for(timeout=120_000)
    _ready(page, 120_000)
    seconds = time.perf_counter() - started
    context.close()
    asked_now = reruns[asked:]
    return {"s": round(seconds, 3), "reruns": len(asked_now), "fragment": bool(asked_now) and all(asked_now)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--apps", nargs="+", required=True, help="DIR[:SCRIPT], a checkout and its script (app.py)")
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--cache", type=Path, required=True)
    parser.add_argument("--link", default="/timeline")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    from tests.browser.helpers import CHROMIUM, CHROMIUM_ARGS

    apps = [parse_app(value) for value in args.apps]
    logs = Path("/tmp") / "claimscope-table-toggle"
    logs.mkdir(exist_ok=True)
    servers = {label: start(checkout, script, args.data, args.cache, logs / f"{label}.log") for label, checkout, script in apps}
    runs: dict[str, list[dict]] = {label: [] for label, _, _ in apps}
    load_start = load_average()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for label in servers:  # a warm-up opening each: the servers' first runs and kept answers
                open_table(browser, servers[label][1], args.link)
            for round_index in range(args.rounds):
                for label in alternating(list(servers), round_index):
                    runs[label].append(open_table(browser, servers[label][1], args.link))
                    print(f"  {label}: {runs[label][-1]}", file=sys.stderr, flush=True)
            browser.close()
    finally:
        for process, _ in servers.values():
            stop(process)
    result = {
        "command": " ".join(sys.argv),
        "load_average": [load_start, load_average()],
        "link": args.link,
        "median_s": {label: statistics.median(r["s"] for r in rows) for label, rows in runs.items()},
        "runs": runs,
    }
    for label, rows in runs.items():
        fragment = all(r["fragment"] for r in rows)
        print(f"{label}: median {result['median_s'][label]:.2f} s ({', '.join(str(r['s']) for r in rows)}); fragment: {fragment}")
    if args.out:
        args.out.write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
