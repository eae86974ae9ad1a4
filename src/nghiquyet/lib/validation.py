"""The one input rule for text, on every road (API, web, command line, import), and the checks on model
values that every service makes before saving, with messages a user can act on.

- Text is NFC (a letter typed precomposed or as base + combining mark is stored one way).
- Control characters are refused: NUL (PostgreSQL cannot store it, SQLite would), the other C0/C1
  controls (tabs and line breaks only where the field is multi-line), and the invisible bidirectional
  overrides and isolates that make text display in another order than it is stored (U+202A–U+202E,
  U+2066–U+2069; "Trojan Source").
- Length limits come from the model's column, checked before the database sees the value.
- Codes (org unit codes, resolution keys, target codes, usernames) take a safe alphabet only, so a
  look-alike (a Cyrillic "С", a zero-width space, a non-breaking hyphen) cannot pose as another code.
"""

from __future__ import annotations

import re
import unicodedata

from django.db import models

from nghiquyet.lib.errors import Invalid

_BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_CONTROL = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_BIDI}]")
_CONTROL_ONE_LINE = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI}]")
_LINE_BREAKS = re.compile(r"\s*[\t\r\n]+\s*")
# The letters of the Vietnamese alphabet beyond ASCII (precomposed, as NFC gives them): a code may be
# "CNH-hoá", but not hold a Cyrillic "С" or a Greek "Ο" that looks like a Latin one.
VIETNAMESE_LETTERS = (
    "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
    "ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴĐ"
)
_LETTER = f"A-Za-z0-9{VIETNAMESE_LETTERS}"
CODE_PATTERN = re.compile(f"[{_LETTER}](?:[{_LETTER}._-]*[{_LETTER}])?")
CODE_HINT = "chữ cái tiếng Việt, chữ số, dấu . _ - (không bắt đầu hay kết thúc bằng dấu)"
CODE_HINT_EN = "Vietnamese letters, digits and . _ - (not at the start or end)"


def _describe(char: str) -> str:
    if char == "\x00":
        return "ký tự NUL (mã 0)"
    return f"ký tự điều khiển U+{ord(char):04X} ({unicodedata.name(char, 'không tên')})"


def clean_text(value: str, field: str, *, limit: int | None = None, multiline: bool = False) -> str:
    """`value` as stored: NFC, without surrounding blanks; refused (Invalid naming `field`) when it holds a
    control character or is longer than `limit` characters."""
    if not value:
        return ""
    text = unicodedata.normalize("NFC", value).strip()
    if not multiline:
        text = _LINE_BREAKS.sub(" ", text)  # a name typed over two lines in a spreadsheet cell is one line
    found = (_CONTROL if multiline else _CONTROL_ONE_LINE).search(text)
    if found is not None:
        char = found.group()
        raise Invalid(
            f"Văn bản chứa {_describe(char)} ở vị trí {found.start() + 1}, không lưu được.",
            en=f"The text contains the control character U+{ord(char):04X} at position {found.start() + 1}.",
            field=field,
        )
    if limit is not None and len(text) > limit:
        raise Invalid(f"Quá dài: {len(text)} ký tự, tối đa {limit}.", en=f"Too long: {len(text)} characters, at most {limit}.", field=field)
    return text


def check_text(value: str, field: str, *, limit: int | None = None, multiline: bool = True) -> None:
    """Refuse text that `clean_text` would refuse (for values already normalised by their road)."""
    clean_text(value, field, limit=limit, multiline=multiline)


def check_no_nul(value: str, field: str) -> None:
    """A NUL or other control character cannot be stored as given (PostgreSQL refuses NUL; SQLite keeps
    it). Refuse it on both. Line breaks and tabs pass: this is for free text such as notes."""
    check_text(value, field, multiline=True)


def check_code(value: str, field: str) -> str:
    """A code as stored (surrounding blanks removed), refused unless it takes the safe alphabet."""
    code = unicodedata.normalize("NFC", value or "").strip()
    if code and not CODE_PATTERN.fullmatch(code):
        odd = next((c for c in code if not ((c.isascii() and c.isalnum()) or c in VIETNAMESE_LETTERS or c in "._-")), None)
        which = f' (ký tự "{odd}" U+{ord(odd):04X})' if odd else ""
        which_en = f' (character "{odd}" U+{ord(odd):04X})' if odd else ""
        raise Invalid(
            f'Mã "{code}" không hợp lệ{which}: chỉ dùng {CODE_HINT}.',
            en=f'The code "{code}" is not valid{which_en}: use {CODE_HINT_EN}.',
            field=field,
        )
    return code


def clean_fields(model: type[models.Model], **values: str) -> dict[str, str]:
    """The text fields of `model` as stored (`clean_text` with each column's limit; single-line columns,
    CharField, fold line breaks into a space). Refuses what PostgreSQL would fail on mid-transaction and
    SQLite would store whole."""
    cleaned = {}
    for name, value in values.items():
        column = model._meta.get_field(name)
        cleaned[name] = clean_text(value or "", name, limit=column.max_length, multiline=not isinstance(column, models.CharField))
    return cleaned


USERNAME_PATTERN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._@-]{0,148}[A-Za-z0-9])?")


def check_username(value: str, field: str = "username") -> str:
    """A username as stored: unaccented letters, digits and . _ @ - (at most 150), so that no username
    looks like an audit actor label ("cli:root", "token:7 of bob") or like another username."""
    name = (value or "").strip()
    if not USERNAME_PATTERN.fullmatch(name):
        raise Invalid(
            "Tên đăng nhập chỉ gồm chữ cái không dấu, chữ số và các dấu . _ @ - (tối đa 150 ký tự, "
            "bắt đầu và kết thúc bằng chữ hoặc số).",
            en="A username holds only unaccented letters, digits and . _ @ - (at most 150, starting and ending "
            "with a letter or digit).",
            field=field,
        )
    return name


def check_lengths(model: type[models.Model], **values: str) -> None:
    """Refuse what `clean_fields` refuses."""
    clean_fields(model, **values)


def small_int(text: str | None, *, digits: int = 9) -> int | None:
    """A form's number (a version, an id) when it is one: ASCII digits only ("²".isdigit() is true, int("²")
    fails), at most `digits` of them; None otherwise."""
    text = (text or "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) <= digits else None


def form_date(value: str | None, field: str):
    """A date from a form's date field (ISO, as browsers send it); None when empty; Invalid naming the field."""
    from datetime import date

    if not value:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise Invalid(f'Ngày "{value[:20]}" không hợp lệ; chọn trong lịch hoặc viết 2022-06-30.',
                      en=f'The date "{value[:20]}" is not valid; write 2022-06-30.', field=field) from None
