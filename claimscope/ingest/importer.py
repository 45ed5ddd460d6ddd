"""An analyst's own list (CSV or .xlsx, their own headers, country names, written dates) made into a dataset.

``python -m claimscope import FILE OUT_DIR`` and the Data page's "map my columns" step run this module:

1. :func:`read_sheet` reads the file (one sheet of a workbook, chosen by name when there are several);
2. :func:`suggest_columns` matches its headers to the contract's fields by their usual names (Date, Who,
   Country, Nation, Statement, Quote, Text, Link, URL …), for the analyst to confirm or change;
3. :func:`convert` turns every row into a row of ``claims.csv``: country names into codes
   (:func:`claimscope.ingest.places.resolve_place`), written dates into ISO dates at their precision
   (:mod:`claimscope.ingest.writtendates`), values such as "Supportive" into the contract's ``support``, and
   claim_ids made from each statement when the sheet has none. Whatever could be read two ways is a
   question (a :class:`~claimscope.ingest.csvio.Problem` in the sheet's terms), never a guess; the
   :class:`Mapping` records every answer, and is written beside the dataset so that next month's sheet
   imports the same way.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
import zipfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd

from claimscope.ingest.csvio import NO_COLUMN, Problem, Table, read_csv_table
from claimscope.ingest.dataset import Dataset, load_dataset
from claimscope.ingest.places import fold_name, known_codes, resolve_place
from claimscope.ingest.sheets import XLSX_SUFFIX, read_xlsx_table
from claimscope.ingest.upload import MAPPING_FILE
from claimscope.ingest.writtendates import DAY_FIRST, MONTH_FIRST, ORDERS, read_written_date
from claimscope.schema import CLAIMS, COUNTRIES, FILES, LIST_SEPARATOR, PACKAGE_FILE, SOURCES, frictionless_schema
from claimscope.views.export import to_csv_bytes

MAPPING_VERSION = 1
#: a target beyond claims.csv's columns: the name or title of the source, which becomes a row of sources.csv
SOURCE_NAME = "source"
SUFFIXES = (".csv", XLSX_SUFFIX)

#: the usual names of each field's column (folded as :func:`fold_header` folds), the field's own name included
SYNONYMS: dict[str, tuple[str, ...]] = {
    "claim_id": ("claim id", "id", "statement id", "ref", "reference", "ref no", "no", "number"),
    "date": ("date", "when", "day", "date of statement", "statement date", "dated", "date said"),
    "speaker": ("speaker", "who", "said by", "person", "actor", "spokesperson", "official", "by", "speaker name", "name"),
    "speaker_country": (
        "speaker country",
        "country",
        "nation",
        "state",
        "government",
        "country or organisation",
        "country or organization",
        "country organisation",
        "country organization",
        "organisation",
        "organization",
        "entity",
        "actor country",
    ),
    "kind": ("kind", "statement kind", "claim or reaction"),
    "quote": ("quote", "statement", "text", "quotation", "what was said", "words", "excerpt", "statement text", "quote text"),
    "summary": ("summary", "gist", "abstract", "description"),
    "about": ("about", "target", "regarding", "about countries", "concerning", "countries concerned"),
    "claim_type": ("claim type", "type of claim", "statement type", "type"),
    "stance": ("stance", "position", "attitude", "sentiment", "tone"),
    "topics": ("topics", "topic", "theme", "themes", "tags", "tag", "issue", "issues"),
    "certainty": ("certainty", "confidence"),
    "attribution": ("attribution",),
    "responds_to": ("responds to", "in response to", "reply to", "response to"),
    "date_basis": ("date basis", "date source"),
    "url": ("url", "link", "source url", "source link", "web link", "hyperlink", "web address", "address", "href"),
    SOURCE_NAME: ("source", "outlet", "publication", "publisher", "media", "source name", "medium"),
}
#: what each target means, for the mapping step
TARGET_HELP = {f.name: f.description for f in CLAIMS.fields} | {
    SOURCE_NAME: "The source's name or title (e.g. a ministry's site or a newspaper): each becomes a row of sources.csv.",
}
TARGETS: tuple[str, ...] = (*(f.name for f in CLAIMS.fields if f.name != "source_id"), SOURCE_NAME)
#: grammatical variants of the contract's values ("Supportive" is support); nothing is inferred beyond these
VALUE_VARIANTS: dict[str, dict[str, str]] = {
    "stance": {
        "supportive": "support",
        "supports": "support",
        "supporting": "support",
        "opposed": "oppose",
        "opposes": "oppose",
        "opposing": "oppose",
        "concerned": "concern",
        "concerns": "concern",
    },
    "kind": {"claims": "claim", "reactions": "reaction"},
}
_URL = re.compile(r"^https?://\S+$", re.IGNORECASE)


def fold_header(name: str) -> str:
    """A header as compared with the synonyms: case, accents and punctuation folded ("Source URL:" → "source url")."""
    return fold_name(str(name).replace("_", " "))


@dataclass
class Mapping:
    """Every choice an import needs: which column holds which field, and the answers to its questions."""

    columns: dict[str, str] = field(default_factory=dict)  # field -> header
    sheet: str | None = None
    header_row: int | None = None
    date_order: str | None = None  # dayfirst or monthfirst, for dates such as 03/04/2024
    kind: str = "claim"  # the kind of every row, when no column holds it
    countries: dict[str, str] = field(default_factory=dict)  # typed name -> code
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # field -> {typed value: contract value}
    id_prefix: str = "c"

    def to_json(self) -> str:
        return json.dumps({"claimscope_import": MAPPING_VERSION, **asdict(self)}, indent=2, ensure_ascii=False) + "\n"

    @classmethod
    def from_json(cls, text: str, file: str = MAPPING_FILE) -> tuple[Mapping, list[Problem]]:
        """A saved mapping; anything it holds that is not understood is reported, not used."""
        try:
            raw = json.loads(text)
        except ValueError as exc:
            line = getattr(exc, "lineno", 1)
            return cls(), [Problem(file, line, NO_COLUMN, f"not valid JSON: {exc}")]
        if not isinstance(raw, dict):
            return cls(), [Problem(file, 1, NO_COLUMN, "must be a JSON object")]
        problems: list[Problem] = []
        mapping = cls()

        def text_map(key: str) -> dict[str, str]:
            value = raw.get(key) or {}
            if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
                problems.append(Problem(file, 1, key, "must be an object of text: text"))
                return {}
            return dict(value)

        mapping.columns = {k: v for k, v in text_map("columns").items() if k in TARGETS}
        for unknown in sorted(set(text_map("columns")) - set(TARGETS)):
            problems.append(Problem(file, 1, "columns", f"{unknown!r} is not a field an import can fill"))
        mapping.countries = text_map("countries")
        values = raw.get("values") or {}
        if isinstance(values, dict) and all(isinstance(v, dict) for v in values.values()):
            mapping.values = {str(k): {str(a): str(b) for a, b in v.items()} for k, v in values.items()}
        else:
            problems.append(Problem(file, 1, "values", "must be an object of field: {text: value}"))
        for key, allowed in (("date_order", (*ORDERS, None)), ("kind", CLAIMS.field("kind").values)):
            value = raw.get(key, getattr(mapping, key))
            if value in allowed:
                setattr(mapping, key, value)
            else:
                problems.append(Problem(file, 1, key, f"{value!r} is not one of {', '.join(str(a) for a in allowed)}"))
        for key in ("sheet", "id_prefix"):
            if isinstance(raw.get(key), str) and raw[key]:
                setattr(mapping, key, raw[key])
        if isinstance(raw.get("header_row"), int) and raw["header_row"] > 0:
            mapping.header_row = raw["header_row"]
        return mapping, problems


def read_sheet(name: str, data: bytes, sheet: str | None = None, header_row: int | None = None) -> Table:
    """The rows of a CSV file or of one sheet of a workbook, with the file's own line or row numbers."""
    if name.lower().endswith(XLSX_SUFFIX):
        return read_xlsx_table(name, data, source=name, sheet=sheet, header_row=header_row)
    if name.lower().endswith(".xls"):
        table = read_csv_table(name, b"")
        table.problems = [Problem(name, 1, NO_COLUMN, "an old .xls workbook: save it as .xlsx (Excel Workbook) or CSV UTF-8")]
        return table
    return read_csv_table(name, data)


def _looks_like_urls(values: pd.Series) -> bool:
    filled = values[values.str.strip() != ""]
    return len(filled) > 0 and filled.str.strip().str.match(_URL.pattern, case=False).mean() >= 0.5


def suggest_columns(table: Table) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Field -> header for the headers whose names say what they hold, and the fields several headers claim.

    A "Source" column of web addresses is the url; of names, the source. A "Type" column of claim/reaction
    is the kind. Exact field names win over synonyms; otherwise two headers for one field are a question.
    """
    candidates: dict[str, list[str]] = {}
    for header in table.header:
        folded = fold_header(header)
        target = next((t for t, names in SYNONYMS.items() if folded == fold_header(t) or folded in names), None)
        if target is None:
            continue
        values = table.rows[header].astype(str)
        if target == SOURCE_NAME and _looks_like_urls(values):
            target = "url"  # a "Source" column of web addresses
        if target == "claim_type":
            filled = {fold_header(v) for v in values if v.strip()}
            if filled and filled <= {"claim", "reaction", "claims", "reactions"}:
                target = "kind"
        candidates.setdefault(target, []).append(header)
    chosen: dict[str, str] = {}
    conflicts: dict[str, list[str]] = {}
    for target, headers in candidates.items():
        exact = [h for h in headers if fold_header(h) == fold_header(target)]
        if len(headers) == 1 or len(exact) == 1:
            chosen[target] = (exact or headers)[0]
        else:
            conflicts[target] = headers
    return chosen, conflicts


@dataclass
class ImportResult:
    """The dataset's files, and everything an analyst must answer or may want to know."""

    files: dict[str, bytes]
    problems: list[Problem]
    notes: list[str]
    mapping: Mapping
    rows: int = 0
    #: for the mapping step: the questions grouped by what settles them
    ambiguous_dates: list[str] = field(default_factory=list)
    unresolved_places: dict[str, tuple[str, ...]] = field(default_factory=dict)  # typed name -> candidate codes
    unknown_values: dict[str, list[str]] = field(default_factory=dict)  # field -> typed values
    #: the files loaded and validated as the app will load them (None when no file was made)
    dataset: Dataset | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def _slug(text: str, limit: int = 40) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", fold_name(text)).strip("-")
    return slug[:limit].strip("-") or "source"


def _enum(field_name: str, text: str, mapping: Mapping) -> tuple[str | None, str | None]:
    """The contract's value for a typed one, or None and the question."""
    raw = text.strip()
    settled = mapping.values.get(field_name, {})
    if raw in settled:
        return settled[raw], None
    allowed = CLAIMS.field(field_name).values
    key = fold_header(raw).replace(" ", "_")
    if key in allowed:
        return key, None
    variant = VALUE_VARIANTS.get(field_name, {}).get(key)
    if variant:
        return variant, None
    return None, f"{raw!r} is not a {field_name} ({', '.join(allowed)}): say which it is"


def convert(table: Table, mapping: Mapping, settle_unanswered: bool = False) -> ImportResult:
    """Rows of the analyst's table -> claims.csv (and sources.csv, countries.csv when needed), with every question.

    With ``settle_unanswered`` the files are made even when questions remain: the cells in question keep
    their text, and validation will set their rows aside (listed, downloadable) when the dataset loads.
    """
    # a title above the header is not data, and not a problem of the import: it is said, not asked
    notes = [
        f"Row {p.line} is above the header and is not read: {p.message.split('(', 1)[-1].rstrip(')')}"
        for p in table.problems
        if p.message.startswith("above the header")
    ]
    problems = [p for p in table.problems if not p.message.startswith("above the header")]
    result = ImportResult(files={}, problems=problems, notes=notes, mapping=mapping)
    if not table.header:
        result.problems = [table.in_own_terms(p) for p in problems]
        return result
    columns = dict(mapping.columns)
    blocking = []
    for target, header in list(columns.items()):
        if header not in table.header:
            blocking.append(Problem(table.file, table.header_line, NO_COLUMN, f"no column {header!r} to read the {target} from"))
            del columns[target]
    for target in ("date", "quote"):
        if target not in columns:
            blocking.append(
                Problem(table.file, table.header_line, NO_COLUMN, f"which column holds the {target}? none is named like one")
            )
    if "speaker_country" not in columns:
        blocking.append(
            Problem(table.file, table.header_line, NO_COLUMN, "which column holds the speaker's country or organisation?")
        )
    if blocking:
        result.problems = [table.in_own_terms(p) for p in [*problems, *blocking]]
        return result

    rows = table.rows
    out = pd.DataFrame(index=rows.index)

    def cell_problem(line: int, header: str, message: str) -> None:
        problems.append(Problem(table.file, int(line), header, message))

    # dates: each distinct text read once; the order a text fixes is evidence for the question
    header = columns["date"]
    readings = {text: read_written_date(text, mapping.date_order) for text in pd.unique(rows[header].astype(str))}
    fixed = [(line, readings[text]) for line, text in rows[header].items() if readings[text].order]
    dates = []
    for line, text in rows[header].items():
        reading = readings[text]
        if reading.iso:
            dates.append(reading.iso)
            continue
        dates.append(text)
        if not text.strip():
            cell_problem(line, header, "the date is empty")
            continue
        message = reading.problem or "not a date"
        if reading.ambiguous:
            result.ambiguous_dates.append(text)
            hints = [f"{r.text!r} on row {row} is {'day' if r.order == DAY_FIRST else 'month'} first" for row, r in fixed[:1]]
            message += f" ({hints[0]})" if hints else ""
        cell_problem(line, header, message)
    out["date"] = dates

    # countries: the speaker's, and those the statement is about
    resolutions: dict[str, object] = {}

    def place(text: str):
        if text not in resolutions:
            resolutions[text] = resolve_place(text, mapping.countries)
        return resolutions[text]

    def place_problem(line: int, header: str, found) -> None:
        if found.candidates:
            result.unresolved_places[found.text] = found.candidates
            cell_problem(line, header, f"{found.text!r} could be {' or '.join(found.candidates)}: say which code it is")
        else:
            result.unresolved_places.setdefault(found.text, ())
            cell_problem(line, header, f"{found.text!r} is not a country, group or organisation claimscope knows: give its code")

    header = columns["speaker_country"]
    codes = []
    for line, text in rows[header].items():
        found = place(text) if text.strip() else None
        if found is None:
            codes.append("")
        elif found.code:
            codes.append(found.code)
        else:
            codes.append(text.strip())
            place_problem(line, header, found)
    out["speaker_country"] = codes
    if "about" in columns:
        header = columns["about"]
        lists = []
        for line, text in rows[header].items():
            items = _list_items(text, place)
            cells = []
            for item in items:
                found = place(item)
                if found.code:
                    cells.append(found.code)
                else:
                    cells.append(item)
                    place_problem(line, header, found)
            lists.append(LIST_SEPARATOR.join(dict.fromkeys(cells)))
        out["about"] = lists

    if "speaker" in columns:
        out["speaker"] = rows[columns["speaker"]].astype(str).str.strip()
    else:
        out["speaker"] = rows[columns["speaker_country"]].astype(str).str.strip()
        notes.append(f"No column names the speaker: each statement's speaker is its {columns['speaker_country']!r} as written.")
    out["quote"] = rows[columns["quote"]].astype(str)

    # the kind and the other closed lists
    if "kind" not in columns:
        out["kind"] = mapping.kind
        notes.append(f"No column holds the kind: every statement is a {mapping.kind!r}.")
    for target in ("kind", "claim_type", "stance", "certainty", "attribution", "date_basis"):
        if target not in columns:
            continue
        header = columns[target]
        values = []
        for line, text in rows[header].items():
            if not text.strip():
                values.append("")
                continue
            value, question = _enum(target, text, mapping)
            values.append(value if value is not None else text.strip())
            if question:
                result.unknown_values.setdefault(target, [])
                if text.strip() not in result.unknown_values[target]:
                    result.unknown_values[target].append(text.strip())
                cell_problem(line, header, question)
        out[target] = values
    for target in ("summary", "url", "responds_to"):
        if target in columns:
            out[target] = rows[columns[target]].astype(str).str.strip()
    if "topics" in columns:
        out["topics"] = [
            LIST_SEPARATOR.join(dict.fromkeys(_slug(item, 60) for item in re.split(r"[;,]", text) if item.strip()))
            for text in rows[columns["topics"]].astype(str)
        ]

    # sources: one row of sources.csv per distinct name
    files: dict[str, bytes] = {}
    if SOURCE_NAME in columns:
        names = rows[columns[SOURCE_NAME]].astype(str).str.strip()
        ids: dict[str, str] = {}
        for name in pd.unique(names):
            if name:
                slug, n = _slug(name), 2
                while slug in ids.values():
                    slug, n = f"{_slug(name)}-{n}", n + 1
                ids[name] = slug
        out["source_id"] = names.map(lambda n: ids.get(n, ""))
        sources = pd.DataFrame({"source_id": list(ids.values()), "title": list(ids)})
        files[SOURCES.name] = to_csv_bytes(sources)

    # claim ids: the sheet's own, else made from the statement itself (stable when rows are added or moved)
    made = _make_ids(out, mapping.id_prefix)
    if "claim_id" in columns:
        own = rows[columns["claim_id"]].astype(str).str.strip()
        if (own == "").any():
            notes.append(
                f"{int((own == '').sum())} row(s) without a {columns['claim_id']!r} got a claim_id made from the statement."
            )
        out["claim_id"] = own.where(own != "", made)
    else:
        out["claim_id"] = made
        notes.append("The sheet has no id column: each claim_id is made from the statement's date, speaker and quote.")

    # every other column of the sheet is kept, under its own name
    used = set(columns.values())
    reserved = {*CLAIMS.columns, *_RESERVED}
    for header in table.header:
        if header in used:
            continue
        name = header if header not in reserved else f"sheet_{header}"
        out[name] = rows[header].astype(str)
        notes.append(f"The column {header!r} is kept as it is" + (f", as {name!r}." if name != header else "."))

    # codes the analyst settled that claimscope does not know become rows of countries.csv
    own_codes = sorted({code for code in mapping.countries.values() if code not in known_codes()})
    if own_codes:
        names_of = {code: name for name, code in mapping.countries.items()}
        files[COUNTRIES.name] = to_csv_bytes(pd.DataFrame({"code": own_codes, "name": [names_of[c] for c in own_codes]}))

    ordered = [c for c in CLAIMS.columns if c in out] + [c for c in out.columns if c not in CLAIMS.columns]
    files[CLAIMS.name] = to_csv_bytes(out[ordered].reset_index(drop=True))
    files[PACKAGE_FILE] = _package(table, files).encode("utf-8")
    result.files = files
    result.rows = len(out)
    result.dataset = load_dataset(files, name=Path(table.display_name).stem)
    problems.extend(_validation_problems(result.dataset, list(rows.index), columns, problems, table))
    position = {header: i for i, header in enumerate(table.header)}
    problems.sort(key=lambda p: (p.file != table.file, p.line, position.get(p.column, len(position)), p.message))
    result.problems = [table.in_own_terms(p) for p in problems]
    if result.problems and not settle_unanswered:
        result.files = {}
    return result


def _validation_problems(
    dataset: Dataset, sheet_rows: list[int], columns: dict[str, str], asked: list[Problem], table: Table
) -> list[Problem]:
    """The validator's problems with the files made, in the sheet's terms (its rows and headers), not asked twice."""
    seen = {(p.line, p.column) for p in asked}
    row_of = {line: row for line, row in enumerate(sheet_rows, start=2)}  # claims.csv line -> the sheet's row
    found = []
    for problem in dataset.problems:
        if problem.file == CLAIMS.name and problem.line in row_of:
            place = (row_of[problem.line], columns.get(problem.column, problem.column))
            if place not in seen:
                found.append(Problem(table.file, place[0], place[1], problem.message))
                seen.add(place)
        else:
            found.append(problem)
    return found


_RESERVED = ("_line", "_problems", "_search", "date_start", "date_end", "date_precision", "index", "source_id")


def _list_items(text: str, place) -> list[str]:
    """The names in an "about" cell: split at ";", or at "," unless the whole cell is one name ("Korea, Republic of")."""
    text = text.strip()
    if not text:
        return []
    if ";" in text:
        return [item.strip() for item in text.split(";") if item.strip()]
    if "," in text and place(text).code is None:
        return [item.strip() for item in text.split(",") if item.strip()]
    return [text]


def _make_ids(out: pd.DataFrame, prefix: str) -> pd.Series:
    keys = out["date"].astype(str) + "\x1f" + out["speaker"].astype(str) + "\x1f" + out["quote"].astype(str)
    ids, seen = [], {}
    for key in keys:
        base = f"{prefix}-{hashlib.sha1(key.encode('utf-8')).hexdigest()[:10]}"
        seen[base] = seen.get(base, 0) + 1
        ids.append(base if seen[base] == 1 else f"{base}-{seen[base]}")
    return pd.Series(ids, index=out.index)


def _package(table: Table, files: dict[str, bytes]) -> str:
    stem = Path(table.display_name).stem
    package = {
        "name": _slug(stem, 60),
        "title": stem,
        "created": dt.date.today().isoformat(),
        "claimscope": {
            "notes": f"Imported by claimscope from {table.display_name}"
            + (f" (sheet {table.sheet!r})" if table.sheet else "")
            + f"; the mapping used is {MAPPING_FILE}.",
        },
        "resources": [
            {"name": spec.stem, "path": spec.name, "profile": "tabular-data-resource", "schema": frictionless_schema(spec)}
            for spec in FILES
            if spec.name in files
        ],
    }
    return json.dumps(package, indent=2, ensure_ascii=False) + "\n"


def suggested_mapping(table: Table, saved: Mapping | None = None) -> tuple[Mapping, dict[str, list[str]]]:
    """The mapping to start from: a saved one (its columns that this sheet has), else the suggestions."""
    suggested, conflicts = suggest_columns(table)
    if saved is None:
        return Mapping(columns=suggested, sheet=table.sheet or None), conflicts
    mapping = Mapping(**{k: v for k, v in asdict(saved).items()})
    if table.sheet:
        mapping.sheet = table.sheet
    return mapping, {}


def import_file(name: str, data: bytes, mapping: Mapping | None = None, **overrides) -> tuple[Table, ImportResult]:
    """Read and convert one file in one step (the command line's path): suggestions, then the overrides."""
    sheet = overrides.pop("sheet", None) or (mapping.sheet if mapping else None)
    header_row = overrides.pop("header_row", None) or (mapping.header_row if mapping else None)
    settle = overrides.pop("settle_unanswered", False)
    table = read_sheet(name, data, sheet=sheet, header_row=header_row)
    start, conflicts = suggested_mapping(table, mapping)
    start.sheet = table.sheet or None
    start.header_row = header_row
    for key, value in overrides.items():
        if value is None:
            continue
        if key == "columns":  # a header named for one field is no longer suggested for another
            start.columns = {t: h for t, h in start.columns.items() if h not in value.values()}
        if isinstance(value, dict):
            getattr(start, key).update(value)
        else:
            setattr(start, key, value)
    unanswered = [
        Problem(
            table.file, table.header_line, NO_COLUMN, f"{', '.join(map(repr, headers))} could each hold the {target}: say which"
        )
        for target, headers in conflicts.items()
        if target not in start.columns
    ]
    result = convert(table, start, settle_unanswered=settle)
    if unanswered:
        result.problems = [table.in_own_terms(p) for p in unanswered] + result.problems
        if not settle:
            result.files = {}
    return table, result


def dataset_zip(result: ImportResult) -> bytes:
    """The imported dataset as a zip that the Data page loads directly, with the mapping beside it."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in result.files.items():
            archive.writestr(name, data)
        archive.writestr(MAPPING_FILE, result.mapping.to_json())
    return buffer.getvalue()


def describe_mapping(table: Table, mapping: Mapping) -> list[str]:
    """One line per field filled, as the command prints it: ``Date (A) → date``."""
    lines = []
    for target in TARGETS:
        header = mapping.columns.get(target)
        if header:
            letter = f" ({table.letters[header]})" if header in table.letters else ""
            lines.append(f"{header}{letter} → {target}")
    return lines


def order_label(order: str | None) -> str:
    return {DAY_FIRST: "day first (03/04/2024 is 3 April)", MONTH_FIRST: "month first (03/04/2024 is March 4)"}.get(
        order or "", ""
    )
