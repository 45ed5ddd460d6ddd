"""Whole script runs of every page on a dataset folder (the curated ``data/`` by default), warm, in AppTest.

    .venv/bin/python bench/curated_runs.py [--data DIR] [--repeat 5]

For each page's deep link: a fresh AppTest runs ``app.py`` (and switches to the page), then reruns it
``--repeat`` times; the median rerun is printed, in seconds, as JSON. The cache root is a temporary folder (the
first run ingests). What it measures is the server's own work per run (sidebar, queries, figures to JSON, tables
to Arrow), not the browser: "nothing gets slower on data/" is checked with it, by running it on two checkouts.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

PAGES = [
    ("overview", None, {}),
    ("claims", "pages/claims.py", {}),
    ("claim detail", "pages/claims.py", {"claim": "seed-001"}),
    ("timeline", "pages/timeline.py", {}),
    ("trends", "pages/timeline.py", {"view": "trends"}),
    ("relations", "pages/relations.py", {}),
    ("actor", "pages/actor.py", {"speaker": "Vladimir Putin"}),
    ("compare", "pages/compare.py", {"country": ["KOR", "CHN"]}),
    ("data", "pages/data.py", {}),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=REPO / "data")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    os.environ["CLAIMSCOPE_DATA_DIR"] = str(args.data.resolve())
    os.environ["CLAIMSCOPE_CACHE_DIR"] = tempfile.mkdtemp(prefix="claimscope-curated-runs-")
    sys.path.insert(0, str(REPO))
    from streamlit.testing.v1 import AppTest

    medians = {}
    for name, page, params in PAGES:
        at = AppTest.from_file(str(REPO / "app.py"), default_timeout=300)
        for key, value in params.items():
            at.query_params[key] = value
        at.run()
        if page:
            at.switch_page(page).run()
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            at.run()
            times.append(time.perf_counter() - start)
        if at.exception:
            raise SystemExit(f"{name}: {at.exception[0].value}")
        medians[name] = round(statistics.median(times), 3)
    print(json.dumps(medians))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
