"""Table tests for Vietnamese number, percent and date formatting (nghiquyet.lib.vnformat). Pure."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from nghiquyet.lib.vnformat import (
    format_change,
    format_date_long,
    format_date_short,
    format_number,
    format_percent,
    round_half_up,
)
from nghiquyet.targets.rules import ChangeUnit

D = Decimal

ROUND_CASES = [
    pytest.param(D("2.675"), 2, D("2.68"), id="2.675-half-up-not-half-even"),
    pytest.param(D("2.665"), 2, D("2.67"), id="2.665-half-up"),
    pytest.param(D("2.5"), 0, D("3"), id="2.5-to-3"),
    pytest.param(D("3.5"), 0, D("4"), id="3.5-to-4"),
    pytest.param(D("0.125"), 2, D("0.13"), id="0.125-half-up"),
    pytest.param(D("-2.675"), 2, D("-2.68"), id="negative-half-away-from-zero"),
    pytest.param(D("2.674"), 2, D("2.67"), id="2.674-down"),
    pytest.param(D("1"), 2, D("1.00"), id="integer-gets-scale"),
]


@pytest.mark.parametrize(("value", "decimals", "expected"), ROUND_CASES)
def test_it_rounds_half_up_on_decimal(value, decimals, expected):
    rounded = round_half_up(value, decimals)
    assert rounded == expected
    assert rounded.as_tuple().exponent == -decimals


# columns: value, decimals, expected
NUMBER_CASES = [
    pytest.param(D("1635"), 2, "1.635", id="thousands-dot"),
    pytest.param(1635, 2, "1.635", id="int-thousands-dot"),
    pytest.param(D("0.21"), 2, "0,21", id="decimal-comma"),
    pytest.param(D("1500050.30"), 2, "1.500.050,3", id="millions-trailing-zero-dropped"),
    pytest.param(D("1500050.3"), 2, "1.500.050,3", id="millions-one-decimal"),
    pytest.param(D("12.50"), 2, "12,5", id="trailing-zero-dropped"),
    pytest.param(D("100.00"), 2, "100", id="all-zero-decimals-dropped"),
    pytest.param(D("2.675"), 2, "2,68", id="half-up-where-float-round-gives-2.67"),
    pytest.param(D("2.665"), 2, "2,67", id="half-up-2.665"),
    pytest.param(D("0.005"), 2, "0,01", id="half-up-smallest"),
    pytest.param(D("0.004"), 2, "0", id="below-half-to-zero"),
    pytest.param(D("1234567.125"), 2, "1.234.567,13", id="big-half-up"),
    pytest.param(D("1.999"), 2, "2", id="rounds-up-to-integer"),
    pytest.param(D("999.995"), 2, "1.000", id="rounds-up-into-thousands"),
    pytest.param(D("0"), 2, "0", id="zero"),
    pytest.param(D("0.00"), 2, "0", id="zero-with-scale"),
    pytest.param(D("999"), 2, "999", id="no-grouping-below-thousand"),
    pytest.param(D("1000"), 2, "1.000", id="grouping-at-thousand"),
    pytest.param(D("-3.5"), 2, "-3,5", id="negative-decimal"),
    pytest.param(D("-1234.567"), 2, "-1.234,57", id="negative-thousands-half-up"),
    pytest.param(D("-1635"), 2, "-1.635", id="negative-thousands"),
    pytest.param(D("-0.005"), 2, "-0,01", id="negative-half-up-away-from-zero"),
    pytest.param(D("-0.001"), 2, "0", id="tiny-negative-rounds-to-plain-zero"),
    pytest.param(D("-0.004"), 2, "0", id="small-negative-rounds-to-plain-zero"),
    pytest.param(D("-0"), 2, "0", id="negative-zero"),
    pytest.param(D("1635.6"), 0, "1.636", id="no-decimals-half-up"),
    pytest.param(D("2.5"), 0, "3", id="no-decimals-2.5-to-3"),
    pytest.param(D("1000000"), 0, "1.000.000", id="no-decimals-millions"),
    pytest.param(D("-0.4"), 0, "0", id="no-decimals-small-negative-zero"),
    pytest.param(D("0.21"), 1, "0,2", id="one-decimal"),
    pytest.param(D("0.25"), 1, "0,3", id="one-decimal-half-up"),
    pytest.param(D("3.14159"), 3, "3,142", id="three-decimals"),
]


@pytest.mark.parametrize(("value", "decimals", "expected"), NUMBER_CASES)
def test_it_formats_numbers_the_vietnamese_way(value, decimals, expected):
    assert format_number(value, decimals) == expected


def test_it_formats_two_decimals_by_default():
    assert format_number(D("74.3849")) == "74,38"


def test_it_formats_a_missing_number_as_empty_text():
    assert format_number(None) == ""


# columns: value, below_100, expected
PERCENT_CASES = [
    pytest.param(D("102"), False, "102%", id="whole"),
    pytest.param(D("102.00"), False, "102%", id="whole-trailing-zeros"),
    pytest.param(D("94.7"), False, "94,7%", id="one-decimal"),
    pytest.param(D("94.70"), False, "94,7%", id="one-decimal-trailing-zero"),
    pytest.param(D("74.38"), False, "74,38%", id="two-decimals"),
    pytest.param(D("74.3849"), False, "74,38%", id="rounded-down"),
    pytest.param(D("74.385"), False, "74,39%", id="rounded-half-up"),
    pytest.param(D("2.675"), False, "2,68%", id="half-up-not-float-round"),
    pytest.param(D("0.21"), False, "0,21%", id="small"),
    pytest.param(D("0"), False, "0%", id="zero"),
    pytest.param(D("1250"), False, "1.250%", id="thousands"),
    pytest.param(D("-5.5"), False, "-5,5%", id="negative"),
    pytest.param(D("99.995"), False, "100%", id="99.995-rounds-to-100-when-allowed"),
    pytest.param(D("99.995"), True, "99,99%", id="99.995-not-met-never-shows-100"),
    pytest.param(D("99.999"), True, "99,99%", id="99.999-not-met-never-shows-100"),
    pytest.param(D("99.9999999"), True, "99,99%", id="99.9999999-not-met-never-shows-100"),
    pytest.param(D("99.994"), True, "99,99%", id="99.994-not-met"),
    pytest.param(D("99.985"), True, "99,99%", id="99.985-not-met-still-half-up"),
    pytest.param(D("94.7"), True, "94,7%", id="not-met-ordinary"),
    pytest.param(D("100"), True, "100%", id="exactly-100-below-flag"),
    pytest.param(D("102"), True, "102%", id="above-100-below-flag"),
    pytest.param(D("100.004"), True, "100%", id="just-above-100-below-flag"),
]


@pytest.mark.parametrize(("value", "below_100", "expected"), PERCENT_CASES)
def test_it_formats_percentages_the_vietnamese_way(value, below_100, expected):
    assert format_percent(value, below_100=below_100) == expected


# columns: value, decimals, below_100, expected
PERCENT_DECIMALS_CASES = [
    pytest.param(D("94.7"), 0, False, "95%", id="no-decimals-half-up"),
    pytest.param(D("99.5"), 0, False, "100%", id="no-decimals-rounds-to-100"),
    pytest.param(D("99.5"), 0, True, "99%", id="no-decimals-not-met-never-100"),
    pytest.param(D("99.95"), 1, True, "99,9%", id="one-decimal-not-met-never-100"),
    pytest.param(D("99.95"), 1, False, "100%", id="one-decimal-rounds-to-100"),
]


@pytest.mark.parametrize(("value", "decimals", "below_100", "expected"), PERCENT_DECIMALS_CASES)
def test_it_formats_percentages_with_other_precisions(value, decimals, below_100, expected):
    assert format_percent(value, decimals, below_100=below_100) == expected


def test_it_formats_a_missing_percentage_as_empty_text():
    assert format_percent(None) == ""
    assert format_percent(None, below_100=True) == ""


# columns: change amount, unit, expected
CHANGE_CASES = [
    pytest.param(D("5.75"), "percent", "tăng 5,75%", id="relative-up"),
    pytest.param(D("-5.75"), "percent", "giảm 5,75%", id="relative-down"),
    pytest.param(D("0.5"), "percentage_points", "tăng 0,5 điểm %", id="points-up"),
    pytest.param(D("-0.5"), "percentage_points", "giảm 0,5 điểm %", id="points-down"),
    pytest.param(D("0"), "percent", "không đổi", id="relative-unchanged"),
    pytest.param(D("0"), "percentage_points", "không đổi", id="points-unchanged"),
    pytest.param(D("0.004"), "percent", "không đổi", id="rounds-to-unchanged"),
    pytest.param(D("-0.004"), "percentage_points", "không đổi", id="negative-rounds-to-unchanged"),
    pytest.param(D("0.005"), "percent", "tăng 0,01%", id="smallest-rise-half-up"),
    pytest.param(D("-0.005"), "percent", "giảm 0,01%", id="smallest-fall-half-up"),
    pytest.param(D("2.675"), "percent", "tăng 2,68%", id="half-up-not-float-round"),
    pytest.param(D("33.3333333"), "percent", "tăng 33,33%", id="repeating"),
    pytest.param(D("1250.5"), "percent", "tăng 1.250,5%", id="thousands"),
    pytest.param(D("-100"), "percent", "giảm 100%", id="to-zero"),
    pytest.param(D("9.00"), "percent", "tăng 9%", id="trailing-zeros-dropped"),
    pytest.param(D("5.75"), ChangeUnit.PERCENT, "tăng 5,75%", id="enum-relative"),
    pytest.param(D("-0.5"), ChangeUnit.PERCENTAGE_POINTS, "giảm 0,5 điểm %", id="enum-points"),
    pytest.param(None, "percent", "", id="no-change"),
    pytest.param(D("5"), None, "", id="no-unit"),
    pytest.param(None, None, "", id="nothing"),
]


@pytest.mark.parametrize(("change", "unit", "expected"), CHANGE_CASES)
def test_it_writes_the_change_against_last_year(change, unit, expected):
    assert format_change(change, unit) == expected


def test_it_writes_the_change_with_fewer_decimals_when_asked():
    assert format_change(D("5.75"), "percent", 1) == "tăng 5,8%"
    assert format_change(D("0.4"), "percent", 0) == "không đổi"


DATE_CASES = [
    pytest.param(date(2022, 1, 17), "ngày 17 tháng 01 năm 2022", "17/01/2022", id="padded-month"),
    pytest.param(date(2021, 12, 5), "ngày 05 tháng 12 năm 2021", "05/12/2021", id="padded-day"),
    pytest.param(date(2020, 2, 29), "ngày 29 tháng 02 năm 2020", "29/02/2020", id="leap-day"),
]


@pytest.mark.parametrize(("day", "long", "short"), DATE_CASES)
def test_it_writes_dates_as_documents_do(day, long, short):
    assert format_date_long(day) == long
    assert format_date_short(day) == short
