"""ISO 8601 dates at the precision the source supports.

A statement dated ``2024-06`` happened some day in June 2024: it is an interval, not the 1st.
Every date is therefore handled as ``(start, end)`` with its precision, and comparisons
(filters, latency, ordering) work on intervals, so precision is never silently widened or narrowed.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

DATE_PATTERN = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?\Z")
#: the years that datetime64[ns] holds whole (pandas: 1677-09-21 to 2262-04-11)
NS_YEARS = (1678, 2261)
PRECISIONS = ("day", "month", "year")


@dataclass(frozen=True)
class PartialDate:
    """A date known to the day, the month or the year."""

    text: str
    start: dt.date
    end: dt.date
    precision: str

    @property
    def midpoint(self) -> dt.date:
        return self.start + (self.end - self.start) / 2


def parse_partial_date(text: str) -> PartialDate:
    """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; raise ValueError with a readable reason."""
    match = DATE_PATTERN.match(text)
    if not match:
        raise ValueError(f"{text!r} is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = match.groups()
    y = int(year)
    if y < 1:
        raise ValueError(f"{text!r} has year 0000, which does not exist")
    if month is None:
        return PartialDate(text, dt.date(y, 1, 1), dt.date(y, 12, 31), "year")
    m = int(month)
    if not 1 <= m <= 12:
        raise ValueError(f"{text!r} has month {month}, which is not 01 to 12")
    last = calendar.monthrange(y, m)[1]
    if day is None:
        return PartialDate(text, dt.date(y, m, 1), dt.date(y, m, last), "month")
    d = int(day)
    if not 1 <= d <= last:
        raise ValueError(f"{text!r} has day {day}, but {y}-{month} has {last} days")
    start = dt.date(y, m, d)
    return PartialDate(text, start, start, "day")


def date_error(text: str) -> str | None:
    """The reason ``text`` is not a valid partial date, or None when it is."""
    try:
        parse_partial_date(text)
    except ValueError as exc:
        return str(exc)
    return None


def date_columns(values: pd.Series) -> pd.DataFrame:
    """Vectorised: start, end (datetime64) and precision for a column of valid or empty date strings.

    Invalid or empty cells give NaT and an empty precision; validation reports them separately.
    Dates repeat (a million statements share a few thousand days), so each distinct text is parsed once.
    """
    codes, uniques = pd.factorize(values.fillna("").astype(str).to_numpy(dtype=object))
    distinct = _distinct_date_columns(pd.Series(uniques, dtype=object))
    if len(distinct) == 0:
        distinct = _distinct_date_columns(pd.Series([""], dtype=object))
        codes = np.zeros(len(values), dtype=np.intp)
    return pd.DataFrame(
        {
            "start": distinct["start"].to_numpy()[codes],
            "end": distinct["end"].to_numpy()[codes],
            "precision": pd.Categorical.from_codes(
                distinct["precision"].cat.codes.to_numpy()[codes], categories=[*PRECISIONS, ""]
            ),
        },
        index=values.index,
    )


def _distinct_date_columns(values: pd.Series) -> pd.DataFrame:
    text = values
    parts = text.str.extract(DATE_PATTERN.pattern)
    year = pd.to_numeric(parts[0], errors="coerce")
    year = year.where(year.between(*NS_YEARS))  # outside: NaT, not an OutOfBoundsDatetime
    month = pd.to_numeric(parts[1], errors="coerce")
    day = pd.to_numeric(parts[2], errors="coerce")
    precision = np.where(day.notna(), "day", np.where(month.notna(), "month", np.where(year.notna(), "year", "")))
    start = pd.to_datetime(pd.DataFrame({"year": year, "month": month.fillna(1), "day": day.fillna(1)}), errors="coerce")
    month_end = start + pd.offsets.MonthEnd(0)
    year_end = pd.to_datetime(pd.DataFrame({"year": year, "month": 12, "day": 31}), errors="coerce")
    end = pd.Series(
        np.where(precision == "day", start, np.where(precision == "month", month_end, year_end)),
        index=values.index,
    ).astype("datetime64[ns]")
    precision = np.where(start.isna(), "", precision)
    start = start.where(precision != "", pd.NaT)
    end = end.where(precision != "", pd.NaT)
    return pd.DataFrame(
        {
            "start": start.astype("datetime64[ns]"),
            "end": end,
            "precision": pd.Categorical(precision, categories=[*PRECISIONS, ""]),
        },
        index=values.index,
    )
