"""Benchmark: claimscope's own path against a straightforward baseline and a trivial app, in the same run (issue 6).

    .venv/bin/python bench/benchmark.py --sizes 10000 100000 1000000 [--generators synth threads] [--browser] [--out bench/out]

Every size runs on each generator: ``synth`` (claimscope.synth, seed 7: short Latin quotes, shallow reactions)
and ``threads`` (claimscope.synth_threads, seed 11: long quotes in four scripts, deep reaction threads, events,
sources with texts). The dataset is written once into OUT and reused. For each (generator, size) it times:

* the app's path, stage by stage, in one process: cold load (read, validate, type), filter options, filtering,
  and what each page computes and ships for a warm request: the four pages of the first run under the filter
  ``stance=oppose`` + three speaker countries (comparable with bench/results-2026-11-28.json), then the pages
  added since, as their deep links open them: the actor profile (most active and a mid-ranked speaker),
  compare (two countries, two actors), the Timeline's trends (auto interval, by country) and cascade (the
  largest thread), the claim detail (a claim in the largest thread: provenance and cascade) and the Data page
  (its dictionary and reports; each download it builds on every run timed on its own);
* the baseline in the same process: cached ``pd.read_csv``, plain pandas filtering, one figure with every
  point (``px.scatter``), every row shipped as Arrow;
* the whole page run, in a fresh process, for every deep link: Streamlit's AppTest runs app.py as the server
  would (widgets, figures to JSON, tables to Arrow), without the browser, on a warm dataset cache.

Each warm stage is the median of ``--repeat`` runs (one run when the first takes more than 2 s). With
``--browser``, for the largest size of each generator, it serves the app, the trivial app (bench/trivial_app.py:
the same navigation and sidebar, one small figure and table per page: what Streamlit and the browser cost
here) and the baseline app, and times in Debian's Chromium the cold start, a deep link to every page on a warm
server (each in a fresh browser context), a filter change, and the server's peak memory (VmHWM).
Results go to ``OUT/results.json`` and Markdown tables on stdout. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qs, urlencode

import pandas as pd
import plotly.express as px
import pyarrow as pa

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from claimscope import synth, synth_threads  # noqa: E402
from claimscope.figures.cascade import cascade_figure  # noqa: E402
from claimscope.figures.compare import shares_figure, stance_over_time_figure  # noqa: E402
from claimscope.figures.network import matrix_figure, network_figure  # noqa: E402
from claimscope.figures.overview import stance_by_country_figure  # noqa: E402
from claimscope.figures.timeline import latency_figure, timeline_figure  # noqa: E402
from claimscope.figures.trends import trends_figure  # noqa: E402
from claimscope.filters import FILTER_PARAMS, OTHER_PARAMS, PAGE_PARAMS, VIEW_PARAMS, Filters, apply_filters, filter_options  # noqa: E402
from claimscope.ingest.dataset import country_names, load_folder, short_country_names  # noqa: E402
from claimscope.ingest.places import builtin_table  # noqa: E402
from claimscope.queries.claims import MAX_PICKER_OPTIONS  # noqa: E402
from claimscope.schema import data_dictionary  # noqa: E402
from claimscope.text import quote_context  # noqa: E402
from claimscope.views.actor import (  # noqa: E402
    STATEMENT_COLUMNS,
    actor_card,
    actor_statements,
    answered,
    answered_by,
    first_and_last,
    roles_over_time,
    statement_points,
    threads_sentence,
    value_counts,
)
from claimscope.views.actor import threads as actor_threads  # noqa: E402
from claimscope.views.cascade import reaction_cascade, thread_origin, threads  # noqa: E402
from claimscope.views.compare import (  # noqa: E402
    choose_period,
    compare_subjects,
    latency_by_subject,
    latency_sentence,
    shares,
    shares_sentence,
    stance_over_time,
    stance_sentence,
    stance_totals,
    subject_labels,
    subject_latency,
)
from claimscope.views.export import claims_csv, claims_json, dataset_zip  # noqa: E402
from claimscope.views.links import actor_urls, claim_urls  # noqa: E402
from claimscope.views.overview import headline_counts, latest_reactions, most_active_speakers, stance_by_country  # noqa: E402
from claimscope.views.provenance import (  # noqa: E402
    citation,
    claim_fields,
    field_lines,
    reactions_to,
    record,
    responds_to,
    source_of,
)
from claimscope.views.relations import centrality, layout, node_table, pair_matrix, statement_pairs, top_pairs  # noqa: E402
from claimscope.views.table import table_page  # noqa: E402
from claimscope.views.timeline import aggregate_points, events_in_range, latency_summary, timeline_points  # noqa: E402
from claimscope.views.trends import auto_interval, events_per_period, trend_table  # noqa: E402

#: generator name -> (write function, seed, folder prefix)
GENERATORS: dict[str, tuple[Callable, int, str]] = {
    "synth": (synth.write, 7, "synthetic"),
    "threads": (synth_threads.write, 11, "threads"),
}
#: a warm stage is run once only when its first run takes longer than this
ONCE_OVER_S = 2.0
#: a browser link is opened once only when its first opening takes longer than this
BROWSER_ONCE_OVER_S = 10.0
PAGE_FILES = {
    "": "pages/overview.py",
    "claims": "pages/claims.py",
    "actor": "pages/actor.py",
    "compare": "pages/compare.py",
    "timeline": "pages/timeline.py",
    "relations": "pages/relations.py",
    "data": "pages/data.py",
}


def timed(function: Callable, repeat: int = 1) -> tuple[float, object]:
    """Median seconds of up to ``repeat`` calls (one when the first takes over ONCE_OVER_S), and the last result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
        if times[0] > ONCE_OVER_S:
            break
    return statistics.median(times), result


class Stages:
    """Seconds per named stage of one page call, to say where a slow page spends its time."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextlib.contextmanager
    def __call__(self, name: str):
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - start


def arrow_bytes(frame: pd.DataFrame) -> int:
    """What st.dataframe ships: the frame as an Arrow IPC stream."""
    table = pa.Table.from_pandas(frame.astype({c: str for c in frame.columns if frame[c].dtype == object}), preserve_index=False)
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue().size


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load_average() -> list[float]:
    return [round(v, 2) for v in os.getloadavg()]


# ---- datasets and their subjects ------------------------------------------------------------------


def dataset_folder(out: Path, generator: str, size: int) -> Path:
    """The generator's dataset of ``size`` claims under ``out`` (written when missing)."""
    write, seed, prefix = GENERATORS[generator]
    folder = out / f"{prefix}-{size}"
    if not (folder / "datapackage.json").exists():
        write(folder, size, seed=seed)
    return folder


def subjects(folder: Path) -> dict:
    """What the deep links of the new pages open, from claims.csv as written (the same for every process).

    The most active speaker and a mid-ranked one (actor profile), the two most active speaker countries and
    speakers (compare), the largest thread (the one the Timeline's cascade opens by default: the node with
    the most direct reactions) and a claim in it (the direct reaction to it with the most reactions of its own).
    """
    claims = pd.read_csv(
        folder / "claims.csv",
        dtype=str,
        keep_default_na=False,
        usecols=["claim_id", "speaker", "speaker_country", "stance", "responds_to"],
    )
    speakers = claims["speaker"].value_counts()
    countries = claims.loc[claims["speaker_country"] != "", "speaker_country"].value_counts()
    answered_nodes = threads(claims)
    root = str(answered_nodes["node_id"].iloc[0]) if len(answered_nodes) else ""
    reactions = dict(zip(answered_nodes["node_id"], answered_nodes["reactions"], strict=True))
    direct = list(claims.loc[claims["responds_to"] == root, "claim_id"])
    claim = max(direct, key=lambda c: (reactions.get(c, 0), c)) if direct else root
    return {
        "most_active": str(speakers.index[0]),
        "most_active_statements": int(speakers.iloc[0]),
        "mid_ranked": str(speakers.index[len(speakers) // 2]),
        "mid_ranked_statements": int(speakers.iloc[len(speakers) // 2]),
        "countries": [str(c) for c in countries.index[:2]],
        "actors": [str(a) for a in speakers.index[:2]],
        "thread_root": root,
        "thread_root_reactions": int(reactions.get(root, 0)),
        "claim": claim,
        "oppose": int((claims["stance"] == "oppose").sum()),
        "rows": len(claims),
    }


def app_links(chosen: dict) -> dict[str, str]:
    """A deep link to every page (label -> path and query), as a user would open it."""
    return {
        "overview": "/",
        "claims": "/claims",
        "claim detail": "/claims?" + urlencode({"claim": chosen["claim"]}),
        "claim cascade": "/claims?" + urlencode({"claim": chosen["claim"], "detail": "Reaction cascade"}),
        "timeline": "/timeline",
        "timeline trends": "/timeline?view=trends",
        "timeline cascade": "/timeline?view=cascade",
        "timeline latency": "/timeline?view=latency",
        "relations": "/relations",
        "actor": "/actor?" + urlencode({"speaker": chosen["most_active"]}),
        "actor threads": "/actor?" + urlencode({"speaker": chosen["most_active"], "section": "Threads"}),
        "compare": "/compare?" + urlencode([("country", c) for c in chosen["countries"]]),
        "compare latency": "/compare?"
        + urlencode([("country", c) for c in chosen["countries"]] + [("panel", "Reaction latency")]),
        "data": "/data",
    }


# ---- the app's path, page by page -----------------------------------------------------------------


def app_pages(dataset, filters: Filters, chosen: dict) -> dict[str, Callable[[Stages], int]]:
    """One callable per page: what the page computes and ships for a warm request (bytes shipped or built).

    The first four pages are timed as in the first run (under ``filters``); the others as their deep link
    opens them (see :func:`app_links`), following what the page script calls, in its order.
    """
    names = country_names(dataset.countries)
    claims_all = dataset.claims

    def claims_view():
        return apply_filters(dataset.claims, filters)

    def overview(stage: Stages) -> int:
        claims = claims_view()
        headline_counts(dataset, claims)
        figure = stance_by_country_figure(stance_by_country(claims), names)
        tables = [most_active_speakers(claims), latest_reactions(claims)]
        return len(figure.to_json()) + sum(arrow_bytes(t) for t in tables)

    def claims_page(stage: Stages) -> int:
        claims = claims_view()
        return arrow_bytes(table_page(claims, "date, newest first", 1))

    def timeline(stage: Stages) -> int:
        claims = claims_view()
        figure = timeline_figure(timeline_points(claims, "country"), dataset.events)
        return len(figure.to_json())

    def relations(stage: Stages) -> int:
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

    def actor(name: str) -> Callable[[Stages], int]:
        def page(stage: Stages) -> int:
            subject_filters = Filters(speaker=(name,))
            with stage("filter"):
                view = apply_filters(claims_all, subject_filters)
                all_rows = actor_statements(claims_all, name)
                rows = actor_statements(view, name)
            with stage("card and roles"):
                card = actor_card(dataset.actors, all_rows, name)
                roles_over_time(all_rows, card.role)
            with stage("answered, answered by"):
                answers = answered(rows, claims_all, dataset.events)
                replies = answered_by(rows, apply_filters(claims_all, subject_filters.without("speaker")))
            with stage("first and last"):
                first_and_last(rows)
            with stage("over time"):
                points = statement_points(rows)
                targets = set(answers.loc[answers["target_kind"] == "event", "responds_to"]) if len(answers) else set()
                events = dataset.events.loc[dataset.events["event_id"].isin(targets)] if targets else None
                figures = [timeline_figure(points, events, lane_title="kind")]
                tables = [aggregate_points(points)]
            with stage("topics, countries"):
                for field in ("topics", "about"):
                    table = value_counts(rows, field, 12)
                    figures.append(shares_figure(table.assign(subject=name, total=len(rows)), [name], measure="statements"))
                    tables.append(table)
            with stage("threads tables"):
                threads_sentence(name, actor_threads(answers, replies))
                if len(answers):
                    tables.append(
                        answers.assign(
                            claim_id=claim_urls(answers["claim_id"], subject_filters),
                            speaker_answered=actor_urls(answers["target_speaker"], subject_filters),
                        ).head(2000)
                    )
                if len(replies):
                    tables.append(
                        replies.assign(
                            claim_id=claim_urls(replies["claim_id"], subject_filters),
                            speaker=actor_urls(replies["speaker"], subject_filters),
                        ).head(2000)
                    )
            with stage("statements table"):
                table = rows[["date_start", *STATEMENT_COLUMNS]].sort_values(["date_start", "claim_id"], kind="stable").head(2000)
                table = table[STATEMENT_COLUMNS].assign(claim_id=lambda t: claim_urls(t["claim_id"], subject_filters))
                tables.append(table)
            with stage("ship"):
                return sum(len(f.to_json()) for f in figures) + sum(arrow_bytes(t) for t in tables)

        return page

    def compare(by: str, values: list[str]) -> Callable[[Stages], int]:
        def page(stage: Stages) -> int:
            subject_filters = Filters(**{by: tuple(values)})
            with stage("filter"):
                claims = apply_filters(claims_all, subject_filters)
                chosen_subjects = compare_subjects(subject_filters)
                labels = subject_labels(claims, chosen_subjects, names)
                short = subject_labels(claims, chosen_subjects, names, short=True)
            with stage("stance over time"):
                totals = stance_totals(claims, chosen_subjects)
                stance_sentence(totals, short)
                counts = stance_over_time(claims, chosen_subjects, choose_period(claims))
                figures = [stance_over_time_figure(counts, list(chosen_subjects.values), labels)]
                tables = [totals.pivot(index="subject", columns="stance", values="statements").reset_index(), counts.counts]
            with stage("shares"):
                for field in ("topics", "about"):
                    table = shares(claims, chosen_subjects, field, 12)
                    shares_sentence(table, short, field)
                    figures.append(shares_figure(table, list(chosen_subjects.values), labels, measure="share"))
                    tables.append(table)
            with stage("latency"):
                latency = subject_latency(claims, claims_all, dataset.events, chosen_subjects)
                table = latency_by_subject(latency, chosen_subjects, 2)
                latency_sentence(table, short, 2)
                drawn = latency.assign(speaker_country=latency["subject"]) if len(latency) else latency
                figures.append(latency_figure(drawn, latency_summary(drawn), names if by == "country" else None))
                tables += [table, latency.drop(columns=["subject"]).head(2000)] if len(latency) else [table]
            with stage("ship"):
                return sum(len(f.to_json()) for f in figures) + sum(arrow_bytes(t) for t in tables)

        return page

    def trends(stage: Stages) -> int:
        claims = claims_all
        with stage("aggregate"):
            interval = auto_interval(claims["date_start"].min(), claims["date_end"].max())
            trend = trend_table(claims, by="country", interval=interval)
            table, interval = trend.table, trend.interval
        with stage("events"):
            events = None
            if not dataset.events.empty and not table.empty:
                events = events_per_period(
                    events_in_range(dataset.events, table["period"].min(), table["period_end"].max()), interval
                )
        with stage("figure"):
            figure = trends_figure(
                table,
                trend.groups,
                interval=interval,
                measure="count",
                events=events,
                names=short_country_names(dataset.countries),
                group_title="speaker country",
            )
        with stage("ship"):
            shipped = len(figure.to_json()) + (arrow_bytes(table.drop(columns=["period", "period_end"])) if len(table) else 0)
            return shipped + (
                arrow_bytes(events.drop(columns=["period", "period_end"])) if events is not None and len(events) else 0
            )

    def cascade_view(stage: Stages) -> int:
        claims = claims_all
        with stage("threads and picker"):
            answered_nodes = threads(claims)
            in_thread = claims["responds_to"].astype(str).str.strip().ne("") | claims["claim_id"].isin(answered_nodes["node_id"])
            picker = claims.loc[in_thread, ["claim_id", "speaker", "date"]].head(MAX_PICKER_OPTIONS)
            {cid: f"{cid} · {speaker} · {date}" for cid, speaker, date in picker.itertuples(index=False)}
        with stage("cascade"):
            cascade = reaction_cascade(claims, dataset.events, str(answered_nodes["node_id"].iloc[0]), in_view=None)
        with stage("figure"):
            figure = cascade_figure(cascade.nodes, names=short_country_names(dataset.countries), selected="")
        with stage("ship"):
            return len(figure.to_json()) + arrow_bytes(cascade.nodes.drop(columns=["date_start", "date_end"]))

    def claim_detail(stage: Stages) -> int:
        claim_id = chosen["claim"]
        with stage("provenance"):
            claim = record(claims_all, "claim_id", claim_id)
            source = source_of(dataset, claim)
            answered_link = responds_to(dataset, claim)
            reactions = reactions_to(dataset, claim_id)
            full_text = dataset.texts.get(str(claim.get("source_id") or ""))
            if full_text:
                quote_context(full_text, str(claim["quote"]))
            citation(dataset, claim, dt.date.today(), (source or {}).get("url") or claim.get("url") or "")
        with stage("cascade"):
            cascade = None
            if answered_link is not None or reactions:
                root = thread_origin(claims_all, claim_id, dataset.events)
                cascade = reaction_cascade(claims_all, dataset.events, root, in_view=None)
        with stage("figure"):
            figure = (
                cascade_figure(cascade.nodes, names=short_country_names(dataset.countries), selected=claim_id)
                if cascade
                else None
            )
        with stage("ship"):
            fields = field_lines(claim_fields(claim, shown=("quote", "summary")))  # one block of text, as the page
            shipped = len(fields.encode()) + (
                len(figure.to_json()) + arrow_bytes(cascade.nodes.drop(columns=["date_start", "date_end"])) if cascade else 0
            )
            return shipped + (len(full_text) if full_text else 0)

    def data_page(stage: Stages) -> int:
        tables = []
        with stage("reports"):
            tables.append(
                pd.DataFrame(
                    [
                        {
                            "file": r.file,
                            "present": r.present,
                            "read": r.rows_read,
                            "accepted": r.rows_accepted,
                            "rejected": r.rows_rejected,
                        }
                        for r in dataset.reports.values()
                    ]
                )
            )
            if dataset.problems:
                tables.append(
                    pd.DataFrame(
                        [{"report": str(p), "file": p.file, "line": p.line, "message": p.message} for p in dataset.problems]
                    )
                )
        with stage("sources"):
            sources = dataset.sources
            if not sources.empty:
                coverage = claims_all.groupby("source_id").size().rename("claims")
                shown = sources.drop(columns=[c for c in sources if c.startswith("_") or c == "index"]).merge(
                    coverage, left_on="source_id", right_index=True, how="left"
                )
                shown["claims"] = shown["claims"].fillna(0).astype(int)
                shown["text kept"] = shown["source_id"].isin(list(dataset.texts))
                tables.append(shown)
        with stage("dictionary and URL"):
            tables.append(pd.DataFrame(data_dictionary()))
            tables.append(
                pd.DataFrame(
                    [{"parameter": p.param, "filter": p.help} for p in FILTER_PARAMS]
                    + [{"parameter": n, "filter": h} for n, h in (*OTHER_PARAMS, *PAGE_PARAMS)]
                    + [{"parameter": p.param, "filter": p.help} for p in VIEW_PARAMS]
                )
            )
            tables.append(builtin_table(set(dataset.frames["countries"]["code"])))
        with stage("ship"):
            return sum(arrow_bytes(t) for t in tables)

    def download(build: Callable[[], bytes]) -> Callable[[Stages], int]:
        return lambda stage: len(build())

    return {
        "overview": overview,
        "claims": claims_page,
        "timeline": timeline,
        "relations": relations,
        "actor (most active)": actor(chosen["most_active"]),
        "actor (mid-ranked)": actor(chosen["mid_ranked"]),
        "compare (2 countries)": compare("country", chosen["countries"]),
        "compare (2 actors)": compare("speaker", chosen["actors"]),
        "timeline trends": trends,
        "timeline cascade": cascade_view,
        "claim detail": claim_detail,
        "data": data_page,
        "data: claims CSV": download(lambda: claims_csv(claims_all)),
        "data: claims JSON": download(lambda: claims_json(claims_all)),
        "data: dataset zip": download(lambda: dataset_zip(dataset)),
    }


FIRST_RUN_PAGES = ("overview", "claims", "timeline", "relations")


def baseline_page(frame: pd.DataFrame, stance: str) -> int:
    """The straightforward page: filter, plot every point, ship every row."""
    shown = frame[frame["stance"] == stance]
    figure = px.scatter(shown, x="date", y="speaker_country", color="stance", hover_data=["speaker"])
    return len(figure.to_json()) + arrow_bytes(shown)


def measure(generator: str, size: int, out: Path, repeat: int) -> dict:
    folder = dataset_folder(out, generator, size)
    chosen = subjects(folder)
    result: dict = {
        "generator": generator,
        "rows": size,
        "csv_mb": round((folder / "claims.csv").stat().st_size / 1e6, 1),
        "load_average_start": load_average(),
        "subjects": chosen,
    }

    load_s, dataset = timed(lambda: load_folder(folder))
    result["app_cold_load_s"] = round(load_s, 3)
    result["problems"] = len(dataset.problems)
    result["app_options_s"] = round(timed(lambda: filter_options(dataset.claims))[0], 3)
    filters = Filters(stance=("oppose",), country=tuple(v for v, _ in filter_options(dataset.claims)["country"][:3]))
    result["app_filter_s"] = round(timed(lambda: apply_filters(dataset.claims, filters), repeat)[0], 4)
    result["filtered_rows"] = len(apply_filters(dataset.claims, filters))
    result["app_pages"] = {}
    for name, page in app_pages(dataset, filters, chosen).items():
        stages = Stages()

        def call(page=page, stages=stages):
            stages.seconds.clear()
            return page(stages)

        seconds, shipped = timed(call, repeat)
        entry = {"s": round(seconds, 3), "shipped_kb": round(int(shipped) / 1024)}
        if stages.seconds:
            entry["stages"] = {k: round(v, 3) for k, v in stages.seconds.items()}
        result["app_pages"][name] = entry
        print(f"  {generator} {size:,} {name}: {entry}", file=sys.stderr)

    base_load_s, frame = timed(lambda: pd.read_csv(folder / "claims.csv", dtype=str, keep_default_na=False))
    result["baseline_cold_load_s"] = round(base_load_s, 3)
    # the baseline's filter is on stance only: a lighter filter than the app's, and fewer rows to keep
    seconds, shipped = timed(lambda: baseline_page(frame, "oppose"), repeat)
    result["baseline_page"] = {"s": round(seconds, 3), "shipped_kb": round(int(shipped) / 1024)}
    result["ratio_per_page"] = {
        name: round(result["baseline_page"]["s"] / max(result["app_pages"][name]["s"], 1e-6), 1) for name in FIRST_RUN_PAGES
    }
    result["peak_rss_mb"] = round(rss_mb())
    result["load_average_end"] = load_average()
    return result


# ---- the whole page run, without the browser (AppTest) ------------------------------------------


def page_runs(folder: Path, links: dict[str, str], repeat: int) -> dict:
    """Seconds of one warm script run per deep link, as Streamlit's AppTest runs app.py (no browser).

    Each link gets a fresh session (a new AppTest) with the link's query parameters; the first run opens the
    default page and the timed run is the switch to the link's page (for ``/``, the first run itself). The
    dataset is cached for every session (st.cache_resource), as on a server: the first session loads it.
    """
    os.environ["CLAIMSCOPE_DATA_DIR"] = str(folder)
    from streamlit.testing.v1 import AppTest

    def session(query: str) -> AppTest:
        at = AppTest.from_file(str(REPO / "app.py"), default_timeout=1800)
        for key, values in parse_qs(query).items():
            at.query_params[key] = values
        return at

    result: dict = {"load_average_start": load_average()}
    start = time.perf_counter()
    session("").run()
    result["first_run_s"] = round(time.perf_counter() - start, 2)
    runs: dict[str, dict] = {}
    for label, link in links.items():
        path, _, query = link.partition("?")
        page = PAGE_FILES[path.strip("/")]

        def run_once(page=page, query=query) -> AppTest:
            at = session(query)
            if page == PAGE_FILES[""]:
                start = time.perf_counter()
                at.run()
            else:
                at.run()
                at.switch_page(page)
                start = time.perf_counter()
                at.run()
            at.elapsed = time.perf_counter() - start
            return at

        times, errors = [], []
        for _ in range(repeat):
            at = run_once()
            times.append(at.elapsed)
            errors = [str(e.value)[:300] for e in at.exception]
            if times[0] > ONCE_OVER_S:
                break
        runs[label] = {"s": round(statistics.median(times), 3)}
        if errors:
            runs[label]["errors"] = errors
        print(f"  run {label}: {runs[label]}", file=sys.stderr)
    result["runs"] = runs
    result["peak_rss_mb"] = round(rss_mb())
    result["load_average_end"] = load_average()
    return result


# ---- browser measurement -------------------------------------------------------------------------


def _free_port() -> int:
    import socket

    with contextlib.closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


#: the app's own code, which Python compiles to bytecode on a server's first start and reads back at a restart
APP_CODE = ("app.py", "claimscope", "ui", "pages")


def compile_app(checkout: Path = REPO) -> None:
    """Write the bytecode of the app's own modules in ``checkout``, as a server's first start does.

    Why: a restart reads the bytecode its first start wrote (``__pycache__``), unless ``PYTHONDONTWRITEBYTECODE``
    is set. This machine's environment sets it, so without this every start of the app compiled its eighty modules
    from source (about 0.08 s of a restart here), a cost no deployment pays twice and the trivial app (one script,
    which Streamlit compiles on every start, as it does the app's pages) does not have. ``compileall`` writes them
    whatever the variable says; it is quiet and quick when they are current.
    """
    subprocess.run([sys.executable, "-m", "compileall", "-q", *APP_CODE], cwd=checkout, check=True, stdout=subprocess.DEVNULL)


def _serve(script: str, folder: Path, log: Path) -> tuple[subprocess.Popen, int, float]:
    compile_app()
    port = _free_port()
    env = {**os.environ, "CLAIMSCOPE_DATA_DIR": str(folder)}
    command = [sys.executable, "-m", "streamlit", "run", script, "--server.headless", "true", "--server.port", str(port)]
    command += ["--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"]
    log.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    with log.open("wb") as sink:
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True)
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


def _opened(page, timeout_ms: int = 600_000) -> float:
    """A freshly opened link is drawn: the page's title (h1) has come from the server's run, then :func:`_ready`.

    Waiting for the title first means the run has started, so that the script state read next is the run's end,
    not the state before the connection. Returns the moment the script run was seen to end (before the drawing
    of what it sent is awaited).
    """
    page.wait_for_selector('[data-testid="stMain"] h1', timeout=timeout_ms)
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=timeout_ms)
    run_done = time.perf_counter()
    _ready(page, timeout_ms)
    return run_done


def _caption_matches(page, pattern: str, timeout_ms: int = 600_000) -> None:
    page.wait_for_function(
        "(pattern) => [...document.querySelectorAll('[data-testid=\"stCaptionContainer\"]')]"
        ".some((e) => new RegExp(pattern).test(e.innerText))",
        arg=pattern,
        timeout=timeout_ms,
        polling=50,
    )


def _errors(page) -> list[str]:
    return [text[:300] for text in page.locator('[data-testid="stException"]').all_inner_texts()]


def _server_peak_mb(process: subprocess.Popen) -> int:
    status = Path(f"/proc/{process.pid}/status").read_text()
    return round(int(next(row for row in status.splitlines() if row.startswith("VmHWM")).split()[1]) / 1024)


def browser_measure(folder: Path, chosen: dict, logs: Path) -> dict:
    """Cold start, a deep link to every page (fresh browser context each), a filter change and peak memory,
    for the app, the trivial app (the same links) and the baseline app (its one page)."""
    from playwright.sync_api import sync_playwright

    from tests.browser.helpers import CHROMIUM, CHROMIUM_ARGS

    links = app_links(chosen)
    # what each app's caption says once the stance filter is applied (the outcome the timing waits for)
    stance_done = {
        "app": re.escape("Stance: oppose"),
        "trivial": "^1 of 4 stances",
        "baseline": f"^{chosen['oppose']} of {chosen['rows']} statements",
    }
    results: dict = {"load_average_start": load_average(), "links": links}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

        def fresh_page():
            context = browser.new_context(viewport={"width": 1400, "height": 900})
            return context, context.new_page()

        for label, script, app_links_of in (
            ("app", "app.py", links),
            ("trivial", "bench/trivial_app.py", links),
            ("baseline", "bench/baseline_app.py", {"overview": "/"}),
        ):
            process, port, started = _serve(script, folder, logs / f"{folder.name}-{label}.log")
            base = f"http://127.0.0.1:{port}"
            entry: dict = {}
            try:
                context, page = fresh_page()
                page.goto(base + "/", timeout=600_000)
                _opened(page)
                entry["cold_start_s"] = round(time.perf_counter() - started, 2)
                context.close()
                warm, run_done, errors = {}, {}, {}
                for name, link in app_links_of.items():
                    times, done = [], []
                    while len(times) < 3:
                        context, page = fresh_page()
                        start = time.perf_counter()
                        page.goto(base + link, timeout=600_000)
                        done.append(_opened(page) - start)
                        times.append(time.perf_counter() - start)
                        found = _errors(page)
                        context.close()
                        if found:
                            errors[name] = found
                        if times[0] > BROWSER_ONCE_OVER_S:
                            break
                    warm[name] = round(statistics.median(times), 2)
                    run_done[name] = round(statistics.median(done), 2)
                    print(f"  browser {folder.name} {label} {name}: {warm[name]} s", file=sys.stderr)
                entry["warm_link_s"] = warm
                entry["warm_link_run_done_s"] = run_done
                if errors:
                    entry["errors"] = errors
                # a filter change: pick a stance in the sidebar's multiselect on the first page
                context, page = fresh_page()
                page.goto(base + "/", timeout=600_000)
                _opened(page)
                page.locator('[data-testid="stSidebar"]').get_by_role("combobox", name="Stance", exact=True).click()
                start = time.perf_counter()
                page.get_by_role("option", name=re.compile(r"^oppose( \([\d,]+\))?$")).click()
                page.keyboard.press("Escape")
                _caption_matches(page, stance_done[label])
                _ready(page)
                entry["filter_change_s"] = round(time.perf_counter() - start, 2)
                context.close()
                if label == "app":  # as in the first run: type a search on Claims
                    context, page = fresh_page()
                    page.goto(base + "/claims", timeout=600_000)
                    _opened(page)
                    start = time.perf_counter()
                    page.get_by_role("textbox", name="Search quotes and summaries").fill("treaty missile")
                    page.keyboard.press("Enter")
                    _caption_matches(page, re.escape("Text: treaty missile"))
                    _ready(page)
                    entry["search_change_s"] = round(time.perf_counter() - start, 2)
                    context.close()
                entry["server_peak_mb"] = _server_peak_mb(process)
            finally:
                os.killpg(process.pid, 15)
                process.wait(timeout=60)
            results[label] = entry
        browser.close()
    results["load_average_end"] = load_average()
    return results


# ---- the run ----------------------------------------------------------------------------------------


def _in_fresh_process(call: str) -> dict:
    """Run ``bench.benchmark.<call>`` in a new interpreter (so that its peak memory is its own) and return its JSON."""
    code = f"import json,sys; sys.path.insert(0, {str(REPO)!r}); from pathlib import Path; from bench.benchmark import *; print(json.dumps({call}))"
    completed = subprocess.run([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, check=True, cwd=REPO)
    return json.loads(completed.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--generators", nargs="+", choices=list(GENERATORS), default=list(GENERATORS))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-runs", action="store_true", help="skip the whole-page runs (AppTest)")
    parser.add_argument("--browser", action="store_true", help="also time pages in Chromium (largest size of each generator)")
    parser.add_argument("--browser-size", type=int, help="the size the browser measures (default: the largest of --sizes)")
    parser.add_argument("--browser-only", action="store_true", help="only the browser measurement, merged into OUT/results.json")
    parser.add_argument(
        "--runs-only", action="store_true", help="only the whole-page runs again, merged into OUT/results.json (the earlier kept)"
    )
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "out")
    args = parser.parse_args()
    args.out = args.out.resolve()
    args.out.mkdir(parents=True, exist_ok=True)
    saved = args.out / "results.json"
    browser_size = args.browser_size or max(args.sizes)
    run = {
        "date": dt.date.today().isoformat(),
        "command": " ".join(sys.argv),
        "cpus": os.cpu_count(),
        "load_average_start": load_average(),
    }
    results: list[dict] = []
    browser: dict = {}
    if args.runs_only:
        previous = json.loads(saved.read_text())
        results, browser, run = previous["sizes"], previous.get("browser", {}), previous.get("run", run)
        run.setdefault("runs_commands", []).append(" ".join(sys.argv))
        for result in results:
            if result["generator"] in args.generators and result["rows"] in args.sizes:
                folder = dataset_folder(args.out, result["generator"], result["rows"])
                links = app_links(result["subjects"])
                again = _in_fresh_process(f"page_runs(Path({str(folder)!r}), {links!r}, {args.repeat})")
                result.setdefault("page_runs_earlier", []).append(result["page_runs"])
                result["page_runs"] = again
                saved.write_text(json.dumps({"run": run, "sizes": results, "browser": browser}, indent=2, ensure_ascii=False))
        print(markdown(results, browser))
        return 0
    if args.browser_only:
        previous = json.loads(saved.read_text()) if saved.exists() else {}
        results, browser = previous.get("sizes", []), previous.get("browser", {})
        run = {
            **previous.get("run", {}),
            "browser_command": run["command"],
            "browser_load_average_start": run["load_average_start"],
        }
    else:
        for generator in args.generators:
            for size in args.sizes:
                # each size in a fresh process, so that peak memory is that size's own
                result = _in_fresh_process(f"measure({generator!r}, {size}, Path({str(args.out)!r}), {args.repeat})")
                if not args.no_runs:
                    folder = dataset_folder(args.out, generator, size)
                    links = app_links(result["subjects"])
                    result["page_runs"] = _in_fresh_process(f"page_runs(Path({str(folder)!r}), {links!r}, {args.repeat})")
                results.append(result)
                saved.write_text(json.dumps({"run": run, "sizes": results, "browser": browser}, indent=2, ensure_ascii=False))
    if args.browser or args.browser_only:
        for generator in args.generators:
            folder = dataset_folder(args.out, generator, browser_size)
            browser[generator] = {"rows": browser_size, **browser_measure(folder, subjects(folder), args.out / "logs")}
            saved.write_text(json.dumps({"run": run, "sizes": results, "browser": browser}, indent=2, ensure_ascii=False))
    run["load_average_end"] = load_average()
    saved.write_text(json.dumps({"run": run, "sizes": results, "browser": browser}, indent=2, ensure_ascii=False))
    print(markdown(results, browser))
    return 0


# ---- the tables ---------------------------------------------------------------------------------------


def _rows(n: int) -> str:
    return f"{n // 1_000_000}M" if n >= 1_000_000 and n % 1_000_000 == 0 else (f"{n // 1000}k" if n % 1000 == 0 else str(n))


def markdown(results: list[dict], browser: dict) -> str:
    """The server-side table (a column per generator and size) and, per generator, the browser table."""
    out = io.StringIO()
    if results:
        heads = [f"{r['generator']} {_rows(r['rows'])}" for r in results]
        out.write("| stage (s unless said) | " + " | ".join(heads) + " |\n")
        out.write("|---|" + "---|" * len(results) + "\n")

        def row(label: str, cell: Callable[[dict], str]) -> None:
            cells = []
            for r in results:
                try:
                    cells.append(cell(r))
                except (KeyError, TypeError):
                    cells.append("")
            out.write(f"| {label} | " + " | ".join(cells) + " |\n")

        row("claims.csv MB", lambda r: str(r["csv_mb"]))
        row("app cold load (read, validate, type)", lambda r: str(r["app_cold_load_s"]))
        row("baseline `read_csv`", lambda r: str(r["baseline_cold_load_s"]))
        row("filter (stance + 3 countries)", lambda r: str(r["app_filter_s"]))
        for name in results[0]["app_pages"]:
            if name in FIRST_RUN_PAGES:
                row(
                    f"{name}, filtered (× faster than baseline)",
                    lambda r, n=name: f"{r['app_pages'][n]['s']} (×{r['ratio_per_page'][n]})",
                )
            elif name.startswith("data: "):
                row(
                    f"{name} (MB built)",
                    lambda r, n=name: f"{r['app_pages'][n]['s']} ({r['app_pages'][n]['shipped_kb'] / 1024:.0f})",
                )
            else:
                row(f"{name} (KB shipped)", lambda r, n=name: f"{r['app_pages'][n]['s']} ({r['app_pages'][n]['shipped_kb']:,})")
        row("baseline page (KB shipped)", lambda r: f"{r['baseline_page']['s']} ({r['baseline_page']['shipped_kb']:,})")
        row("peak RSS MB, this process (app + baseline)", lambda r: f"{r['peak_rss_mb']:,}")
        if any("page_runs" in r for r in results):
            row("**whole page run, AppTest** first run (loads)", lambda r: str(r["page_runs"]["first_run_s"]))
            for label in results[0].get("page_runs", {}).get("runs", {}):
                row(
                    f"run `{label}`",
                    lambda r, n=label: (
                        str(r["page_runs"]["runs"][n]["s"]) + (" (error)" if r["page_runs"]["runs"][n].get("errors") else "")
                    ),
                )
            row("peak RSS MB, AppTest process (app only)", lambda r: f"{r['page_runs']['peak_rss_mb']:,}")
            row(
                "load average (1 min) during the page runs",
                lambda r: f"{r['page_runs']['load_average_start'][0]} / {r['page_runs']['load_average_end'][0]}",
            )
        row(
            "load average (1 min) at start / end of the stages above",
            lambda r: f"{r['load_average_start'][0]} / {r['load_average_end'][0]}",
        )
    for generator, b in browser.items():
        out.write(f"\nBrowser, {generator} {_rows(b['rows'])} (Chromium, a fresh context per link, warm server; ")
        out.write(f"load average {b['load_average_start'][0]} → {b['load_average_end'][0]}):\n\n")
        out.write(
            "| deep link | app s (run ended at) | trivial app s | app − trivial s | baseline app s |\n|---|---|---|---|---|\n"
        )
        app, trivial, baseline = b.get("app", {}), b.get("trivial", {}), b.get("baseline", {})
        for name, link in b["links"].items():
            a, t = app.get("warm_link_s", {}).get(name), trivial.get("warm_link_s", {}).get(name)
            base = baseline.get("warm_link_s", {}).get(name, "") if name == "overview" else ""
            error = " (error shown)" if name in app.get("errors", {}) else ""
            base_error = " (error shown)" if name == "overview" and baseline.get("errors") else ""
            diff = f"+{a - t:.2f}" if a is not None and t is not None else ""
            done = app.get("warm_link_run_done_s", {}).get(name)
            out.write(f"| `{link}` | {a} ({done}){error} | {t} | {diff} | {base}{base_error} |\n")
        for key, label in (
            ("cold_start_s", "cold start (server start → first page drawn)"),
            ("filter_change_s", "filter change (pick a stance)"),
        ):
            a, t = app.get(key), trivial.get(key)
            diff = f"+{a - t:.2f}" if a is not None and t is not None else ""
            out.write(f"| {label} | {a} | {t} | {diff} | {baseline.get(key, '')} |\n")
        out.write(f"| search change on Claims (first run's measure) | {app.get('search_change_s')} | | | |\n")
        out.write(
            f"| server peak memory (VmHWM) MB | {app.get('server_peak_mb')} | {trivial.get('server_peak_mb')} | | {baseline.get('server_peak_mb', '')} |\n"
        )
    return out.getvalue()


if __name__ == "__main__":
    raise SystemExit(main())
