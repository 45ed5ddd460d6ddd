"""A realistic list as an analyst brings it: 125 statements by 17 governments and organisations, 2023–2025.

The same statements in three shapes:

- :func:`contract_folder`: the contract's six required columns with codes, and a ``countries.csv`` that
  defines only the organisations the list uses (EU, UN, NATO, G7), as a new user writes it;
- :func:`contract_workbook`: the same claims as ``claims.xlsx`` (date cells, a second sheet of notes);
- :func:`analyst_rows` / :func:`analyst_csv` / :func:`analyst_workbook`: the analyst's own sheet: their
  headers ("Date", "Country", "Who", "Statement", "Link", "Source"), country names rather than codes,
  dates written as people write them ("19 June 2024", "June 19, 2024", "Jun 2024"), no ids.

Workbooks are written with openpyxl in the test run (no binary fixture is committed).
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from tests.datasets import csv_text, write_dataset

#: (code, the name an analyst types, the speaker, the kind of place): 17 governments and organisations
SPEAKERS = [
    ("USA", "United States", "State Department spokesperson", "state"),
    ("RUS", "Russia", "Maria Zakharova", "state"),
    ("CHN", "China", "Foreign Ministry spokesperson", "state"),
    ("PRK", "North Korea", "KCNA", "state"),
    ("KOR", "South Korea", "Ministry of Foreign Affairs", "state"),
    ("JPN", "Japan", "Chief Cabinet Secretary", "state"),
    ("UKR", "Ukraine", "Volodymyr Zelensky", "state"),
    ("GBR", "UK", "Foreign Secretary", "state"),
    ("FRA", "France", "Quai d'Orsay", "state"),
    ("DEU", "Germany", "Federal Foreign Office", "state"),
    ("IND", "India", "Ministry of External Affairs", "state"),
    ("TUR", "Türkiye", "Ministry of Foreign Affairs of Türkiye", "state"),
    ("IRN", "Iran", "Foreign Ministry of Iran", "state"),
    ("EU", "the EU", "EU High Representative", "organization"),
    ("UN", "United Nations", "UN Secretary-General", "organization"),
    ("NATO", "NATO", "NATO Secretary General", "organization"),
    ("G7", "G7", "G7 foreign ministers", "group"),
]
ORGANISATIONS = [
    {"code": "EU", "name": "European Union", "kind": "organization", "lat": "50.85", "lon": "4.35", "members": "DEU;FRA"},
    {"code": "UN", "name": "United Nations", "kind": "organization", "lat": "40.75", "lon": "-73.97"},
    {"code": "NATO", "name": "NATO", "kind": "organization", "lat": "50.88", "lon": "4.43", "members": "USA;GBR;FRA;DEU;TUR"},
    {"code": "G7", "name": "Group of Seven", "kind": "group", "members": "USA;JPN;GBR;FRA;DEU"},
]
VERBS = ["welcomes", "condemns", "is concerned by", "rejects", "supports", "notes", "warns against"]
TOPICS = ["the treaty", "arms transfers", "the sanctions regime", "troop deployments", "the summit", "energy deals"]
ROWS = 125


def statements() -> list[dict]:
    """125 statements, each with its code, the typed name, a day- or month-precise date and a web address."""
    rows = []
    start = dt.date(2023, 1, 9)
    for i in range(ROWS):
        code, name, speaker, _ = SPEAKERS[i % len(SPEAKERS)]
        day = start + dt.timedelta(days=(i * 7) % 1080)
        month_only = i % 9 == 4  # some statements are known only to the month
        rows.append(
            {
                "claim_id": f"s-{i + 1:03d}",
                "date": day.strftime("%Y-%m") if month_only else day.isoformat(),
                "day": day,
                "month_only": month_only,
                "speaker": speaker,
                "speaker_country": code,
                "country_name": name,
                "kind": "reaction" if i % 3 else "claim",
                "quote": f"{speaker} {VERBS[i % len(VERBS)]} {TOPICS[i % len(TOPICS)]} (statement {i + 1}).",
                "url": f"https://example.org/statements/{i + 1}",
                "source": ["Official website", "Press briefing", "News agency"][i % 3],
            }
        )
    return rows


def contract_claims_csv() -> str:
    return csv_text(
        ["claim_id", "date", "speaker", "speaker_country", "kind", "quote"],
        [{k: row[k] for k in ("claim_id", "date", "speaker", "speaker_country", "kind", "quote")} for row in statements()],
    )


def organisations_csv() -> str:
    return csv_text(["code", "name", "kind", "lat", "lon", "members"], ORGANISATIONS)


def contract_folder(folder: Path) -> Path:
    """The list with the contract's six required columns, and a countries.csv of only its organisations."""
    return write_dataset(folder, {"claims.csv": contract_claims_csv(), "countries.csv": organisations_csv()})


def _written_date(row: dict, i: int) -> str:
    day: dt.date = row["day"]
    if row["month_only"]:
        return day.strftime("%B %Y") if i % 2 else day.strftime("%b %Y")
    return [f"{day.day} {day:%B %Y}", f"{day:%B} {day.day}, {day.year}", day.isoformat(), f"{day.day} {day:%b %Y}"][i % 4]


ANALYST_HEADER = ["Date", "Country", "Who", "Statement", "Link", "Source", "Notes"]


def analyst_rows() -> list[dict]:
    """The analyst's own sheet: their headers, country names, written dates, no ids, a notes column."""
    return [
        {
            "Date": _written_date(row, i),
            "Country": row["country_name"],
            "Who": row["speaker"],
            "Statement": row["quote"],
            "Link": row["url"],
            "Source": row["source"],
            "Notes": "check wording" if i % 10 == 0 else "",
        }
        for i, row in enumerate(statements())
    ]


def analyst_csv() -> bytes:
    return csv_text(ANALYST_HEADER, analyst_rows()).encode("utf-8")


def _save(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def contract_workbook() -> bytes:
    """claims.xlsx: the contract's columns in a sheet named "claims" (dates as date cells), and a notes sheet."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "claims"
    columns = ["claim_id", "date", "speaker", "speaker_country", "kind", "quote"]
    sheet.append(columns)
    for row in statements():
        sheet.append([row["claim_id"], row["day"], row["speaker"], row["speaker_country"], row["kind"], row["quote"]])
        cell = sheet.cell(row=sheet.max_row, column=2)
        cell.number_format = "mmm yyyy" if row["month_only"] else "d mmmm yyyy"
    notes = workbook.create_sheet("notes")
    notes.append(["Collected by", "the analyst"])
    return _save(workbook)


def analyst_workbook(title_row: bool = True) -> bytes:
    """The analyst's sheet as .xlsx: a title above the header, date cells formatted as days or months."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Statements"
    if title_row:
        sheet.append(["Statements on the partnership, 2023–2025"])
        sheet.append([])
    sheet.append(ANALYST_HEADER)
    for written, row in zip(analyst_rows(), statements(), strict=True):
        sheet.append([row["day"], *(written[h] for h in ANALYST_HEADER[1:])])
        sheet.cell(row=sheet.max_row, column=1).number_format = "mmmm yyyy" if row["month_only"] else "d mmm yyyy"
    return _save(workbook)
