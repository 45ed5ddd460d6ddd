"""Accessibility: axe-core scans every page of the navigation (and the views behind parameters) in Chromium.

axe-core comes from the npm registry, pinned in tests/browser/axe/package-lock.json and installed by
``scripts/bootstrap.sh --dev``; it is loaded into the page from the local file (no request leaves the host).
The pages are read from the app's own navigation, so a page added to ``ui/navigation.py`` is scanned too.
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit

import pytest

from claimscope.ingest.dataset import load_folder
from claimscope.views.cascade import threads
from tests.browser.helpers import REPO, assert_no_error, main, open_page, wait_ready

AXE = REPO / "tests" / "browser" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
#: impacts that fail the scan (axe's levels: minor, moderate, serious, critical)
FAILING = {"serious", "critical"}
#: rules that fail at any impact: they were fixed once and must stay fixed
ALWAYS_FAILING = {"heading-order", "scrollable-region-focusable", "color-contrast"}
RUN_AXE = """
async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' — ' + (n.failureSummary || '').split('\\n').slice(0, 2).join(' ')),
  }));
}
"""


@pytest.fixture(scope="module")
def curated():
    return load_folder(REPO / "data")


def detail_claim(dataset) -> str:
    """A claim whose detail shows the most: its source text kept, and part of a thread (a cascade), if one is."""
    claims = dataset.claims
    with_text = claims.loc[claims["source_id"].astype(str).isin(list(dataset.texts))]
    answered = set(threads(claims)["node_id"])
    in_thread = with_text.loc[(with_text["responds_to"].astype(str) != "") | with_text["claim_id"].isin(answered)]
    for frame in (in_thread, with_text, claims):
        if len(frame):
            return str(frame["claim_id"].iloc[0])
    pytest.skip("the dataset has no claim")


def nav_paths(page) -> list[str]:
    hrefs = page.locator('[data-testid="stSidebarNavLink"]').evaluate_all("links => links.map(a => a.getAttribute('href'))")
    return [urlsplit(href).path or "/" for href in hrefs]


def scan(page) -> list[dict]:
    # charts draw after the script run: wait until plotly has laid them out, so that they are scanned too
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=\"stPlotlyChart\"]')].every(c => c.querySelector('.main-svg'))",
        polling=100,
    )
    page.add_script_tag(path=str(AXE))
    return page.evaluate(RUN_AXE)


def test_axe_finds_no_serious_violation_on_any_page(data_server, page, curated):
    assert AXE.is_file(), f"{AXE} is missing: run `bash scripts/bootstrap.sh --dev` (it installs axe-core from npm)"
    open_page(page, data_server, "/")
    paths = nav_paths(page)
    assert len(paths) >= 5, paths
    claim = detail_claim(curated)
    targets = []
    for path in paths:
        name = path.rstrip("/").rsplit("/", 1)[-1]
        targets.append(path + (f"?claim={quote(claim)}" if name == "claims" else ""))
        # the views and tabs behind parameters, each built only when opened
        if name == "claims":
            targets.append(f"{path}?claim={quote(claim)}&detail={quote('Reaction cascade')}")
        if name == "timeline":
            targets += [f"{path}?view=trends", f"{path}?view=cascade&claim={quote(claim)}", f"{path}?view=latency"]
        if name == "actor":
            speaker = quote(str(curated.claims.loc[curated.claims["claim_id"] == claim, "speaker"].iloc[0]))
            targets += [f"{path}?speaker={speaker}&section={quote(section)}" for section in ("Over time", "Threads")]
        if name == "relations":
            targets.append(f"{path}?chart={quote('Curated relations')}")
    problems = {}
    for target in targets:
        page.goto(data_server.url + target)
        wait_ready(page)
        assert_no_error(page)
        assert main(page).locator("h1").count() == 1, target
        found = [v for v in scan(page) if v["impact"] in FAILING or v["id"] in ALWAYS_FAILING]
        if found:
            problems[target] = found
    assert problems == {}, "\n".join(
        f"{target}: {v['impact']} {v['id']} ({v['help']}): {v['nodes']}" for target, found in problems.items() for v in found
    )
