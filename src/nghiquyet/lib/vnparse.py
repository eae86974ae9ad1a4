"""Read numbers, yes/no values and text the way Vietnamese spreadsheets write them. Pure, no database.

"1.635" is 1635 and "0,21" is 0.21 (locale "vi"; "en" flips the separators). A grouping separator that
does not group exactly three digits ("1.5" in vi) is refused as ambiguous rather than guessed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from nghiquyet.lib.errors import Invalid

SEPARATORS = {"vi": (".", ","), "en": (",", ".")}  # (thousands, decimal)
_MINUS = "-\u2212\u2013"
# Well-formed numbers, the common case, read without the step-by-step checks below.
_PLAIN = {
    "vi": re.compile(r"-?(?:[0-9]{1,3}(?:\.[0-9]{3})+|[0-9]+)(?:,[0-9]+)?"),
    "en": re.compile(r"-?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?"),
}


@dataclass(frozen=True)
class ParsedNumber:
    value: Decimal
    percent: bool  # written with a trailing "%"


def nfc(text: str) -> str:
    """Unicode NFC with surrounding blanks removed: a letter typed precomposed or as base + combining mark
    compares equal. The tone mark's place ("hóa" / "hoá") is a spelling, not an encoding: NFC keeps both;
    `fold` (for headers and word lists) removes the marks, so there both placements match."""
    return unicodedata.normalize("NFC", text).strip()


def plain_number(text: str, locale: str) -> Decimal | None:
    """A well-formed number without sign words, blanks or "%" ("1.234,5" in vi), else None: the step-by-step
    reading of `parse_number` then decides. None for locale "auto", which must weigh both readings."""
    pattern = _PLAIN.get(locale)
    if pattern is None or not pattern.fullmatch(text):
        return None
    group, decimal = SEPARATORS[locale]
    return Decimal(text.replace(group, "").replace(decimal, "."))


def parse_number(text: str, *, locale: str = "vi", field: str = "value") -> ParsedNumber:
    """Parse a number written by a person; raises Invalid with the reason.

    `locale="auto"` (text that came with no locale, e.g. a JSON string): read it both ways, and refuse it
    when both readings are valid and differ ("1.635": 1635 or 1,635), saying how to write it plainly."""
    if locale == "auto":
        return _parse_either(text, field)
    plain = plain_number(text, locale)
    if plain is not None:
        return ParsedNumber(plain, False)
    group, decimal = SEPARATORS[locale]
    raw = nfc(text).replace("\u00a0", "").replace(" ", "")
    percent = raw.endswith("%")
    body = raw[:-1] if percent else raw
    sign = ""
    if body and (body[0] in _MINUS or body[0] == "+"):
        sign, body = ("-" if body[0] in _MINUS else ""), body[1:]
    if not body or not re.fullmatch(r"[0-9.,]+", body):
        raise Invalid(f'"{text}" không phải là số.', en=f'"{text}" is not a number.', field=field)
    whole, _, fraction = body.partition(decimal)
    if decimal in fraction or group in fraction:
        raise Invalid(
            f'"{text}" không đọc được: dấu "{decimal}" chỉ dùng một lần, phần thập phân không có dấu "{group}".',
            en=f'"{text}" cannot be read: "{decimal}" may appear once and the decimals take no "{group}".',
            field=field,
        )
    if group in whole:
        if not re.fullmatch(rf"[0-9]{{1,3}}(?:{re.escape(group)}[0-9]{{3}})+", whole):
            raise Invalid(
                f'"{text}" không rõ nghĩa: dấu "{group}" phân cách hàng nghìn phải đứng trước đúng 3 chữ số '
                f'(số thập phân viết bằng dấu "{decimal}").',
                en=f'"{text}" is ambiguous: the thousands separator "{group}" must group exactly three digits '
                f'(decimals are written with "{decimal}").',
                field=field,
            )
        whole = whole.replace(group, "")
    if not whole and not fraction:
        raise Invalid(f'"{text}" không phải là số.', en=f'"{text}" is not a number.', field=field)
    try:
        value = Decimal(f"{sign}{whole or '0'}" + (f".{fraction}" if fraction else ""))
    except InvalidOperation:  # pragma: no cover - the pattern above admits only digits
        raise Invalid(f'"{text}" không phải là số.', en=f'"{text}" is not a number.', field=field) from None
    return ParsedNumber(value, percent)


def _parse_either(text: str, field: str) -> ParsedNumber:
    readings: list[ParsedNumber] = []
    failure: Invalid | None = None
    for locale in ("vi", "en"):
        try:
            readings.append(parse_number(text, locale=locale, field=field))
        except Invalid as error:
            failure = failure or error
    if not readings:
        assert failure is not None
        raise failure
    if len(readings) == 2 and readings[0] != readings[1]:
        vi, en = (format(r.value, "f") for r in readings)
        raise Invalid(
            f'"{text}" không rõ nghĩa: có thể là {vi} hoặc {en}. Gửi giá trị dạng số JSON (không có dấu ngoặc '
            f'kép: 1635 hoặc 1.635), hoặc viết chuỗi không có dấu phân cách hàng nghìn ("1635").',
            en=f'"{text}" is ambiguous: it reads as {vi} or as {en}. Send a JSON number (unquoted: 1635 or '
            f'1.635), or a string without a thousands separator ("1635").',
            field=field,
        )
    return readings[0]


_TRUE = {"1", "x", "có", "co", "yes", "y", "true", "đạt", "dat", "hoàn thành", "hoan thanh", "done"}
_FALSE = {"", "0", "không", "khong", "no", "n", "false", "không đạt", "khong dat", "chưa hoàn thành", "chua hoan thanh"}


def parse_milestone(text: str | None, *, field: str = "value") -> Decimal:
    """yes/no, có/không, đạt/không đạt, x/blank, 1/0 → 1 or 0."""
    word = nfc(text or "").lower()
    if word in _TRUE:
        return Decimal(1)
    if word in _FALSE:
        return Decimal(0)
    raise Invalid(
        f'"{text}" không phải giá trị hoàn thành/chưa hoàn thành; dùng có/không, đạt/không đạt, x/để trống, 1/0.',
        en=f'"{text}" is not a milestone value; use yes/no, có/không, đạt/không đạt, x/blank, 1/0.',
        field=field,
    )


def fold(text: str) -> str:
    """Lower case without diacritics, for matching headers: "Đơn vị cấp trên" → "don vi cap tren"."""
    decomposed = unicodedata.normalize("NFD", nfc(text).lower().replace("đ", "d"))
    return re.sub(r"\s+", " ", "".join(ch for ch in decomposed if not unicodedata.combining(ch)))
