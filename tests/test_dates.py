"""Partial ISO 8601 dates: intervals at the precision given, never widened or narrowed."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from claimscope.dates import date_columns, date_error, parse_partial_date

D = dt.date


@pytest.mark.parametrize(
    ("text", "start", "end", "precision"),
    [
        ("2024-06-19", D(2024, 6, 19), D(2024, 6, 19), "day"),
        ("2024-06", D(2024, 6, 1), D(2024, 6, 30), "month"),
        ("2024", D(2024, 1, 1), D(2024, 12, 31), "year"),
        ("2024-02", D(2024, 2, 1), D(2024, 2, 29), "month"),  # leap year
        ("2023-02", D(2023, 2, 1), D(2023, 2, 28), "month"),
        ("2024-02-29", D(2024, 2, 29), D(2024, 2, 29), "day"),
        ("2000-02-29", D(2000, 2, 29), D(2000, 2, 29), "day"),  # divisible by 400
        ("2024-12", D(2024, 12, 1), D(2024, 12, 31), "month"),
        ("0001", D(1, 1, 1), D(1, 12, 31), "year"),
        ("9999-12-31", D(9999, 12, 31), D(9999, 12, 31), "day"),
    ],
)
def test_parse_partial_date(text, start, end, precision):
    date = parse_partial_date(text)
    assert (date.text, date.start, date.end, date.precision) == (text, start, end, precision)
    assert date_error(text) is None


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2024-13", "'2024-13' has month 13, which is not 01 to 12"),
        ("2024-00", "'2024-00' has month 00, which is not 01 to 12"),
        ("2024-02-30", "'2024-02-30' has day 30, but 2024-02 has 29 days"),
        ("2023-02-29", "'2023-02-29' has day 29, but 2023-02 has 28 days"),
        ("1900-02-29", "'1900-02-29' has day 29, but 1900-02 has 28 days"),  # not a leap year
        ("2024-06-00", "'2024-06-00' has day 00, but 2024-06 has 30 days"),
        ("2024-04-31", "'2024-04-31' has day 31, but 2024-04 has 30 days"),
        ("0000", "'0000' has year 0000, which does not exist"),
        ("0000-01-01", "'0000-01-01' has year 0000, which does not exist"),
        ("19/06/2024", "'19/06/2024' is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD"),
        ("2024-6-19", "'2024-6-19' is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD"),
        ("24", "'24' is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD"),
        ("2024-06-19T10:00", "'2024-06-19T10:00' is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD"),
        (" 2024", "' 2024' is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD"),
        ("2024-06-19\n", "'2024-06-19\\n' is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD"),
        ("２０２４", "'２０２４' is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD"),  # fullwidth digits
        ("", "'' is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD"),
    ],
)
def test_invalid_dates_say_why(text, reason):
    with pytest.raises(ValueError) as excinfo:
        parse_partial_date(text)
    assert str(excinfo.value) == reason
    assert date_error(text) == reason


def test_midpoint_of_a_month():
    assert parse_partial_date("2024-06").midpoint == D(2024, 6, 15)
    assert parse_partial_date("2024-06-19").midpoint == D(2024, 6, 19)


T = pd.Timestamp
NaT = pd.NaT


@pytest.mark.parametrize(
    ("text", "start", "end", "precision"),
    [
        ("2024-06-19", T("2024-06-19"), T("2024-06-19"), "day"),
        ("2024-06", T("2024-06-01"), T("2024-06-30"), "month"),
        ("2024-02", T("2024-02-01"), T("2024-02-29"), "month"),
        ("2024", T("2024-01-01"), T("2024-12-31"), "year"),
        ("", NaT, NaT, ""),
        (None, NaT, NaT, ""),
        ("2024-13", NaT, NaT, ""),
        ("2024-02-30", NaT, NaT, ""),
        ("2024-00", NaT, NaT, ""),
        ("junk", NaT, NaT, ""),
        ("1500", NaT, NaT, ""),  # outside what datetime64[ns] holds
        ("0000", NaT, NaT, ""),
        ("1678", T("1678-01-01"), T("1678-12-31"), "year"),
        ("2261-12", T("2261-12-01"), T("2261-12-31"), "month"),
        ("2024-06-19\n", NaT, NaT, ""),
        ("２０２４", NaT, NaT, ""),
    ],
)
def test_date_columns_single(text, start, end, precision):
    frame = date_columns(pd.Series([text], index=[7], dtype=object))
    assert list(frame.index) == [7]
    row = frame.loc[7]
    assert (row["start"] is NaT and start is NaT) or row["start"] == start
    assert (row["end"] is NaT and end is NaT) or row["end"] == end
    assert row["precision"] == precision


def test_date_columns_vectorised_agrees_with_parse_partial_date():
    texts = ["2024-06-19", "2024-06", "2024", "2023-02", "2024-13", "", "2024-02-30", "1999-12-31", "0000"]
    frame = date_columns(pd.Series(texts, index=range(10, 10 + len(texts)), dtype=object))
    assert list(frame.columns) == ["start", "end", "precision"]
    assert str(frame["start"].dtype) == "datetime64[ns]" and str(frame["end"].dtype) == "datetime64[ns]"
    assert list(frame.index) == list(range(10, 10 + len(texts)))
    for text, (_, row) in zip(texts, frame.iterrows(), strict=True):
        if date_error(text) is None:
            date = parse_partial_date(text)
            assert (row["start"].date(), row["end"].date(), row["precision"]) == (date.start, date.end, date.precision)
        else:
            assert pd.isna(row["start"]) and pd.isna(row["end"]) and row["precision"] == "", text


def test_date_columns_empty_series():
    frame = date_columns(pd.Series([], dtype=object))
    assert frame.empty and list(frame.columns) == ["start", "end", "precision"]
