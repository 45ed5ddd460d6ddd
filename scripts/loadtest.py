"""Load test: N browser sessions at once on one Streamlit server, each with its own filters from the URL.

    .venv/bin/python scripts/loadtest.py --sessions 30

Starts ``streamlit run app.py`` on a free local port (dataset: ``data/`` or ``--data DIR``), opens one
session and measures the server's memory (baseline), then opens the other N-1 sessions at once (one
Chromium, one browser context per session). Every session's URL carries its own filters (each speaker,
stance, kind, ... value in turn, and some combinations); the expected "N of M statements" caption is
computed with claimscope's own filter code, and each page must show exactly its own count, once when
all sessions are open and once more after every session has rerun its script. Any request to a host
other than 127.0.0.1 is blocked and counted. Prints a table; exits 1 if a session saw a wrong count,
an error or an external request, or 2 if it did not finish in time. See docs/load.md.

Not part of the test suite (it needs Chromium and takes a minute or two).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from claimscope.filters import FILTER_PARAMS, Filters, apply_filters, filter_options, parse_query_params  # noqa: E402
from claimscope.ingest.dataset import load_folder  # noqa: E402
from tests.browser.helpers import CHROMIUM, CHROMIUM_ARGS, wait_healthy  # noqa: E402 - one definition of the browser's flags

LOCAL_HOSTS = {"127.0.0.1"}
#: true once the app is connected, its script run is over and the page's summary caption is there
READY_JS = """
() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-connection-state') !== 'CONNECTED') return null;
  if (app.getAttribute('data-test-script-state') !== 'notRunning') return null;
  if (document.querySelector('[data-testid="stSkeleton"], [data-testid="stAppSkeleton"]')) return null;
  const captions = [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stCaptionContainer"]')];
  const caption = captions.map((c) => c.innerText.trim()).find((t) => / statements/.test(t));
  return caption || null;
}
"""
CAPTION = re.compile(r"^(?:(\d+) of (\d+) statements|All (\d+) statements)")


# --- what each session should see ----------------------------------------------------------------------


@dataclass
class Plan:
    """One session: its URL's filters and the caption count it must show."""

    number: int
    filters: Filters
    query: str
    expected: int
    total: int
    caption: str = ""
    shown: int | None = None
    recheck: int | None = None
    ready_s: float | None = None
    external: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    frames: int = 0  # websocket messages the session received from the server

    @property
    def ok(self) -> bool:
        return self.shown == self.expected and self.recheck == self.expected and not self.external and not self.errors


def dataset_mb(data: Path) -> float:
    """How much memory one loaded copy of the dataset takes (its frames, deep, and its texts), in MB."""
    dataset = load_folder(data)
    frames = sum(int(frame.memory_usage(deep=True).sum()) for frame in dataset.frames.values())
    return (frames + sum(len(text.encode()) for text in dataset.texts.values())) / 2**20


def plans(data: Path, sessions: int) -> list[Plan]:
    """N views cycling through every value of every filter, then pairs of them, with the expected counts."""
    dataset = load_folder(data)
    claims = dataset.claims
    options = filter_options(claims)
    candidates: list[Filters] = [Filters()]
    for param in ("speaker", "stance", "kind", "country", "type", "attribution", "certainty", "about", "topic"):
        candidates += [Filters(**{param: (value,)}) for value, _ in options[param]]
    stances, kinds, speakers = (options[p] for p in ("stance", "kind", "speaker"))
    candidates += [Filters(stance=(s,), kind=(k,)) for s, _ in stances for k, _ in kinds]
    candidates += [Filters(speaker=(sp,), stance=(s,)) for sp, _ in speakers[:5] for s, _ in stances]
    candidates += [Filters(stance=tuple(v for v, _ in stances[:2]), date_from="2024-06", q="support")]
    # interleave the filter kinds so that 10 sessions already mix speakers, stances and kinds
    by_kind: dict[str, list[Filters]] = {}
    for f in candidates:
        key = ",".join(p.param for p in FILTER_PARAMS if f.selected(p.param)) or "none"
        by_kind.setdefault(key, []).append(f)
    ordered: list[Filters] = []
    while any(by_kind.values()):
        for queue in by_kind.values():
            if queue:
                ordered.append(queue.pop(0))
    result = []
    for number in range(sessions):
        filters = ordered[number % len(ordered)]
        params = filters.to_query_params()
        parsed, notices = parse_query_params(params, options, frozenset(claims["claim_id"]))
        assert parsed == filters and not notices, (filters, notices)  # the URL carries exactly this view
        expected = len(apply_filters(claims, filters))
        result.append(Plan(number, filters, urlencode(params, doseq=True), expected, len(claims)))
    return result


# --- the server ------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(data: Path, port: int, log: Path, timeout: float) -> subprocess.Popen:
    env = dict(os.environ, CLAIMSCOPE_DATA_DIR=str(data))
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true"]
    command += ["--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"]
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_healthy(f"http://127.0.0.1:{port}", process, timeout)
    except RuntimeError as exc:
        stop_server(process)
        raise RuntimeError(f"{exc}; see {log}") from None
    return process


def stop_server(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    except ProcessLookupError:
        pass


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def rss_mb(pid: int) -> float:
    """VmRSS of the process and all its descendants, in MB."""
    total_kb, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total_kb += int(line.split()[1])
        except OSError:
            continue
        todo += _children(current)
    return total_kb / 1024


# --- the sessions ------------------------------------------------------------------------------------------


async def open_session(browser, base: str, page_path: str, plan: Plan, timeout_ms: int, t0: float):
    context = await browser.new_context(viewport={"width": 1280, "height": 900})

    async def route(route) -> None:
        if urlsplit(route.request.url).hostname in LOCAL_HOSTS:
            await route.continue_()
        else:
            plan.external.append(route.request.url)
            await route.abort()

    await context.route("**/*", route)
    page = await context.new_page()

    def on_websocket(ws) -> None:
        if urlsplit(ws.url).hostname not in LOCAL_HOSTS:
            plan.external.append(ws.url)
        ws.on("framereceived", lambda _: setattr(plan, "frames", plan.frames + 1))

    page.on("websocket", on_websocket)
    page.on("pageerror", lambda error: plan.errors.append(f"page error: {error}"))
    try:
        await page.goto(f"{base}/{page_path}?{plan.query}" if plan.query else f"{base}/{page_path}", timeout=timeout_ms)
        plan.caption = await read_caption(page, timeout_ms)
        plan.ready_s = time.monotonic() - t0
        plan.shown = caption_count(plan.caption)
    except Exception as exc:  # a session that fails is reported, the others go on
        plan.errors.append(f"open: {type(exc).__name__}: {str(exc).splitlines()[0]}")
    return context, page


async def read_caption(page, timeout_ms: int) -> str:
    handle = await page.wait_for_function(READY_JS, timeout=timeout_ms, polling=250)
    caption = await handle.json_value()
    if await page.locator('[data-testid="stException"]').count():
        raise RuntimeError("the page shows an exception")
    return caption


def caption_count(caption: str) -> int | None:
    match = CAPTION.match(caption)
    if not match:
        return None
    return int(match.group(1) or match.group(3))


async def recheck(page, plan: Plan, timeout_ms: int) -> None:
    """Rerun the session's script (as a widget change would) and read its count again.

    The rerun is Streamlit's "r" shortcut: the same session and its own state, no new connection. That the
    server answered is seen on the session's websocket (a fast run may never show the "running" state).
    """
    try:
        for _attempt in range(3):
            before = plan.frames
            await page.locator("body").press("r")
            deadline = time.monotonic() + min(30.0, timeout_ms / 1000)
            while plan.frames == before and time.monotonic() < deadline:
                await asyncio.sleep(0.1)
            if plan.frames > before:
                break
        else:
            raise TimeoutError("the server sent nothing after three reruns")
        plan.recheck = caption_count(await read_caption(page, timeout_ms))
    except Exception as exc:
        plan.errors.append(f"recheck: {type(exc).__name__}: {str(exc).splitlines()[0]}")


async def run(args: argparse.Namespace) -> int:
    from playwright.async_api import async_playwright

    data = Path(args.data).resolve()
    if args.scale > 1:
        data = scaled_copy(data, args.scale)
    the_plans = plans(data, args.sessions)
    one_copy_mb = dataset_mb(data)
    port = free_port()
    log = Path(tempfile.gettempdir()) / f"claimscope-loadtest-{port}.log"
    timeout_ms = int(args.ready_timeout * 1000)
    server = start_server(data, port, log, 90)
    base = f"http://127.0.0.1:{port}"
    measures: dict[str, float] = {"rss_started_mb": rss_mb(server.pid)}
    try:
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                t0 = time.monotonic()
                first = await open_session(browser, base, args.page, the_plans[0], timeout_ms, t0)
                measures["first_ready_s"] = time.monotonic() - t0
                await asyncio.sleep(args.settle)
                measures["rss_1_mb"] = rss_mb(server.pid)
                t0 = time.monotonic()
                if args.sequential:  # one after the other: what stays per session, without concurrent peaks
                    rest = [await open_session(browser, base, args.page, plan, timeout_ms, t0) for plan in the_plans[1:]]
                else:
                    rest = await asyncio.gather(
                        *(open_session(browser, base, args.page, plan, timeout_ms, t0) for plan in the_plans[1:])
                    )
                measures["all_ready_s"] = time.monotonic() - t0
                sessions = [first, *rest]
                await asyncio.sleep(args.settle)
                measures["rss_n_mb"] = rss_mb(server.pid)
                # every session once more, all still open: one at a time, then all at once
                for (_, page), plan in zip(sessions, the_plans, strict=True):
                    await recheck(page, plan, timeout_ms)
                t0 = time.monotonic()
                await asyncio.gather(*(page.reload(timeout=timeout_ms) for _, page in sessions), return_exceptions=True)
                rereads = await asyncio.gather(*(read_caption(page, timeout_ms) for _, page in sessions), return_exceptions=True)
                measures["all_reloaded_s"] = time.monotonic() - t0
                for plan, caption in zip(the_plans, rereads, strict=True):
                    if isinstance(caption, BaseException) or caption_count(caption) != plan.expected:
                        plan.errors.append(f"reload: {caption!r}")
                await asyncio.sleep(args.settle)
                measures["rss_n_after_rerun_mb"] = rss_mb(server.pid)
                for context, _ in sessions:
                    await context.close()
                await asyncio.sleep(args.settle)
                measures["rss_closed_mb"] = rss_mb(server.pid)
            finally:
                await browser.close()
    finally:
        stop_server(server)
    measures["dataset_mb"] = one_copy_mb
    report(args, data, the_plans, measures, log)
    return 0 if all(plan.ok for plan in the_plans) else 1


def scaled_copy(data: Path, scale: int) -> Path:
    """A copy of the dataset whose claims.csv repeats every statement ``scale`` times (new ids), to weigh the cache."""
    import csv
    import shutil

    target = Path(tempfile.mkdtemp(prefix="claimscope-scaled-"))
    shutil.copytree(data, target, dirs_exist_ok=True)
    with (data / "claims.csv").open(newline="", encoding="utf-8") as source:
        rows = list(csv.DictReader(source))
    with (target / "claims.csv").open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\r\n")
        writer.writeheader()
        for copy in range(scale):
            for row in rows:
                writer.writerow(row | {"claim_id": row["claim_id"] if copy == 0 else f"{row['claim_id']}-x{copy}"})
    return target


def report(args, data: Path, the_plans: list[Plan], measures: dict[str, float], log: Path) -> None:
    n = len(the_plans)
    claims = the_plans[0].total
    load = os.getloadavg()[0]
    print(f"\nclaimscope load test: {n} sessions on {data} ({claims} statements, page /{args.page})")
    print(f"{os.cpu_count()} cores, load average {load:.1f} at the end, {time.strftime('%Y-%m-%d %H:%M %Z')}\n")
    print(f"{'#':>3}  {'expected':>8}  {'shown':>5}  {'rerun':>5}  {'ready s':>7}  {'ext':>3}  filters")
    for plan in the_plans:
        desc = "; ".join(plan.filters.describe()) or "(none)"
        ready = f"{plan.ready_s:7.1f}" if plan.ready_s is not None else "      -"
        print(
            f"{plan.number:>3}  {plan.expected:>8}  {plan.shown if plan.shown is not None else '-':>5}  "
            f"{plan.recheck if plan.recheck is not None else '-':>5}  {ready}  {len(plan.external):>3}  {desc[:70]}"
            + ("" if plan.ok else "   <-- FAIL " + " | ".join(plan.errors)[:200])
        )
    held = sum(plan.shown == plan.expected for plan in the_plans)
    rechecked = sum(plan.recheck == plan.expected and not plan.errors for plan in the_plans)
    per_session = (measures["rss_n_mb"] - measures["rss_1_mb"]) / (n - 1) if n > 1 else 0.0
    external = sum(len(plan.external) for plan in the_plans)
    print()
    rows = [
        ("sessions held at once (right count)", f"{held} / {n}"),
        ("sessions right again after rerun and reload", f"{rechecked} / {n}"),
        ("external requests", f"{external}"),
        ("first session ready", f"{measures['first_ready_s']:.1f} s"),
        (
            f"other {n - 1} sessions all ready ({'one after the other' if args.sequential else 'opened at once'})",
            f"{measures['all_ready_s']:.1f} s",
        ),
        (f"all {n} reloaded at once and ready", f"{measures['all_reloaded_s']:.1f} s"),
        ("server RSS, started (no session)", f"{measures['rss_started_mb']:.1f} MB"),
        ("server RSS, 1 session", f"{measures['rss_1_mb']:.1f} MB"),
        (f"server RSS, {n} sessions", f"{measures['rss_n_mb']:.1f} MB"),
        (f"server RSS, {n} sessions after rerun + reload", f"{measures['rss_n_after_rerun_mb']:.1f} MB"),
        ("server RSS, all sessions closed", f"{measures['rss_closed_mb']:.1f} MB"),
        ("memory per extra session (RSS_N - RSS_1) / (N - 1)", f"{per_session:.2f} MB"),
        ("one loaded copy of the dataset (frames, deep)", f"{measures['dataset_mb']:.2f} MB"),
    ]
    for label, value in rows:
        print(f"  {label:<52} {value}")
    for url in sorted({url for plan in the_plans for url in plan.external}):
        print(f"  external request blocked: {url[:160]}")
    print(f"\n  server log: {log}")
    print("  RESULT:", "PASS" if all(p.ok for p in the_plans) else "FAIL")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=30, help="browser sessions open at once (default 30)")
    parser.add_argument("--data", default=str(REPO / "data"), help="dataset folder (default data/)")
    parser.add_argument("--page", default="claims", help="page url_path every session opens (default claims)")
    parser.add_argument("--scale", type=int, default=1, help="repeat every statement this many times (a heavier dataset)")
    parser.add_argument("--sequential", action="store_true", help="open the sessions one after the other, not at once")
    parser.add_argument("--ready-timeout", type=float, default=180, help="seconds any one wait may take (default 180)")
    parser.add_argument("--settle", type=float, default=2.0, help="seconds to wait before reading RSS (default 2)")
    parser.add_argument("--timeout", type=float, default=900, help="overall limit in seconds (default 900)")
    args = parser.parse_args()
    if args.sessions < 1:
        parser.error("--sessions must be at least 1")
    try:
        return asyncio.run(asyncio.wait_for(run(args), timeout=args.timeout))
    except TimeoutError:
        print(f"load test did not finish within {args.timeout:.0f}s", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
