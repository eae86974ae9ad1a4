"""Table tests for reading Vietnamese numbers, milestones and headers (nghiquyet.lib.vnparse). Pure."""

from __future__ import annotations

import unicodedata
from decimal import Decimal

import pytest

from nghiquyet.lib.errors import Invalid
from nghiquyet.lib.vnparse import ParsedNumber, fold, nfc, parse_milestone, parse_number

D = Decimal


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


# columns: text, locale, expected value, expected percent flag
NUMBER_CASES = [
    pytest.param("1.635", "vi", D("1635"), False, id="vi-thousands-dot"),
    pytest.param("0,21", "vi", D("0.21"), False, id="vi-decimal-comma"),
    pytest.param("1.500.050,30", "vi", D("1500050.30"), False, id="vi-millions-with-decimals"),
    pytest.param("1.635,5", "vi", D("1635.5"), False, id="vi-thousands-and-decimals"),
    pytest.param("1635", "vi", D("1635"), False, id="vi-plain-integer"),
    pytest.param("1635,75", "vi", D("1635.75"), False, id="vi-ungrouped-decimals"),
    pytest.param("0", "vi", D("0"), False, id="vi-zero"),
    pytest.param("12,5%", "vi", D("12.5"), True, id="vi-percent"),
    pytest.param("100%", "vi", D("100"), True, id="vi-whole-percent"),
    pytest.param("1.250,5%", "vi", D("1250.5"), True, id="vi-grouped-percent"),
    pytest.param("12,5 %", "vi", D("12.5"), True, id="vi-percent-after-space"),
    pytest.param("-3,5", "vi", D("-3.5"), False, id="vi-negative"),
    pytest.param("-1.234,5", "vi", D("-1234.5"), False, id="vi-negative-grouped"),
    pytest.param("\u22125", "vi", D("-5"), False, id="vi-unicode-minus"),
    pytest.param("\u20135", "vi", D("-5"), False, id="vi-en-dash-minus"),
    pytest.param("+7", "vi", D("7"), False, id="vi-plus-sign"),
    pytest.param("-0,5%", "vi", D("-0.5"), True, id="vi-negative-percent"),
    pytest.param("  1.635  ", "vi", D("1635"), False, id="vi-surrounding-blanks"),
    pytest.param("1 635", "vi", D("1635"), False, id="vi-space-grouping"),
    pytest.param("1\u00a0635", "vi", D("1635"), False, id="vi-no-break-space-grouping"),
    pytest.param("1,635.5", "en", D("1635.5"), False, id="en-thousands-comma-decimal-dot"),
    pytest.param("1.5", "en", D("1.5"), False, id="en-decimal-dot"),
    pytest.param("1.635", "en", D("1.635"), False, id="en-dot-is-decimal"),
    pytest.param("1,500,050.30", "en", D("1500050.30"), False, id="en-millions"),
    pytest.param("12.5%", "en", D("12.5"), True, id="en-percent"),
    pytest.param("-1,234.5", "en", D("-1234.5"), False, id="en-negative-grouped"),
]


@pytest.mark.parametrize(("text", "locale", "value", "percent"), NUMBER_CASES)
def test_it_reads_numbers_written_by_people(text, locale, value, percent):
    parsed = parse_number(text, locale=locale)
    assert isinstance(parsed, ParsedNumber)
    assert isinstance(parsed.value, Decimal)
    assert parsed.value == value
    assert parsed.percent is percent


def test_it_reads_vietnamese_numbers_by_default():
    assert parse_number("1.500.050,30") == ParsedNumber(D("1500050.30"), False)


def test_it_keeps_the_written_decimals_exactly():
    assert str(parse_number("1.500.050,30").value) == "1500050.30"


# columns: text, locale
REFUSED_CASES = [
    pytest.param("1.5", "vi", id="vi-ambiguous-dot-one-digit"),
    pytest.param("1.63", "vi", id="vi-ambiguous-dot-two-digits"),
    pytest.param("1.6355", "vi", id="vi-ambiguous-dot-four-digits"),
    pytest.param("1234.567", "vi", id="vi-first-group-too-long"),
    pytest.param("1.635.5", "vi", id="vi-last-group-short"),
    pytest.param("1.", "vi", id="vi-trailing-group-separator"),
    pytest.param(".635", "vi", id="vi-leading-group-separator"),
    pytest.param("1,2,3", "vi", id="vi-two-decimal-commas"),
    pytest.param("1,5.000", "vi", id="vi-group-separator-in-decimals"),
    pytest.param("abc", "vi", id="vi-letters"),
    pytest.param("12a", "vi", id="vi-trailing-letter"),
    pytest.param("", "vi", id="vi-empty"),
    pytest.param("   ", "vi", id="vi-blank"),
    pytest.param("%", "vi", id="vi-percent-sign-only"),
    pytest.param("-", "vi", id="vi-minus-only"),
    pytest.param("--5", "vi", id="vi-double-minus"),
    pytest.param("1e5", "vi", id="vi-exponent"),
    pytest.param("1,5", "en", id="en-ambiguous-comma"),
    pytest.param("1.2.3", "en", id="en-two-decimal-dots"),
    pytest.param("abc", "en", id="en-letters"),
    pytest.param("", "en", id="en-empty"),
]


@pytest.mark.parametrize(("text", "locale"), REFUSED_CASES)
def test_it_refuses_numbers_it_cannot_read_unambiguously(text, locale):
    with pytest.raises(Invalid):
        parse_number(text, locale=locale)


def test_it_names_the_field_and_explains_in_both_languages_when_refusing():
    with pytest.raises(Invalid) as caught:
        parse_number("1.5", field="actual")
    error = caught.value
    assert error.field == "actual"
    assert '"1.5"' in str(error)
    assert "ambiguous" in error.text("en")
    assert error.text("vi") == str(error)


MILESTONE_DONE = [
    "yes", "Yes", "YES", " yes ",
    "có", "Có", "CÓ", nfd("có"), nfd("Có"),
    "đạt", "Đạt", "ĐẠT", nfd("đạt"), nfd("ĐẠT"),
    "x", "X", " x ",
    "1",
]
MILESTONE_NOT_DONE = [
    "no", "No", "NO",
    "không", "Không", "KHÔNG", nfd("không"), nfd("KHÔNG"),
    "không đạt", "Không đạt", "KHÔNG ĐẠT", nfd("không đạt"), nfd("Không Đạt"),
    "", "   ", None,
    "0",
]
MILESTONE_INVALID = ["maybe", "2", "-1", "0,5", "0.5", "xx", "yes!", "đạt một phần", "có lẽ", "10", "ok"]


@pytest.mark.parametrize("text", MILESTONE_DONE, ids=repr)
def test_it_reads_a_done_milestone_as_one(text):
    value = parse_milestone(text)
    assert isinstance(value, Decimal)
    assert value == D(1)


@pytest.mark.parametrize("text", MILESTONE_NOT_DONE, ids=repr)
def test_it_reads_a_milestone_not_done_as_zero(text):
    value = parse_milestone(text)
    assert isinstance(value, Decimal)
    assert value == D(0)


@pytest.mark.parametrize("text", MILESTONE_INVALID, ids=repr)
def test_it_refuses_any_other_milestone_value(text):
    with pytest.raises(Invalid) as caught:
        parse_milestone(text, field="actual")
    assert caught.value.field == "actual"


FOLD_CASES = [
    pytest.param("Đơn vị cấp trên", "don vi cap tren", id="parent-unit-header"),
    pytest.param(nfd("Đơn vị cấp trên"), "don vi cap tren", id="parent-unit-header-nfd"),
    pytest.param("ĐẢNG VIÊN MỚI", "dang vien moi", id="upper-case"),
    pytest.param("  Chỉ   tiêu\tKế hoạch  ", "chi tieu ke hoach", id="blanks-collapsed-and-trimmed"),
    pytest.param("Thực hiện 2021", "thuc hien 2021", id="digits-kept"),
    pytest.param("Tỷ lệ (%)", "ty le (%)", id="punctuation-kept"),
    pytest.param("plain", "plain", id="already-folded"),
    pytest.param("", "", id="empty"),
]


@pytest.mark.parametrize(("text", "expected"), FOLD_CASES)
def test_it_folds_headers_for_matching(text, expected):
    assert fold(text) == expected


def test_it_normalises_text_to_nfc_without_surrounding_blanks():
    assert nfc(" " + nfd("hoá") + " ") == "hoá"
    assert nfc(nfd("hoá")) == unicodedata.normalize("NFC", "hoá")
