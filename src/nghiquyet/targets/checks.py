"""Checks shared by the services and the bulk import, so both refuse the same things with the same words.

They look only at the values and objects given; none of them queries the database.
"""

from __future__ import annotations

from decimal import Decimal

from nghiquyet.lib.errors import Invalid
from nghiquyet.lib.periods import Period
from nghiquyet.orgunits.models import OrgUnit
from nghiquyet.targets.models import FIGURE_DECIMALS, Resolution
from nghiquyet.targets.rules import Direction

# SQLite stores DECIMAL columns as 64-bit floats: 15 significant digits survive exactly. Refusing more on
# every database keeps SQLite and PostgreSQL answers identical (docs/decisions/0003-decimal-figures.md).
MAX_SIGNIFICANT_DIGITS = 15
MAX_ABS = Decimal(10) ** (19 - FIGURE_DECIMALS)


def check_figure(value: Decimal, field: str = "value") -> Decimal:
    """A stored figure: finite, at most 4 decimals and 15 significant digits. Returns it normalised."""
    if not value.is_finite():
        raise Invalid("Giá trị không phải là số.", en="The value is not a number.", field=field)
    if abs(value) >= MAX_ABS:
        raise Invalid("Giá trị quá lớn.", en="The value is too large.", field=field)
    _, digits, exponent = value.as_tuple()
    if isinstance(exponent, int) and exponent >= -FIGURE_DECIMALS and len(digits) <= MAX_SIGNIFICANT_DIGITS:
        return value  # the common case, decided without normalising
    _, digits, exponent = value.normalize().as_tuple()  # normalize(): 1000 is 1E+3, one significant digit
    if isinstance(exponent, int) and exponent < -FIGURE_DECIMALS:
        raise Invalid(
            f"Giá trị {value} có quá {FIGURE_DECIMALS} chữ số thập phân.",
            en=f"The value {value} has more than {FIGURE_DECIMALS} decimals.",
            field=field,
        )
    if len(digits) > MAX_SIGNIFICANT_DIGITS:
        raise Invalid(
            f"Giá trị {value} có quá {MAX_SIGNIFICANT_DIGITS} chữ số có nghĩa.",
            en=f"The value {value} has more than {MAX_SIGNIFICANT_DIGITS} significant digits.",
            field=field,
        )
    return value


def check_plan_values(direction: str, value: Decimal, value_max: Decimal | None) -> None:
    check_figure(value, "value")
    if value_max is not None:
        if direction not in (Direction.RANGE, Direction.BAND):
            raise Invalid(
                "Cận trên chỉ dùng cho chỉ tiêu dạng khoảng (range, band).",
                en="value_max is only for range and band targets.",
                field="value_max",
            )
        check_figure(value_max, "value_max")
        if value_max < value:
            raise Invalid(
                f"Cận trên {value_max} nhỏ hơn kế hoạch {value}.",
                en=f"value_max {value_max} is below value {value}.",
                field="value_max",
            )
    if direction == Direction.MILESTONE:
        check_milestone(value)


def check_milestone(value: Decimal, field: str = "value") -> None:
    if value not in (0, 1):
        raise Invalid(
            "Chỉ tiêu dạng hoàn thành/chưa hoàn thành chỉ nhận 1 (có) hoặc 0 (không).",
            en="A milestone takes 1 (done) or 0 (not done).",
            field=field,
        )


def check_result_value(direction: str, value: Decimal) -> None:
    check_figure(value, "value")
    if direction == Direction.MILESTONE:
        check_milestone(value)


def check_period_in_term(resolution: Resolution, period: Period) -> None:
    if resolution.term_start and resolution.term_end and not (
        resolution.term_start <= period.start.year and period.end.year <= resolution.term_end
    ):
        raise Invalid(
            f"Kỳ {period.code} nằm ngoài nhiệm kỳ {resolution.term} của nghị quyết {resolution.key}.",
            en=f"Period {period.code} is outside the term {resolution.term} of resolution {resolution.key}.",
            field="period",
        )


def check_unit_valid_in(unit: OrgUnit, period: Period) -> None:
    if not period.overlaps(unit.valid_from, unit.valid_to):
        raise Invalid(
            f'Đơn vị "{unit.code}" không có hiệu lực trong kỳ {period.code} ({unit.validity_label()}).',
            en=f'Org unit "{unit.code}" is not valid in period {period.code} ({unit.validity_label()}).',
            field="org_unit",
        )
