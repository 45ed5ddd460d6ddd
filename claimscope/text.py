"""Untrusted text, made safe to show: the data, uploads and URL parameters are text, never markup.

Streamlit's markdown renders links, images and ``$…$`` maths; these helpers escape every markdown
character so that data reaches the page literally, and locate a quote in its source text for
highlighting without building markup from the data.
"""

from __future__ import annotations

import html
import re

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|$:~&=\"'^%@,;/?])")
#: characters that reorder or hide text (bidi overrides and isolates, zero-width joiners)
_INVISIBLE = re.compile("[\u202a-\u202e\u2066-\u2069\u200b-\u200f\u2028\u2029\ufeff]")


_WORD_JOINER = "\u2060"
#: what GitHub-flavoured markdown turns into a link even when escaped: scheme://, www., user@host
_AUTOLINK = re.compile(r"(?i)(?:[a-z][a-z0-9+.-]*:/|\bwww\.|[a-z0-9._%+-]@)")


def escape_markdown(text: str) -> str:
    """Backslash-escape every character that Streamlit's markdown could read as syntax.

    CommonMark lets any ASCII punctuation be escaped, so the result renders as the literal text. Bare
    addresses (``http://…``, ``www.…``, ``a@b.c``) are linked by GFM after escapes are read, so an invisible
    word joiner (U+2060) is put inside each such pattern to keep it text.
    Line breaks are kept as hard breaks; bidi controls are made visible rather than obeyed.
    """
    plain = _AUTOLINK.sub(lambda m: m.group()[:-1] + _WORD_JOINER + m.group()[-1], reveal_invisible(str(text)))
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", plain)
    return escaped.replace("\n", "  \n")


def reveal_invisible(text: str) -> str:
    """Replace bidi overrides and zero-width characters by a visible marker (they could disguise text)."""
    return _INVISIBLE.sub(lambda m: f"[U+{ord(m.group()):04X}]", text)


def escape_plotly(text: str, limit: int = 300) -> str:
    """Text for plotly labels and hovers: plotly reads a subset of HTML, so it is escaped, and shortened.

    Plotly also fills ``%{…}`` in labels, legend names and titles from the figure (a layout's ``meta`` may hold
    every row's raw name): ``{`` is written as the character reference ``&#123;``, which Plotly turns back into
    ``{`` when it draws the text, after filling templates, so that no template can be made of the data.
    """
    value = reveal_invisible(str(text))
    if len(value) > limit:
        value = value[: limit - 1] + "…"
    return html.escape(value, quote=True).replace("{", "&#123;")


def shorten(text: str, limit: int = 60) -> str:
    """``text`` cut to ``limit`` characters, an ellipsis marking the cut (a value quoted in a notice)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def find_quote(text: str, quote: str) -> tuple[int, int] | None:
    """Where ``quote`` stands in ``text`` (white space folded, as the validator compares), or None."""
    words = quote.split()
    if not words:
        return None
    pattern = r"\s+".join(re.escape(word) for word in words)
    match = re.search(pattern, text)
    return (match.start(), match.end()) if match else None


def quote_context(text: str, quote: str, margin: int = 600) -> tuple[str, str, str] | None:
    """The quote with the text around it: (before, quote, after), each plain text, or None if absent."""
    span = find_quote(text, quote)
    if span is None:
        return None
    start, end = span
    before_start = max(0, start - margin)
    after_end = min(len(text), end + margin)
    before = ("…" if before_start > 0 else "") + text[before_start:start]
    after = text[end:after_end] + ("…" if after_end < len(text) else "")
    return before, text[start:end], after


#: a cell that starts like this (after any apostrophes) would run as a formula in a spreadsheet
_FORMULA_LIKE = re.compile(r"^'*[=+\-@\t\r]")
_NEUTRALISED = re.compile(r"^'+[=+\-@\t\r]")


def neutralise_cell(value: object) -> object:
    """Prefix a cell that a spreadsheet would run as a formula with an apostrophe (OWASP CSV injection).

    Cells that already start with apostrophes before such a character get one more, so that
    :func:`restore_cell` can undo it exactly: an export uploaded again gives the same rows.
    """
    if isinstance(value, str) and _FORMULA_LIKE.match(value):
        return "'" + value
    return value


def restore_cell(value: str) -> str:
    """Undo :func:`neutralise_cell` when a claimscope export is read again."""
    if value[:1] == "'" and _NEUTRALISED.match(value):
        return value[1:]
    return value
