"""Table tests for reporting periods (nghiquyet.lib.periods). Pure: no database."""

from __future__ import annotations

from datetime import date

import pytest

from nghiquyet.lib.periods import FORMS, Period, PeriodError, PeriodKind, parse_period

# columns: text, kind, code, start, end
PARSE_CASES = [
    pytest.param("2021", PeriodKind.YEAR, "2021", date(2021, 1, 1), date(2021, 12, 31), id="year"),
    pytest.param("2021-H1", PeriodKind.HALF, "2021-H1", date(2021, 1, 1), date(2021, 6, 30), id="first-half"),
    pytest.param("2021-H2", PeriodKind.HALF, "2021-H2", date(2021, 7, 1), date(2021, 12, 31), id="second-half"),
    pytest.param("2021-h1", PeriodKind.HALF, "2021-H1", date(2021, 1, 1), date(2021, 6, 30), id="half-lower"),
    pytest.param("2021-Q1", PeriodKind.QUARTER, "2021-Q1", date(2021, 1, 1), date(2021, 3, 31), id="q1"),
    pytest.param("2021-Q2", PeriodKind.QUARTER, "2021-Q2", date(2021, 4, 1), date(2021, 6, 30), id="q2"),
    pytest.param("2021-Q3", PeriodKind.QUARTER, "2021-Q3", date(2021, 7, 1), date(2021, 9, 30), id="q3"),
    pytest.param("2021-Q4", PeriodKind.QUARTER, "2021-Q4", date(2021, 10, 1), date(2021, 12, 31), id="q4"),
    pytest.param("2021-q3", PeriodKind.QUARTER, "2021-Q3", date(2021, 7, 1), date(2021, 9, 30), id="q3-lower"),
    pytest.param("2021-06", PeriodKind.MONTH, "2021-06", date(2021, 6, 1), date(2021, 6, 30), id="june"),
    pytest.param("2021-01", PeriodKind.MONTH, "2021-01", date(2021, 1, 1), date(2021, 1, 31), id="january"),
    pytest.param("2021-12", PeriodKind.MONTH, "2021-12", date(2021, 12, 1), date(2021, 12, 31), id="december"),
    pytest.param("2021-02", PeriodKind.MONTH, "2021-02", date(2021, 2, 1), date(2021, 2, 28), id="feb-common"),
    pytest.param("2024-02", PeriodKind.MONTH, "2024-02", date(2024, 2, 1), date(2024, 2, 29), id="feb-leap"),
    pytest.param("2000-02", PeriodKind.MONTH, "2000-02", date(2000, 2, 1), date(2000, 2, 29), id="feb-2000"),
    pytest.param("2100-02", PeriodKind.MONTH, "2100-02", date(2100, 2, 1), date(2100, 2, 28), id="feb-2100"),
    pytest.param("2020-2025", PeriodKind.TERM, "2020-2025", date(2020, 1, 1), date(2025, 12, 31), id="term"),
    pytest.param("2020–2025", PeriodKind.TERM, "2020-2025", date(2020, 1, 1), date(2025, 12, 31), id="term-dash"),
    pytest.param("2020 - 2025", PeriodKind.TERM, "2020-2025", date(2020, 1, 1), date(2025, 12, 31), id="term-space"),
    pytest.param("2021-2030", PeriodKind.TERM, "2021-2030", date(2021, 1, 1), date(2030, 12, 31), id="term-ten"),
    pytest.param("2020-2021", PeriodKind.TERM, "2020-2021", date(2020, 1, 1), date(2021, 12, 31), id="term-short"),
    pytest.param("  2021  ", PeriodKind.YEAR, "2021", date(2021, 1, 1), date(2021, 12, 31), id="year-blanks"),
    pytest.param("1900", PeriodKind.YEAR, "1900", date(1900, 1, 1), date(1900, 12, 31), id="first-year"),
    pytest.param("2200", PeriodKind.YEAR, "2200", date(2200, 1, 1), date(2200, 12, 31), id="last-year"),
]


@pytest.mark.parametrize(("text", "kind", "code", "start", "end"), PARSE_CASES)
def test_it_reads_period_codes(text, kind, code, start, end):
    period = parse_period(text)
    assert period.kind is kind
    assert period.code == code
    assert str(period) == code
    assert period.start == start
    assert period.end == end
    assert period.year == start.year


MALFORMED = [
    "2021-13", "2021-00", "2021-Q5", "2021-Q0", "2021-H3", "2021-H0", "21", "2025-2020", "2020-2020",
    "2020-2031", "abc", "", "   ", "2021-6", "2021/06", "2021-Q", "20211", "1899", "2201", "2021-06-01",
    "Q3-2021", "2021 Q3",
]


@pytest.mark.parametrize("text", MALFORMED, ids=repr)
def test_it_refuses_malformed_period_codes(text):
    with pytest.raises(PeriodError) as caught:
        parse_period(text)
    assert FORMS in str(caught.value)


def test_it_reports_a_malformed_code_as_a_value_error():
    with pytest.raises(ValueError, match="không hợp lệ"):
        parse_period("2021-13")


# columns: code, code of the same period a year earlier (for a term, the term before it)
LAST_YEAR_CASES = [
    pytest.param("2021", "2020", id="year"),
    pytest.param("2021-H1", "2020-H1", id="first-half"),
    pytest.param("2021-H2", "2020-H2", id="second-half"),
    pytest.param("2021-Q3", "2020-Q3", id="quarter"),
    pytest.param("2021-Q1", "2020-Q1", id="first-quarter"),
    pytest.param("2021-06", "2020-06", id="month"),
    pytest.param("2021-01", "2020-01", id="january"),
    pytest.param("2020-2025", "2015-2020", id="term"),
    pytest.param("2025-2030", "2020-2025", id="next-term"),
]


@pytest.mark.parametrize(("code", "expected"), LAST_YEAR_CASES)
def test_it_finds_the_same_period_a_year_earlier(code, expected):
    earlier = parse_period(code).same_period_last_year()
    assert earlier == parse_period(expected)
    assert earlier.code == expected


def test_it_finds_the_same_leap_month_a_year_earlier_with_its_own_length():
    earlier = parse_period("2024-02").same_period_last_year()
    assert (earlier.start, earlier.end) == (date(2023, 2, 1), date(2023, 2, 28))


SHIFT_CASES = [
    pytest.param("2021-Q3", 2, "2023-Q3", id="quarter-later"),
    pytest.param("2021", -3, "2018", id="year-earlier"),
    pytest.param("2020-2025", 5, "2025-2030", id="term-later"),
    pytest.param("2021-06", 0, "2021-06", id="no-shift"),
]


@pytest.mark.parametrize(("code", "years", "expected"), SHIFT_CASES)
def test_it_shifts_a_period_by_whole_years(code, years, expected):
    assert parse_period(code).shifted_years(years).code == expected


# columns: period code, start, end, expected days
DAYS_WITHIN_CASES = [
    pytest.param("2021", None, None, 365, id="open-both-ends-common-year"),
    pytest.param("2020", None, None, 366, id="open-both-ends-leap-year"),
    pytest.param("2020-2025", None, None, 2192, id="open-both-ends-term"),
    pytest.param("2021", date(2021, 3, 1), date(2021, 3, 31), 31, id="inside"),
    pytest.param("2021", date(2021, 7, 1), None, 184, id="open-end"),
    pytest.param("2021", None, date(2021, 1, 31), 31, id="open-start"),
    pytest.param("2021", date(2020, 12, 1), date(2021, 1, 10), 10, id="overlaps-start"),
    pytest.param("2021", date(2021, 12, 25), date(2022, 2, 1), 7, id="overlaps-end"),
    pytest.param("2021", date(2020, 1, 1), date(2022, 12, 31), 365, id="covers-period"),
    pytest.param("2021", date(2021, 5, 5), date(2021, 5, 5), 1, id="single-day"),
    pytest.param("2021", date(2021, 12, 31), None, 1, id="last-day-open-end"),
    pytest.param("2021", None, date(2021, 1, 1), 1, id="first-day-open-start"),
    pytest.param("2021", date(2022, 1, 1), None, 0, id="after"),
    pytest.param("2021", None, date(2020, 12, 31), 0, id="before"),
    pytest.param("2021", date(2019, 1, 1), date(2019, 12, 31), 0, id="long-before"),
    pytest.param("2021-Q3", date(2021, 6, 15), date(2021, 7, 15), 15, id="quarter-overlap"),
    pytest.param("2024-02", None, None, 29, id="leap-february"),
    pytest.param("2021-H1", None, None, 181, id="first-half-common-year"),
]


@pytest.mark.parametrize(("code", "start", "end", "expected"), DAYS_WITHIN_CASES)
def test_it_counts_the_days_of_a_period_within_a_span(code, start, end, expected):
    assert parse_period(code).days_within(start, end) == expected


OVERLAP_CASES = [
    pytest.param(None, None, True, id="open"),
    pytest.param(date(2021, 12, 31), None, True, id="starts-on-last-day"),
    pytest.param(date(2022, 1, 1), None, False, id="starts-after"),
    pytest.param(None, date(2021, 1, 1), True, id="ends-on-first-day"),
    pytest.param(None, date(2020, 12, 31), False, id="ends-before"),
    pytest.param(date(2020, 6, 1), date(2022, 6, 1), True, id="covers"),
]


@pytest.mark.parametrize(("start", "end", "expected"), OVERLAP_CASES)
def test_it_tells_whether_a_span_shares_a_day_with_the_period(start, end, expected):
    assert parse_period("2021").overlaps(start, end) is expected


CONTAINS_CASES = [
    pytest.param("2020-2025", "2021", True, id="term-contains-year"),
    pytest.param("2021", "2021-Q3", True, id="year-contains-quarter"),
    pytest.param("2021-H2", "2021-Q3", True, id="half-contains-quarter"),
    pytest.param("2021-H1", "2021-Q3", False, id="first-half-lacks-q3"),
    pytest.param("2021", "2021", True, id="contains-itself"),
    pytest.param("2021-Q3", "2021", False, id="quarter-lacks-year"),
    pytest.param("2020-2025", "2026", False, id="term-lacks-later-year"),
]


@pytest.mark.parametrize(("outer", "inner", "expected"), CONTAINS_CASES)
def test_it_tells_whether_a_period_contains_another(outer, inner, expected):
    assert parse_period(outer).contains(parse_period(inner)) is expected


LABEL_CASES = [
    pytest.param("2021", "năm 2021", id="year"),
    pytest.param("2021-H1", "6 tháng đầu năm 2021", id="first-half"),
    pytest.param("2021-H2", "6 tháng cuối năm 2021", id="second-half"),
    pytest.param("2021-h1", "6 tháng đầu năm 2021", id="first-half-lower"),
    pytest.param("2021-Q1", "quý I năm 2021", id="q1"),
    pytest.param("2021-Q2", "quý II năm 2021", id="q2"),
    pytest.param("2021-Q3", "quý III năm 2021", id="q3"),
    pytest.param("2021-Q4", "quý IV năm 2021", id="q4"),
    pytest.param("2021-06", "tháng 06 năm 2021", id="month"),
    pytest.param("2021-12", "tháng 12 năm 2021", id="december"),
    pytest.param("2020-2025", "nhiệm kỳ 2020–2025", id="term"),
]


@pytest.mark.parametrize(("code", "expected"), LABEL_CASES)
def test_it_labels_periods_in_vietnamese(code, expected):
    assert parse_period(code).label_vi() == expected


def test_it_orders_periods_by_start_then_end():
    codes = ["2021-Q3", "2021", "2020-2025", "2021-H1", "2021-06", "2021-01"]
    ordered = sorted(parse_period(code) for code in codes)
    assert [period.code for period in ordered] == ["2020-2025", "2021-01", "2021-H1", "2021", "2021-06", "2021-Q3"]


def test_it_treats_two_readings_of_the_same_code_as_equal():
    assert parse_period("2021-q3") == parse_period("2021-Q3")
    assert isinstance(parse_period("2021"), Period)
