"""Small datasets the tests build: a foreign one (other actors, blocs, scripts) and a hostile one.

Both are valid under the contract, so every page must show them; the hostile one carries text that
would run, load or render as markup if any page built markup from data.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from claimscope.schema import CLAIMS

CLAIM_COLUMNS = CLAIMS.columns


def csv_text(header: list[str], rows: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\n", extrasaction="raise")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: row.get(k, "") for k in header})
    return buffer.getvalue()


def write_dataset(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    return folder


# --- a dataset the app has never seen: other actors, a bloc and an organisation as speakers, other scripts ---
FOREIGN_TEXT = (
    "Москва заявила: «Мы поддерживаем соглашение». 北京表示关切。 서울은 깊은 우려를 표명했다. The EU said it was alarmed."
)
FOREIGN_CLAIMS = [
    {
        "claim_id": "ru-1",
        "date": "2023-03-05",
        "speaker": "Мария Захарова",
        "speaker_country": "RUS",
        "kind": "claim",
        "quote": "«Мы поддерживаем соглашение»",
        "summary": "Moscow backs the agreement.",
        "about": "RUS;BLR",
        "claim_type": "praise",
        "stance": "support",
        "topics": "diplomacy",
        "certainty": "asserted",
        "attribution": "direct_quote",
        "source_id": "src-1",
        "date_basis": "stated",
    },
    {
        "claim_id": "cn-1",
        "date": "2023-03",
        "speaker": "外交部",
        "speaker_country": "CHN",
        "kind": "reaction",
        "quote": "北京表示关切。",
        "summary": "Beijing voices concern.",
        "about": "RUS",
        "claim_type": "concern",
        "stance": "concern",
        "topics": "diplomacy;security",
        "certainty": "hedged",
        "attribution": "paraphrase",
        "source_id": "src-1",
        "responds_to": "ru-1",
        "date_basis": "inferred",
    },
    {
        "claim_id": "kr-1",
        "date": "2023",
        "speaker": "대한민국 외교부",
        "speaker_country": "KOR",
        "kind": "reaction",
        "quote": "서울은 깊은 우려를 표명했다.",
        "summary": "Seoul expresses deep concern.",
        "about": "RUS;BLR",
        "claim_type": "concern",
        "stance": "oppose",
        "topics": "security",
        "certainty": "asserted",
        "attribution": "paraphrase",
        "source_id": "src-1",
        "responds_to": "ev-1",
    },
    {
        "claim_id": "eu-1",
        "date": "2023-03-07",
        "speaker": "European Union",
        "speaker_country": "EUU",
        "kind": "reaction",
        "quote": "The EU said it was alarmed.",
        "summary": "The EU is alarmed.",
        "about": "RUS;BLR",
        "claim_type": "warning",
        "stance": "oppose",
        "topics": "security",
        "certainty": "asserted",
        "attribution": "paraphrase",
        "source_id": "src-1",
        "responds_to": "ru-1",
        "url": "https://example.org/eu",
    },
    {
        "claim_id": "g7-1",
        "date": "2023-04",
        "speaker": "G7 leaders",
        "speaker_country": "G7",
        "kind": "claim",
        "quote": "The EU said it was alarmed.",
        "summary": "A bloc speaks.",
        "about": "BLR",
        "claim_type": "assessment",
        "stance": "neutral",
        "topics": "security",
        "certainty": "speculative",
        "attribution": "paraphrase",
        "source_id": "src-1",
    },
]


def foreign_dataset(folder: Path) -> Path:
    return write_dataset(
        folder,
        {
            "claims.csv": csv_text(CLAIM_COLUMNS, FOREIGN_CLAIMS),
            "actors.csv": csv_text(
                ["name", "kind", "country", "role", "aliases"],
                [
                    {"name": "Мария Захарова", "kind": "person", "country": "RUS", "role": "spokeswoman"},
                    {"name": "外交部", "kind": "government", "country": "CHN"},
                    {"name": "대한민국 외교부", "kind": "government", "country": "KOR"},
                    {"name": "European Union", "kind": "organization", "country": "EUU", "aliases": "EU"},
                    {"name": "G7 leaders", "kind": "group", "country": "G7"},
                ],
            ),
            "countries.csv": csv_text(
                ["code", "name", "kind", "lat", "lon", "members"],
                [
                    {"code": "RUS", "name": "Россия", "kind": "state", "lat": "55.75", "lon": "37.62"},
                    {"code": "BLR", "name": "Беларусь", "kind": "state", "lat": "53.9", "lon": "27.57"},
                    {"code": "CHN", "name": "中国", "kind": "state", "lat": "39.9", "lon": "116.4"},
                    {"code": "KOR", "name": "대한민국", "kind": "state", "lat": "37.57", "lon": "126.98"},
                    {
                        "code": "EUU",
                        "name": "European Union",
                        "kind": "organization",
                        "lat": "50.85",
                        "lon": "4.35",
                        "members": "DEU;FRA",
                    },
                    {"code": "DEU", "name": "Germany", "kind": "state", "lat": "52.52", "lon": "13.4"},
                    {"code": "FRA", "name": "France", "kind": "state", "lat": "48.86", "lon": "2.35"},
                    {"code": "G7", "name": "Group of Seven", "kind": "group", "members": "DEU;FRA"},
                ],
            ),
            "sources.csv": csv_text(
                ["source_id", "title", "publisher", "published", "url", "license", "text"],
                [
                    {
                        "source_id": "src-1",
                        "title": "Сводка",
                        "publisher": "Test",
                        "published": "2023-03",
                        "text": "texts/src-1.txt",
                    }
                ],
            ),
            "events.csv": csv_text(
                ["event_id", "date", "end_date", "title", "description", "countries", "location", "source_id", "url"],
                [
                    {
                        "event_id": "ev-1",
                        "date": "2023-03-01",
                        "title": "Соглашение подписано",
                        "description": "An agreement is signed.",
                        "countries": "RUS;BLR",
                        "source_id": "src-1",
                    }
                ],
            ),
            "relations.csv": csv_text(
                ["from_country", "to_country", "relation", "directed", "start", "end", "evidence", "note"],
                [
                    {
                        "from_country": "RUS",
                        "to_country": "BLR",
                        "relation": "alliance",
                        "directed": "false",
                        "start": "2023-03-01",
                        "evidence": "ev-1",
                    }
                ],
            ),
            "texts/src-1.txt": FOREIGN_TEXT,
        },
    )


# --- hostile text: every text field carries something that must stay text ---
HOSTILE_QUOTE = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2"> ![img](http://evil.example/x.png) [link](javascript:alert(1)) $x^2$ **bold**'
HOSTILE_SUMMARY = "<b onmouseover=alert(1)>hover</b> :red[red] $$\\int$$ \u202egnp.exe ==formula"
HOSTILE_SPEAKER = "<i>Mallory</i> [x](http://evil.example)"
LONG_QUOTE = "A" * 100_000
#: Plotly fills ``%{…}`` in a chart's labels from the figure (its layout's meta, which may hold every row's raw
#: name): a name that asks for it must stay these very characters
PLOTLY_TEMPLATE_SPEAKER = "Long talker %{meta.groups} %{meta}"


def hostile_dataset(folder: Path) -> Path:
    claims = [
        {
            "claim_id": "h-1",
            "date": "2024-06-19",
            "speaker": HOSTILE_SPEAKER,
            "speaker_country": "RUS",
            "kind": "claim",
            "quote": HOSTILE_QUOTE,
            "summary": HOSTILE_SUMMARY,
            "about": "PRK",
            "stance": "support",
            "topics": "x-y",
            "url": "https://example.org/a?b=<c>",
        },
        {
            "claim_id": "=cmd|'/C calc'!A0",
            "date": "2024-06",
            "speaker": "@SUM(1+1)",
            "speaker_country": "PRK",
            "kind": "reaction",
            "quote": "-2+3",
            "summary": "+1 and\ttab",
            "about": "RUS",
            "stance": "oppose",
            "responds_to": "h-1",
        },
        {
            "claim_id": "h-long",
            "date": "2024",
            "speaker": PLOTLY_TEMPLATE_SPEAKER,
            "speaker_country": "USA",
            "kind": "claim",
            "quote": LONG_QUOTE,
            "summary": "A very long quote.",
            "about": "RUS;PRK",
            "stance": "concern",
        },
    ]
    return write_dataset(
        folder,
        {
            "claims.csv": csv_text(CLAIM_COLUMNS, claims),
            "datapackage.json": json.dumps({"title": "<script>alert('title')</script> $t$", "version": "0"}),
        },
    )
