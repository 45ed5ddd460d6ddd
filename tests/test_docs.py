"""The schema is defined once: the docs, the data dictionary and datapackage.json must follow it."""

from __future__ import annotations

import contextlib
import io
import json

from claimscope.__main__ import dictionary, file_header
from claimscope.filters import ALL_PARAM_NAMES
from claimscope.schema import FILES, frictionless_schema
from tests.conftest import DATA_DIR, ROOT


def test_docs_carry_the_generated_data_dictionary():
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        dictionary()
    assert out.getvalue().strip() in (ROOT / "docs" / "data.md").read_text(encoding="utf-8"), (
        "docs/data.md is behind claimscope/schema.py: paste the output of `python -m claimscope dictionary`"
    )


def test_datapackage_resources_follow_the_schema():
    package = json.loads((DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))
    resources = {r["path"]: r["schema"] for r in package["resources"]}
    assert set(resources) == {spec.name for spec in FILES if (DATA_DIR / spec.name).exists()}
    for spec in FILES:
        columns = file_header(DATA_DIR / spec.name)
        assert resources[spec.name] == frictionless_schema(spec, columns), (
            f"run `python -m claimscope datapackage data` ({spec.name})"
        )
    assert package["claimscope"]["subject"]
    assert package["claimscope"]["topics"]


def test_datapackage_passes_the_standards_own_validator():
    """`frictionless validate data/datapackage.json`: the descriptor and every row, by the Data Package standard."""
    import frictionless

    report = frictionless.validate(str(DATA_DIR / "datapackage.json"))
    problems = [f"{e.type}: {e.message}" for task in report.tasks for e in task.errors] + [e.message for e in report.errors]
    assert report.valid, problems[:20]


def test_readme_documents_every_url_parameter_and_starts_with_the_two_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in ALL_PARAM_NAMES:
        assert f"`{name}`" in readme, name
    commands = [line for line in readme.splitlines() if line.startswith(("bash ", ".venv/"))][:2]
    assert commands[0].endswith("streamlit run app.py")
    assert "pytest" in commands[1]
    assert commands[1] in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
