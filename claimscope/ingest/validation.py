"""Validation of a dataset against the schema of :mod:`claimscope.schema`.

The checks of every column are derived from its :class:`~claimscope.schema.Field` and run by
pandera with lazy validation, so every failure is collected in one pass. Cross-file rules (codes,
references, quotes in their source text) are column checks too: their context (the codes, the ids,
the texts) is built from the whole dataset before the files are checked. Rows are indexed by their
CSV line, so pandera's failure index *is* the line to report.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pandas as pd
import pyarrow
import pyarrow.compute as pc

from claimscope.dates import date_columns, date_error, parse_partial_date
from claimscope.ingest.csvio import NO_COLUMN, Problem, Table
from claimscope.ingest.places import builtin_codes, code_hint, iso_alpha3_codes
from claimscope.schema import (
    CLAIMS,
    COUNTRIES,
    EVENTS,
    LIST_SEPARATOR,
    RELATIONS_FILE,
    Field,
    FileSpec,
    Kind,
)

CODE_PATTERN = re.compile(r"^[A-Z][A-Z0-9_]{1,15}$")
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MIN_YEAR, MAX_YEAR = 1678, 2261  # what pandas' nanosecond timestamps can hold


def split_list(cell: str) -> list[str]:
    """The items of a ``;``-list cell, stripped, empty items left out."""
    return [item.strip() for item in cell.split(LIST_SEPARATOR) if item.strip()]


def fold_whitespace(text: str) -> str:
    return " ".join(text.split())


@dataclass
class Context:
    """What the checks of one file need to know about the rest of the dataset."""

    codes: frozenset[str] | None = None  # the codes of countries.csv; None: the dataset has none
    speakers: frozenset[str] | None = None  # None: no actors.csv
    claim_ids: frozenset[str] = frozenset()
    event_ids: frozenset[str] = frozenset()
    source_ids: frozenset[str] | None = None  # None: no sources.csv
    topics: frozenset[str] | None = None  # None: no vocabulary declared
    source_texts: Mapping[str, str] = field(default_factory=dict)  # source_id -> folded text
    source_paths: Mapping[str, str] = field(default_factory=dict)  # source_id -> text path
    available_files: frozenset[str] = frozenset()  # paths of the dataset's files
    unreadable_texts: Mapping[str, str] = field(default_factory=dict)  # path -> why
    dates: pd.Series = field(default_factory=lambda: pd.Series(dtype=object))  # date text, indexed by claim or event id
    #: for a file validated in parts (a large claims.csv, chunk by chunk): per ID column, the first line of
    #: each id of the part that occurs more than once in the whole file; None: the frame is the whole file
    first_lines: Mapping[str, Mapping[str, int]] | None = None


@dataclass(frozen=True)
class Rule:
    """A named check of a column: which cells pass, and what to say of one that fails."""

    key: str
    passes: Callable[[pd.Series], pd.Series]
    message: Callable[[str, int], str]


def _code_problem(code: str, context: Context) -> str | None:
    """ISO 3166-1 alpha-3 codes and the built-in groups are always known; countries.csv adds its own."""
    if code in iso_alpha3_codes() or code in builtin_codes() or (context.codes is not None and code in context.codes):
        return None
    if context.codes is not None:
        message = f"{code!r} is not an ISO 3166-1 alpha-3 code, a built-in group or a code of countries.csv"
    else:
        message = f"{code!r} is not an ISO 3166-1 alpha-3 code or a built-in group, and there is no countries.csv to define it"
    hint = code_hint(code, context.codes or frozenset())
    return f"{message} ({hint})" if hint else message


_PLAIN_URL = re.compile(r"^https?://[^\s/?#@]+(?:[/?#]\S*)?$", re.IGNORECASE)


def _url_problem(url: str) -> str | None:
    if _PLAIN_URL.match(url):  # the common case, without urlsplit (a million rows)
        return None
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or any(c.isspace() for c in url):
        return f"{url!r} is not an absolute http or https address"
    return None


def _path_problem(path: str, context: Context) -> str | None:
    if path.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", path) or ".." in re.split(r"[/\\]", path):
        return f"{path!r} must be a relative path inside the dataset folder"
    if path not in context.available_files:
        return f"{path!r} does not exist in the dataset"
    if path in context.unreadable_texts:
        return f"{path!r} cannot be read: {context.unreadable_texts[path]}"
    return None


def _number_problem(value: str, name: str) -> str | None:
    try:
        number = float(value)
    except ValueError:
        return f"{value!r} is not a number"
    limit = {"lat": 90.0, "lon": 180.0}.get(name)
    if not math.isfinite(number):
        return f"{value!r} is not a finite number"
    if limit is not None and not -limit <= number <= limit:
        return f"{value!r} is outside -{limit:g} to {limit:g}"
    return None


def _date_problem(value: str) -> str | None:
    reason = date_error(value)
    if reason is None and not MIN_YEAR <= int(value[:4]) <= MAX_YEAR:
        return f"{value!r} is outside the years {MIN_YEAR} to {MAX_YEAR} that the app can place on a timeline"
    return reason


def _item_rule(
    key: str, problem: Callable[[str], str | None], is_list: bool, known_good: Callable[[pd.Series], pd.Series] | None = None
) -> Rule:
    """A rule checked cell by cell (or item by item for ;-lists); empty cells pass.

    ``known_good`` is a vectorised pre-check: the cells it passes are not looked at one by one
    (a million distinct URLs or ids would otherwise each cost a Python call).
    """

    def cell_problem(cell: str) -> str | None:
        if not cell.strip():
            return None
        if not is_list:
            return problem(cell)
        messages = [m for item in split_list(cell) if (m := problem(item))]
        return "; ".join(messages) if messages else None

    def passes(series: pd.Series) -> pd.Series:
        good = pd.Series(False, index=series.index)
        if known_good is not None:
            good = pd.Series(known_good(series).to_numpy(dtype=bool, na_value=False), index=series.index)
            if good.all():
                return good
        doubtful = series[~good]
        # distinct values only: a million rows share few codes, dates and slugs
        verdicts = {value: cell_problem(value) is None for value in pd.unique(doubtful)}
        good.loc[~good] = doubtful.map(verdicts).astype(bool).to_numpy()
        return good

    return Rule(key, passes, lambda value, line: cell_problem(value) or "is invalid")


def field_rules(spec: FileSpec, f: Field, frame: pd.DataFrame, context: Context) -> list[Rule]:
    """Every rule of one column, derived from its Field and the dataset's context."""
    rules: list[Rule] = []
    if f.required:
        rules.append(Rule("required", lambda s: s.str.strip().ne(""), lambda v, line: "is required but empty"))
    if f.kind is Kind.ID and context.first_lines is not None and f.name in context.first_lines:
        rules.append(_unique_in_whole_file(f.name, context.first_lines[f.name]))
    elif f.kind is Kind.ID:
        ids = frame[f.name]

        def first_line(value: str) -> int:
            # looked up only for the (few) failing cells, not built for a million ids
            return int(ids.index[(ids == value).to_numpy(dtype=bool, na_value=False)][0])

        rules.append(
            Rule(
                "unique",
                lambda s: ~s.duplicated(keep="first") | s.eq(""),
                lambda v, line: f"duplicate {f.name} {v!r} (first on line {first_line(v)})",
            )
        )
    elif f.kind is Kind.DATE:
        rules.append(_item_rule("date", _date_problem, False))
    elif f.kind is Kind.ENUM:
        allowed = ", ".join(f.values)
        rules.append(_item_rule("one_of", lambda v: None if v in f.values else f"{v!r} is not one of {allowed}", False))
    elif f.kind in (Kind.CODE, Kind.CODE_LIST):
        rules.append(_item_rule("code", lambda v: _code_problem(v, context), f.is_list))
    elif f.kind is Kind.SLUG_LIST:

        def slug_problem(v: str) -> str | None:
            if not SLUG_PATTERN.match(v):
                return f"{v!r} is not a lowercase slug (letters, digits and single hyphens)"
            if context.topics is not None and v not in context.topics:
                return f"{v!r} is not in the topic vocabulary of datapackage.json"
            return None

        rules.append(_item_rule("slug", slug_problem, True))
    elif f.kind is Kind.URL:
        rules.append(_item_rule("url", _url_problem, False, lambda s: s.str.match("(?i)" + _PLAIN_URL.pattern) | s.eq("")))
    elif f.kind is Kind.BOOL:
        rules.append(_item_rule("bool", lambda v: None if v in ("true", "false") else f"{v!r} is not true or false", False))
    elif f.kind is Kind.NUMBER:
        rules.append(_item_rule("number", lambda v: _number_problem(v, f.name), False))
    elif f.kind is Kind.PATH:
        rules.append(_item_rule("path", lambda v: _path_problem(v, context), False))
    elif f.kind in (Kind.REF, Kind.REF_LIST):
        rules.append(
            _item_rule("ref", lambda v: _reference_problem(f, v, frame, context), f.is_list, _known_references(f, context))
        )
    return rules + _cross_rules(spec, f, frame, context)


def _unique_in_whole_file(name: str, first_lines: Mapping[str, int]) -> Rule:
    """The unique rule of a part of a file: a row fails when its id is first on an earlier line of the file.

    The same verdicts and messages as the rule over the whole file (``duplicated(keep="first")``), given
    the first line of every id that occurs more than once.
    """

    def passes(series: pd.Series) -> pd.Series:
        first = series.map(first_lines)
        later = first.notna().to_numpy(dtype=bool) & (first.to_numpy(dtype=float, na_value=-1) != series.index.to_numpy())
        return pd.Series(~later, index=series.index) | series.eq("").to_numpy(dtype=bool, na_value=False)

    return Rule("unique", passes, lambda v, line: f"duplicate {name} {v!r} (first on line {first_lines[v]})")


def _known_references(f: Field, context: Context) -> Callable[[pd.Series], pd.Series] | None:
    """Vectorised: single references that name an existing id (lists go cell by cell)."""
    if f.is_list:
        return None
    targets = {
        "sources.csv.source_id": context.source_ids,
        "claims.csv.claim_id": context.claim_ids,
        "events.csv.event_id": context.event_ids,
    }
    known = [targets[t] for t in f.refers_to if targets[t] is not None]
    if not known:
        return None
    ids = pyarrow.array(list(frozenset().union(*known)), type=pyarrow.large_string())

    def known_good(series: pd.Series) -> pd.Series:
        # Arrow's hash-based is_in: a million ids against a million ids in well under a second
        values = pyarrow.array(series.astype(object).fillna("").to_numpy(dtype=object), type=pyarrow.large_string())
        found = pc.is_in(values, value_set=ids).to_numpy(zero_copy_only=False)
        return pd.Series(found, index=series.index) | series.eq("").to_numpy(dtype=bool, na_value=False)

    return known_good


def _reference_problem(f: Field, value: str, frame: pd.DataFrame, context: Context) -> str | None:
    targets = {
        "sources.csv.source_id": context.source_ids,
        "claims.csv.claim_id": context.claim_ids,
        "events.csv.event_id": context.event_ids,
    }
    known = [targets[t] for t in f.refers_to if targets[t] is not None]
    if f.refers_to == ("sources.csv.source_id",) and context.source_ids is None:
        return f"{value!r} refers to sources.csv, which the dataset does not have"
    if not any(value in ids for ids in known):
        names = " or ".join(t.rsplit(".", 1)[1] for t in f.refers_to)
        return f"{value!r} is not a {names} of this dataset"
    return None


def _cross_rules(spec: FileSpec, f: Field, frame: pd.DataFrame, context: Context) -> list[Rule]:
    """Rules of one column that look at other columns or files."""
    rules: list[Rule] = []
    if spec is CLAIMS and f.name == "speaker" and context.speakers is not None:
        speakers = context.speakers
        rules.append(
            Rule(
                "speaker",
                lambda s: s.str.strip().eq("") | s.isin(speakers),
                lambda v, line: f"{v!r} is not a name or alias in actors.csv",
            )
        )
    if spec is CLAIMS and f.name == "speaker_country" and "attribution" in frame:
        unattributed = frame["attribution"].eq("unattributed")
        rules.append(
            Rule(
                "speaker_country",
                lambda s: s.str.strip().ne("") | unattributed.reindex(s.index, fill_value=False),
                lambda v, line: "is required (it may be empty only when attribution is unattributed)",
            )
        )
    if spec is CLAIMS and f.name == "quote" and "source_id" in frame:
        verdicts = _quote_verdicts(frame, context)
        rules.append(
            Rule(
                "verbatim",
                lambda s: verdicts.reindex(s.index, fill_value=True),
                lambda v, line: verdicts_message(frame, line, context),
            )
        )
    if spec is CLAIMS and f.name == "responds_to":
        own_ids, own_dates = frame.get("claim_id"), frame.get("date")

        def responds_problem(line: int) -> str | None:
            target = frame.at[line, "responds_to"].strip()
            if not target:
                return None
            if own_ids is not None and target == own_ids.at[line]:
                return f"{target!r} is the claim itself"
            if own_dates is None or target not in context.dates.index:
                return None
            mine, theirs = own_dates.at[line], context.dates[target]
            if date_error(mine) or date_error(theirs):
                return None
            if parse_partial_date(mine).end < parse_partial_date(theirs).start:
                return f"the reaction ({mine}) is dated before {target!r} ({theirs}), which it responds to"
            return None

        rules.append(_line_rule("responds_order", frame, responds_problem, _responds_suspects(frame, context)))
    if (spec is EVENTS and f.name == "end_date") or (spec is RELATIONS_FILE and f.name == "end"):
        start_column = "date" if spec is EVENTS else "start"

        def order_problem(line: int) -> str | None:
            end = frame.at[line, f.name].strip()
            start = frame.at[line, start_column].strip() if start_column in frame else ""
            if not end or not start or date_error(end) or date_error(start):
                return None
            if parse_partial_date(end).end < parse_partial_date(start).start:
                return f"{end!r} is before {start_column} {start!r}"
            return None

        rules.append(_line_rule("date_order", frame, order_problem))
    if spec is COUNTRIES and f.name == "members" and "code" in frame:

        def self_member(line: int) -> str | None:
            code = frame.at[line, "code"]
            return f"{code!r} cannot be a member of itself" if code in split_list(frame.at[line, "members"]) else None

        rules.append(_line_rule("members_self", frame, self_member))
    return rules


def _line_rule(key: str, frame: pd.DataFrame, problem: Callable[[int], str | None], suspects: pd.Series | None = None) -> Rule:
    """A rule that needs the whole row: evaluated once per line, up front.

    ``suspects`` (a vectorised pre-check) limits the per-line Python work to the lines that may fail,
    which matters at a million rows.
    """
    lines = frame.index if suspects is None else frame.index[suspects.to_numpy(dtype=bool)]
    messages = {line: m for line in lines if (m := problem(line))}
    return Rule(
        key,
        lambda s: pd.Series(~s.index.isin(list(messages)), index=s.index),
        lambda v, line: messages.get(line, "is invalid"),
    )


def _responds_suspects(frame: pd.DataFrame, context: Context) -> pd.Series:
    """Lines that respond to themselves or to something dated after them (vectorised)."""
    targets = frame["responds_to"].astype(str).str.strip()
    answering = targets.ne("")
    suspects = answering & targets.eq(frame["claim_id"].astype(str)) if "claim_id" in frame else answering & False
    if "date" in frame and answering.any():
        target_dates = targets[answering].map(context.dates).astype(object).fillna("")
        mine = date_columns(frame.loc[answering, "date"].astype(str))
        theirs = date_columns(target_dates)
        early = (mine["end"] < theirs["start"]).fillna(False)
        suspects = suspects | early.reindex(frame.index, fill_value=False)
    return suspects


def _quote_verdicts(frame: pd.DataFrame, context: Context) -> pd.Series:
    verdicts = pd.Series(True, index=frame.index)
    has_text = frame["source_id"].isin(list(context.source_texts))
    for line in frame.index[has_text]:
        text = context.source_texts[frame.at[line, "source_id"]]
        verdicts.at[line] = fold_whitespace(str(frame.at[line, "quote"])) in text
    return verdicts


def verdicts_message(frame: pd.DataFrame, line: int, context: Context) -> str:
    source = frame.at[line, "source_id"]
    return f"the quote is not found verbatim in {context.source_paths.get(source, 'the text')} (source {source!r})"


def validate_table(spec: FileSpec, table: Table, context: Context) -> list[Problem]:
    """Every problem of one parsed file: missing columns, then each cell's rules (lazily, all at once)."""
    problems: list[Problem] = []
    frame = table.rows
    if not table.header and table.problems:
        return problems  # the file could not be read (empty, not UTF-8): its problems already say why
    missing = set()
    for f in spec.fields:
        if f.name not in frame.columns:
            if f.required:
                problems.append(Problem(spec.name, table.header_line, f.name, "required column is missing"))
                missing.add(f.name)  # reported once, not once more per row
            frame[f.name] = ""
    if frame.empty:
        return problems
    # pandera is imported when a table is validated, not with the module: a server opening a current cache never
    # validates, and the import cost its restart 0.27 s (python -X importtime)
    import pandera.pandas as pa

    registry: dict[tuple[str, str], Rule] = {}
    columns = {}
    for f in spec.fields:
        checks = []
        for rule in field_rules(spec, f, frame, context):
            if rule.key == "required" and f.name in missing:
                continue
            registry[(f.name, rule.key)] = rule
            checks.append(pa.Check(rule.passes, name=rule.key, ignore_na=False))
        columns[f.name] = pa.Column(checks=checks, nullable=True, required=False)
    schema = pa.DataFrameSchema(columns, strict=False, name=spec.name)
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        cases = errors.failure_cases
        for record in cases.itertuples(index=False):
            rule = registry.get((record.column, record.check))
            if rule is None or pd.isna(record.index):
                problems.append(Problem(spec.name, 1, str(record.column or NO_COLUMN), str(record.check)))
                continue
            line = int(record.index)
            value = frame.at[line, record.column]
            problems.append(Problem(spec.name, line, str(record.column), rule.message(value, line)))
    return problems


def validate_package(text: str) -> tuple[dict, list[Problem]]:
    """Parse ``datapackage.json``; a syntax error names its line and column."""
    import json

    try:
        package = json.loads(text)
    except json.JSONDecodeError as exc:
        return {}, [Problem("datapackage.json", exc.lineno, str(exc.colno), f"not valid JSON: {exc.msg}")]
    if not isinstance(package, dict):
        return {}, [Problem("datapackage.json", 1, "1", "must be a JSON object")]
    problems = []
    extra = package.get("claimscope", {})
    if not isinstance(extra, dict):
        problems.append(Problem("datapackage.json", 1, "claimscope", "must be an object"))
        extra = {}
    topics = extra.get("topics")
    if topics is not None and not isinstance(topics, (dict, list)):
        problems.append(Problem("datapackage.json", 1, "claimscope.topics", "must be an object of slug: definition"))
    return package, problems
