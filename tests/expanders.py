"""AppTest's view of the expanders whose content a page builds only when opened (``ui.view.built_when_opened``)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

TABLES = "Show as table"


def expander_keys(at: AppTest, label: str = TABLES) -> list[str]:
    """The keys of the expanders labelled ``label`` that the last run drew.

    Read from the widget id, which Streamlit 1.67 writes ``$$ID-<hash>-<key>`` (an internal format: check it when
    Streamlit is upgraded; the tests that use this fail, rather than pass, if it changes).
    """
    return [e.proto.id.split("-", 2)[2] for e in at.expander if e.label == label and e.proto.id.count("-") >= 2]


def open_expanders(at: AppTest, label: str = TABLES) -> AppTest:
    """Open every expander labelled ``label`` as a click would, and rerun: their content is then built."""
    keys = expander_keys(at, label)
    assert keys, f"no expander {label!r} drawn"
    for key in keys:
        at.session_state[key] = True
    return at.run()
