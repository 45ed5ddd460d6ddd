"""Dates as analysts write them: read at the precision they carry; a date that reads two ways is asked, never guessed."""

from __future__ import annotations

import pytest

from claimscope.ingest.writtendates import DAY_FIRST, MONTH_FIRST, read_written_date


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("19 June 2024", "2024-06-19"),
        ("19th June 2024", "2024-06-19"),
        ("19th of June, 2024", "2024-06-19"),
        ("June 19, 2024", "2024-06-19"),
        ("June 19 2024", "2024-06-19"),
        ("Wednesday, 19 June 2024", "2024-06-19"),
        ("19-Jun-2024", "2024-06-19"),
        ("19 Jun. 2024", "2024-06-19"),
        ("2024 June 19", "2024-06-19"),
        ("June 2024", "2024-06"),
        ("Jun 2024", "2024-06"),
        ("Sept 2024", "2024-09"),
        ("JUNE 2024", "2024-06"),
        ("2024", "2024"),
        ("2024-06", "2024-06"),
        ("2024-06-19", "2024-06-19"),
        ("2024-6-9", "2024-06-09"),
        ("2024/06/19", "2024-06-19"),  # year first: one reading only
        ("2024-06-19 10:30:00", "2024-06-19"),  # a spreadsheet's date-time export: the day
        ("06/2024", "2024-06"),
        ("19/06/2024", "2024-06-19"),  # 19 cannot be a month: day first
        ("06/19/2024", "2024-06-19"),  # 19 cannot be a month: month first
        ("19.06.2024", "2024-06-19"),
        ("04/04/2024", "2024-04-04"),  # the same date either way
        ("  19 June 2024 ", "2024-06-19"),
    ],
)
def test_unambiguous_written_dates(text, iso):
    reading = read_written_date(text)
    assert (reading.iso, reading.problem, reading.ambiguous) == (iso, None, False)


@pytest.mark.parametrize(
    ("text", "order", "iso"),
    [
        ("03/04/2024", DAY_FIRST, "2024-04-03"),
        ("03/04/2024", MONTH_FIRST, "2024-03-04"),
        ("3.4.2024", DAY_FIRST, "2024-04-03"),
        ("03-04-2024", MONTH_FIRST, "2024-03-04"),
    ],
)
def test_numeric_dates_need_the_order_and_the_order_settles_them(text, order, iso):
    unsettled = read_written_date(text)
    assert unsettled.iso is None and unsettled.ambiguous
    assert "could be" in unsettled.problem and "day first or month first" in unsettled.problem
    assert read_written_date(text, order).iso == iso


@pytest.mark.parametrize(
    ("text", "order", "fragment"),
    [
        ("19/06/2024", MONTH_FIRST, "can only be read day first"),
        ("Tuesday, 19 June 2024", None, "is a Wednesday, not a Tuesday"),
        ("30 February 2024", None, "has day 30, but 2024-02 has 29 days"),
        ("19/06/24", None, "two-digit year"),
        ("45462", None, "a number, not a date"),
        ("13/13/2024", None, "neither 13 nor 13 is a month"),
        ("Q2 2024", None, "not a date claimscope can read"),
        ("mid-June 2024", None, "not a date claimscope can read"),
        ("19 Juin 2024", None, "not a date claimscope can read"),
        ("yesterday", None, "not a date claimscope can read"),
    ],
)
def test_what_cannot_be_read_says_why(text, order, fragment):
    reading = read_written_date(text, order)
    assert reading.iso is None and not reading.ambiguous
    assert fragment in reading.problem


def test_an_empty_cell_is_neither_a_date_nor_a_problem():
    assert read_written_date("  ") == read_written_date("")
    assert read_written_date("").iso is None and read_written_date("").problem is None


def test_the_order_a_date_fixes_is_reported_as_evidence():
    assert read_written_date("19/06/2024").order == DAY_FIRST
    assert read_written_date("06/19/2024").order == MONTH_FIRST
    assert read_written_date("19 June 2024").order is None
