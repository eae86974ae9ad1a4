"""Reporting periods: parse, describe and compare them. Pure, no database.

Codes: year "2021", half "2021-H1", quarter "2021-Q3", month "2021-06", term "2020-2025".
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import lru_cache


class PeriodKind(StrEnum):
    YEAR = "year"
    HALF = "half"
    QUARTER = "quarter"
    MONTH = "month"
    TERM = "term"


class PeriodError(ValueError):
    """A period code that cannot be read. The message is Vietnamese and names the expected forms."""


_PATTERNS: list[tuple[PeriodKind, re.Pattern[str]]] = [
    (PeriodKind.TERM, re.compile(r"^(\d{4})\s*[-–]\s*(\d{4})$")),
    (PeriodKind.HALF, re.compile(r"^(\d{4})-H([12])$", re.IGNORECASE)),
    (PeriodKind.QUARTER, re.compile(r"^(\d{4})-Q([1-4])$", re.IGNORECASE)),
    (PeriodKind.MONTH, re.compile(r"^(\d{4})-(\d{2})$")),
    (PeriodKind.YEAR, re.compile(r"^(\d{4})$")),
]

FORMS = '"2021", "2021-H1", "2021-Q3", "2021-06" hoặc "2020-2025"'


@dataclass(frozen=True, order=True)
class Period:
    start: date
    end: date
    kind: PeriodKind
    code: str

    @property
    def year(self) -> int:
        return self.start.year

    def contains(self, other: Period) -> bool:
        return self.start <= other.start and other.end <= self.end

    def overlaps(self, start: date | None, end: date | None) -> bool:
        """Whether [start, end] (None = open) shares at least one day with this period."""
        return (start is None or start <= self.end) and (end is None or end >= self.start)

    def days_within(self, start: date | None, end: date | None) -> int:
        """How many days of this period fall within [start, end] (None = open)."""
        first = max(self.start, start) if start else self.start
        last = min(self.end, end) if end else self.end
        return max(0, (last - first).days + 1)

    def shifted_years(self, years: int) -> Period:
        """The same period `years` years later (negative: earlier). A term shifts by whole terms' years too."""
        if self.kind is PeriodKind.TERM:
            return parse_period(f"{self.start.year + years}-{self.end.year + years}")
        head, sep, tail = self.code.partition("-")
        return parse_period(f"{int(head) + years}{sep}{tail}")

    def same_period_last_year(self) -> Period:
        """"Cùng kỳ": the same period one year earlier; for a term, the term before it."""
        if self.kind is PeriodKind.TERM:
            length = self.end.year - self.start.year
            return self.shifted_years(-length)
        return self.shifted_years(-1)

    def label_vi(self) -> str:
        match self.kind:
            case PeriodKind.YEAR:
                return f"năm {self.year}"
            case PeriodKind.HALF:
                return f"{'6 tháng đầu' if self.code.upper().endswith('H1') else '6 tháng cuối'} năm {self.year}"
            case PeriodKind.QUARTER:
                return f"quý {['I', 'II', 'III', 'IV'][int(self.code[-1]) - 1]} năm {self.year}"
            case PeriodKind.MONTH:
                return f"tháng {self.start.month:02d} năm {self.year}"
            case PeriodKind.TERM:
                return f"nhiệm kỳ {self.start.year}–{self.end.year}"

    def label(self, lang: str = "vi") -> str:
        if lang != "en":
            return self.label_vi()
        match self.kind:
            case PeriodKind.YEAR:
                return f"{self.year}"
            case PeriodKind.HALF:
                return f"{'first' if self.code.upper().endswith('H1') else 'second'} half of {self.year}"
            case PeriodKind.QUARTER:
                return f"Q{self.code[-1]} {self.year}"
            case PeriodKind.MONTH:
                return f"{self.start:%B} {self.year}"
            case PeriodKind.TERM:
                return f"term {self.start.year}–{self.end.year}"

    def __str__(self) -> str:
        return self.code


def parse_period(text: str) -> Period:
    """Read a period code; raises PeriodError naming the accepted forms."""
    raw = (text or "").strip()
    for kind, pattern in _PATTERNS:
        match = pattern.match(raw)
        if not match:
            continue
        year = int(match.group(1))
        if not 1900 <= year <= 2200:
            break
        if kind is PeriodKind.YEAR:
            return Period(date(year, 1, 1), date(year, 12, 31), kind, f"{year}")
        number = int(match.group(2))
        if kind is PeriodKind.TERM:
            if not year < number <= year + 10:
                break
            return Period(date(year, 1, 1), date(number, 12, 31), kind, f"{year}-{number}")
        if kind is PeriodKind.HALF:
            first = 1 + 6 * (number - 1)
            return Period(date(year, first, 1), _month_end(year, first + 5), kind, f"{year}-H{number}")
        if kind is PeriodKind.QUARTER:
            first = 1 + 3 * (number - 1)
            return Period(date(year, first, 1), _month_end(year, first + 2), kind, f"{year}-Q{number}")
        if not 1 <= number <= 12:
            break
        return Period(date(year, number, 1), _month_end(year, number), kind, f"{year}-{number:02d}")
    raise PeriodError(f'Kỳ báo cáo "{raw}" không hợp lệ; dùng dạng {FORMS}.')


def parse_term(text: str) -> tuple[int, int]:
    """A term such as "2020-2025": (first year, last year); raises PeriodError naming the form."""
    raw = (text or "").strip()
    match = _PATTERNS[0][1].match(raw)
    if not match or not int(match.group(1)) < int(match.group(2)) <= int(match.group(1)) + 10:
        raise PeriodError(f'Nhiệm kỳ "{raw}" không hợp lệ; viết dạng 2020-2025.')
    return int(match.group(1)), int(match.group(2))


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


FINER: dict[PeriodKind, tuple[PeriodKind, ...]] = {  # what a period is made of, finest first
    PeriodKind.YEAR: (PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.HALF),
    PeriodKind.HALF: (PeriodKind.MONTH, PeriodKind.QUARTER),
    PeriodKind.QUARTER: (PeriodKind.MONTH,),
    PeriodKind.MONTH: (),
    PeriodKind.TERM: (PeriodKind.YEAR,),
}


@lru_cache(maxsize=4096)
def sub_periods(period: Period, kind: PeriodKind) -> tuple[Period, ...]:
    """The periods of `kind` that make up `period`, in order ("2021" in quarters: 2021-Q1 … 2021-Q4); () when
    `kind` does not divide it. Remembered: a scorecard asks for the same few thousand times."""
    if kind not in FINER[period.kind]:
        return ()
    if kind is PeriodKind.YEAR:
        return tuple(parse_period(str(year)) for year in range(period.start.year, period.end.year + 1))
    step = {PeriodKind.MONTH: 1, PeriodKind.QUARTER: 3, PeriodKind.HALF: 6}[kind]
    codes = []
    for first in range(period.start.month, period.end.month + 1, step):
        if kind is PeriodKind.MONTH:
            codes.append(f"{period.year}-{first:02d}")
        elif kind is PeriodKind.QUARTER:
            codes.append(f"{period.year}-Q{(first - 1) // 3 + 1}")
        else:
            codes.append(f"{period.year}-H{(first - 1) // 6 + 1}")
    return tuple(parse_period(code) for code in codes)
