"""Dates as analysts write them ("19 June 2024", "June 2024", "03/04/2024"), read into ISO at their precision.

Only what a date says is kept: "19 June 2024" is ``2024-06-19``, "June 2024" is ``2024-06``, "2024" is ``2024``;
nothing is filled in. A form that can be read two ways is never guessed: "03/04/2024" is 3 April or March 4,
so it is returned as ambiguous until the analyst says which order the sheet uses (``dayfirst`` or
``monthfirst``). A numeric date that one order cannot hold ("19/06/2024") is read in the other, and says
so, so that a sheet that mixes the two orders can be caught.

Month and weekday names are English (the module does not depend on the server's locale).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from claimscope.dates import date_error

DAY_FIRST, MONTH_FIRST = "dayfirst", "monthfirst"
ORDERS = (DAY_FIRST, MONTH_FIRST)
MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTH_BY_NAME = {name: i for i, name in enumerate(MONTHS, start=1)} | {name[:3]: i for i, name in enumerate(MONTHS, start=1)}
_MONTH_BY_NAME["sept"] = 9
_WEEKDAY_BY_NAME = {name: i for i, name in enumerate(WEEKDAYS)} | {name[:3]: i for i, name in enumerate(WEEKDAYS)}

_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
#: a date with a time of day, as spreadsheets export date-time cells: the day is kept
_ISO_TIME = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})[ t]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:z|[+-]\d{2}:?\d{2})?$")
_YEAR_FIRST = re.compile(r"^(\d{4})[/.](\d{1,2})(?:[/.](\d{1,2}))?$")
_NUMERIC = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$")
_MONTH_YEAR_NUMERIC = re.compile(r"^(\d{1,2})[/.-](\d{4})$")
_MONTH = r"(?P<month>[a-z]{3,9})"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4})"
_WRITTEN = [
    re.compile(rf"^{_DAY} (?:of )?{_MONTH} {_YEAR}$"),  # 19 June 2024, 19th of June 2024, 19-Jun-2024
    re.compile(rf"^{_MONTH} {_DAY} {_YEAR}$"),  # June 19, 2024
    re.compile(rf"^{_MONTH} {_YEAR}$"),  # June 2024, Jun 2024
    re.compile(rf"^{_YEAR} {_MONTH} {_DAY}$"),  # 2024 June 19
    re.compile(rf"^{_YEAR} {_MONTH}$"),  # 2024 June
]
FORMS_HELP = "write it as 2024-06-19, 19 June 2024, June 19, 2024, June 2024 or 2024"


@dataclass(frozen=True)
class DateReading:
    """What one written date says: the ISO date, or why there is none."""

    text: str
    iso: str | None = None
    problem: str | None = None
    #: the numeric order the text itself fixes ("19/06/2024": dayfirst), or None
    order: str | None = None
    #: True when the text reads two ways and no order was given
    ambiguous: bool = False


def _iso(year: int, month: int | None = None, day: int | None = None) -> str:
    text = f"{year:04d}"
    if month is not None:
        text += f"-{month:02d}"
    if day is not None:
        text += f"-{day:02d}"
    return text


def _checked(raw: str, iso: str, order: str | None = None) -> DateReading:
    reason = date_error(iso)
    if reason:
        return DateReading(raw, problem=f"{raw!r} is not a real date ({reason.replace(repr(iso), iso)})")
    return DateReading(raw, iso=iso, order=order)


def read_written_date(text: str, order: str | None = None) -> DateReading:
    """Read one cell; ``order`` (dayfirst or monthfirst) settles numeric dates such as 03/04/2024."""
    raw = str(text).strip()
    if not raw:
        return DateReading(raw)
    lowered = re.sub(r"\s+", " ", raw.casefold())
    match = _ISO.match(lowered) or _YEAR_FIRST.match(lowered) or _ISO_TIME.match(lowered)
    if match:
        year, month, day = match.groups()
        return _checked(raw, _iso(int(year), int(month) if month else None, int(day) if day else None))
    match = _MONTH_YEAR_NUMERIC.match(lowered)
    if match:
        return _checked(raw, _iso(int(match.group(2)), int(match.group(1))))
    match = _NUMERIC.match(lowered)
    if match:
        return _numeric(raw, *(int(g) for g in match.groups()), two_digit_year=len(match.group(3)) == 2, order=order)
    if re.fullmatch(r"\d{5}(\.\d+)?", lowered):
        return DateReading(
            raw, problem=f"{raw!r} is a number, not a date (a spreadsheet's day count?): format the cell as a date"
        )
    return _written(raw, lowered)


def _numeric(raw: str, first: int, second: int, year: int, two_digit_year: bool, order: str | None) -> DateReading:
    if two_digit_year:
        return DateReading(raw, problem=f"{raw!r} has a two-digit year: write the year in full")
    fixed = None
    if first > 12 >= second:
        fixed = DAY_FIRST
    elif second > 12 >= first:
        fixed = MONTH_FIRST
    elif first > 12 and second > 12:
        return DateReading(raw, problem=f"{raw!r} is not a date: neither {first} nor {second} is a month")
    if fixed is None and first != second and order is None:
        return DateReading(
            raw,
            ambiguous=True,
            problem=(
                f"{raw!r} could be {first} {MONTHS[second - 1].title()} {year} or {MONTHS[first - 1].title()} {second}, {year}: "
                "say which order the sheet uses (day first or month first)"
            ),
        )
    if fixed is not None and order is not None and fixed != order:
        chosen = "day first" if order == DAY_FIRST else "month first"
        only = "day first" if fixed == DAY_FIRST else "month first"
        return DateReading(raw, problem=f"{raw!r} can only be read {only}, but the sheet's dates were said to be {chosen}")
    use = fixed or order or DAY_FIRST  # first == second: the same date either way
    day, month = (first, second) if use == DAY_FIRST else (second, first)
    return _checked(raw, _iso(year, month, day), fixed)


def _written(raw: str, lowered: str) -> DateReading:
    plain = re.sub(r"[,.]", " ", lowered)
    plain = re.sub(r"(?<=[a-z0-9])-(?=[a-z0-9])", " ", plain)
    plain = re.sub(r"\s+", " ", plain).strip()
    weekday = None
    head, _, rest = plain.partition(" ")
    if head in _WEEKDAY_BY_NAME and rest:
        weekday, plain = _WEEKDAY_BY_NAME[head], rest
    for pattern in _WRITTEN:
        match = pattern.match(plain)
        if not match or match.group("month") not in _MONTH_BY_NAME:
            continue
        parts = match.groupdict()
        month = _MONTH_BY_NAME[parts["month"]]
        day = int(parts["day"]) if parts.get("day") else None
        reading = _checked(raw, _iso(int(parts["year"]), month, day))
        if reading.iso and weekday is not None:
            if day is None:
                return DateReading(raw, problem=f"{raw!r} names a weekday but no day")
            actual = dt.date.fromisoformat(reading.iso).weekday()
            if actual != weekday:
                return DateReading(
                    raw, problem=f"{raw!r}: {reading.iso} is a {WEEKDAYS[actual].title()}, not a {WEEKDAYS[weekday].title()}"
                )
        return reading
    return DateReading(raw, problem=f"{raw!r} is not a date claimscope can read: {FORMS_HELP}")
