"""A small valid dataset for the validation corpus, and the edits that break it.

``base_files()`` returns ``{relative path: bytes}`` as :func:`claimscope.ingest.dataset.load_dataset` takes it.
Every helper edits that dict in place and fails loudly when the edit would not change anything, so
that a case can never silently test the unbroken base.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

CLAIMS_HEADER = [
    "claim_id",
    "date",
    "speaker",
    "speaker_country",
    "kind",
    "quote",
    "summary",
    "about",
    "claim_type",
    "stance",
    "topics",
    "certainty",
    "attribution",
    "source_id",
    "responds_to",
    "date_basis",
    "url",
]

# claims.csv: c1 on line 2, c2 on line 3, c3 on line 4, c4 on line 5
CLAIMS_ROWS = [
    [
        "c1",
        "2024-06-19",
        "Vladimir Putin",
        "RUS",
        "claim",
        "We will provide mutual assistance",
        "Putin pledges mutual assistance.",
        "RUS;PRK",
        "pledge",
        "support",
        "mutual-defense;treaty",
        "asserted",
        "direct_quote",
        "seed",
        "",
        "stated",
        "https://example.org/seed",
    ],
    [
        "c2",
        "2024-06-19",
        "Kim",
        "PRK",
        "claim",
        "the strongest treaty ever",
        "Kim praises the treaty.",
        "PRK",
        "praise",
        "support",
        "treaty",
        "asserted",
        "direct_quote",
        "seed",
        "",
        "stated",
        "",
    ],
    [
        "c3",
        "2024-06-20",
        "US State Department",
        "USA",
        "reaction",
        "deeply troubling",
        "The United States voices concern about the treaty.",
        "RUS;PRK",
        "concern",
        "oppose",
        "treaty",
        "hedged",
        "paraphrase",
        "wire",
        "c1",
        "inferred",
        "http://example.org/reaction",
    ],
    [
        "c4",
        "2024-06",
        "Example News",
        "",
        "reaction",
        "a new axis",
        "The paper calls the treaty a new axis.",
        "WEST",
        "assessment",
        "concern",
        "",
        "speculative",
        "unattributed",
        "",
        "ev1",
        "external",
        "",
    ],
]

ACTORS = [
    ["name", "kind", "country", "role", "aliases"],
    ["Vladimir Putin", "person", "RUS", "President of Russia", "Putin;V. Putin"],
    ["Kim Jong Un", "person", "PRK", "Supreme Leader", "Kim"],
    ["US State Department", "government", "USA", "", "State Department"],
    ["Example News", "media", "", "", ""],
]

COUNTRIES = [
    ["code", "name", "kind", "lat", "lon", "members"],
    ["RUS", "Russia", "state", "55.7558", "37.6173", ""],
    ["PRK", "North Korea", "state", "39.0392", "125.7625", ""],
    ["USA", "United States", "state", "38.9072", "-77.0369", ""],
    ["KOR", "South Korea", "state", "37.5665", "126.978", ""],
    ["WEST", "The West", "group", "", "", "USA;KOR"],
]

SOURCES = [
    ["source_id", "title", "publisher", "published", "url", "license", "text"],
    ["seed", "Treaty signed", "Example News", "2024-06-19", "https://example.org/seed", "CC-BY-4.0", "texts/seed.txt"],
    ["wire", "Reactions", "Example Wire", "2024-06", "https://example.org/wire", "", ""],
]

SEED_TEXT = (
    "Moscow and Pyongyang signed a treaty on Wednesday.\n"
    "Putin said: We will provide\n  mutual   assistance in the event of aggression.\n"
    "Kim called it the strongest treaty ever.\n"
)

EVENTS = [
    ["event_id", "date", "end_date", "title", "description", "countries", "location", "source_id", "url"],
    ["ev1", "2024-06-19", "2024-06-20", "Treaty signed", "Putin visits Pyongyang.", "RUS;PRK", "Pyongyang", "seed", ""],
    ["ev2", "2024-07", "", "Follow-up talks", "", "", "", "", "https://example.org/talks"],
]

RELATIONS = [
    ["from_country", "to_country", "relation", "directed", "start", "end", "evidence", "note"],
    ["RUS", "PRK", "alliance", "false", "2024-06-19", "", "c1;ev1", "Mutual assistance treaty."],
    ["WEST", "RUS", "sanctions", "true", "2022", "2024", "c3", ""],
]

PACKAGE = {
    "name": "corpus-base",
    "title": "Corpus base",
    "claimscope": {
        "subject": "the Russia–North Korea treaty",
        "topics": {"mutual-defense": "Mutual defence.", "treaty": "The treaty.", "sanctions": "Sanctions."},
    },
}


def to_csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def base_files() -> dict[str, bytes]:
    """The valid base dataset: every file of the contract, clean."""
    return {
        "claims.csv": to_csv([CLAIMS_HEADER, *CLAIMS_ROWS]),
        "actors.csv": to_csv(ACTORS),
        "countries.csv": to_csv(COUNTRIES),
        "sources.csv": to_csv(SOURCES),
        "texts/seed.txt": SEED_TEXT.encode("utf-8"),
        "events.csv": to_csv(EVENTS),
        "relations.csv": to_csv(RELATIONS),
        "datapackage.json": json.dumps(PACKAGE, indent=2, ensure_ascii=False).encode("utf-8"),
    }


def write_folder(files: dict[str, bytes], root: Path) -> Path:
    for path, data in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return root


# --- edits -----------------------------------------------------------------------------------------


def _rows(files: dict[str, bytes], file: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(files[file].decode("utf-8"), newline="")))


def set_cell(files: dict[str, bytes], file: str, line: int, column: str, value: str) -> None:
    """Set one cell; ``line`` is the CSV line of the record (the base has one line per record)."""
    rows = _rows(files, file)
    index = rows[0].index(column)
    assert rows[line - 1][index] != value, f"{file}:{line}:{column} is already {value!r}"
    rows[line - 1][index] = value
    files[file] = to_csv(rows)


def add_row(files: dict[str, bytes], file: str, **cells: str) -> None:
    rows = _rows(files, file)
    unknown = set(cells) - set(rows[0])
    assert not unknown, unknown
    rows.append([cells.get(name, "") for name in rows[0]])
    files[file] = to_csv(rows)


def drop_column(files: dict[str, bytes], file: str, column: str) -> None:
    rows = _rows(files, file)
    index = rows[0].index(column)
    files[file] = to_csv([row[:index] + row[index + 1 :] for row in rows])


def add_column(files: dict[str, bytes], file: str, name: str, values: list[str]) -> None:
    rows = _rows(files, file)
    assert len(values) == len(rows) - 1
    files[file] = to_csv([[*rows[0], name]] + [[*row, value] for row, value in zip(rows[1:], values, strict=True)])


def replace(files: dict[str, bytes], file: str, old: bytes, new: bytes) -> None:
    """Replace the one occurrence of ``old`` in a file's bytes."""
    assert files[file].count(old) == 1, f"{old!r} is not in {file} exactly once"
    files[file] = files[file].replace(old, new)


def remove(files: dict[str, bytes], path: str) -> None:
    del files[path]


def set_package(files: dict[str, bytes], package: dict) -> None:
    files["datapackage.json"] = json.dumps(package, indent=2).encode("utf-8")
