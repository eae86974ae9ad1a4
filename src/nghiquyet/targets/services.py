"""Resolution, target, plan and result services: the only code that writes these tables.

Each save_* function creates or updates by the object's natural key and returns (object, changed), so
callers (CLI, import, API, web) can report "0 thay đổi" on a re-run.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from itertools import islice
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, transaction

from nghiquyet.audit.services import record_change, snapshot
from nghiquyet.lib.errors import Conflict, Invalid, NotFound
from nghiquyet.lib.periods import Period
from nghiquyet.lib.validation import check_lengths, check_no_nul
from nghiquyet.lib.vnformat import round_half_up
from nghiquyet.orgunits.models import OrgUnit
from nghiquyet.targets import checks
from nghiquyet.targets.models import (
    Accumulation,
    Plan,
    Resolution,
    Result,
    ResultKind,
    ResultState,
    Rollup,
    Target,
)
from nghiquyet.targets.rules import Direction, ValueKind

SLUG = re.compile(r"[A-Za-z0-9_-]+")


def get_resolution(*, key: str) -> Resolution:
    try:
        return Resolution.objects.select_related("org_unit").get(key=(key or "").strip())
    except Resolution.DoesNotExist:
        raise NotFound(
            f'Không tìm thấy nghị quyết có khóa "{key}".', en=f'No resolution with key "{key}".', field="resolution"
        ) from None


def get_target(*, resolution: Resolution, code: str) -> Target:
    try:
        return resolution.targets.get(code=(code or "").strip())
    except Target.DoesNotExist:
        raise NotFound(
            f'Nghị quyết {resolution.key} không có chỉ tiêu mã "{code}".',
            en=f'Resolution {resolution.key} has no target "{code}".',
            field="target",
        ) from None


def _apply(instance: Any, fields: dict[str, Any], *, org_unit: OrgUnit | None) -> bool:
    """Set fields on a model instance and save it if anything differs; audit the change. Returns whether
    it changed."""
    before = snapshot(instance, fields) if instance.pk is not None else None
    changed = instance.pk is None or any(getattr(instance, key) != value for key, value in fields.items())
    if changed:
        for key, value in fields.items():
            setattr(instance, key, value)
        instance.save()
        audited = [name for name in fields if name not in ("period_start", "period_end")]
        record_change(instance, before=before, fields=audited, org_unit=org_unit)
    return changed


def check_term(term_start: int | None, term_end: int | None) -> None:
    if (term_start is None) != (term_end is None) or (term_start and term_end and term_end <= term_start):
        raise Invalid(
            'Nhiệm kỳ phải có năm đầu và năm cuối, năm cuối lớn hơn, ví dụ "2020-2025".',
            en='A term needs a first and a last year, the last later, e.g. "2020-2025".',
            field="term",
        )


@transaction.atomic
def save_resolution(
    *,
    key: str,
    number: str,
    title: str,
    org_unit: OrgUnit,
    issuer: str = "",
    issued_on: date | None = None,
    term_start: int | None = None,
    term_end: int | None = None,
    parent: Resolution | None = None,
    nearly_met_threshold: Decimal | None = None,
    notice: str = "",
) -> tuple[Resolution, bool]:
    """Create or update the resolution with this key."""
    key = key.strip()
    if not key:
        raise Invalid("Thiếu khóa nghị quyết.", en="The resolution key is missing.", field="key")
    if not SLUG.fullmatch(key):
        raise Invalid(
            f'Khóa "{key}" chỉ gồm chữ không dấu, số, gạch ngang và gạch dưới, ví dụ "ct-2021".',
            en=f'Key "{key}" may hold only ASCII letters, digits, "-" and "_", e.g. "ct-2021".',
            field="key",
        )
    check_lengths(Resolution, key=key, number=number.strip(), title=title.strip(), issuer=issuer.strip(), notice=notice.strip())
    check_term(term_start, term_end)
    if nearly_met_threshold is not None and (
        not (0 < nearly_met_threshold < 100) or nearly_met_threshold != round_half_up(nearly_met_threshold, 2)
    ):
        raise Invalid(
            "Ngưỡng cơ bản đạt phải lớn hơn 0, nhỏ hơn 100 (% kế hoạch), tối đa 2 chữ số thập phân.",
            en="The nearly-met threshold must be above 0 and below 100 (percent of plan), with at most 2 decimals.",
            field="nearly_met_threshold",
        )
    resolution = Resolution.objects.filter(key=key).first() or Resolution(key=key)
    if resolution.pk is not None and (term_start, term_end) != (resolution.term_start, resolution.term_end):
        _check_figures_inside_term(resolution, term_start, term_end)
    if parent is not None and resolution.pk is not None and _is_descendant(parent, resolution):
        raise Invalid(
            f"Nghị quyết {parent.key} không thể là nghị quyết cấp trên của {key} (vòng lặp).",
            en=f"Resolution {parent.key} cannot be the parent of {key} (cycle).",
            field="parent",
        )
    changed = _apply(
        resolution,
        {
            "number": number.strip(),
            "title": title.strip(),
            "issuer": issuer.strip(),
            "issued_on": issued_on,
            "org_unit": org_unit,
            "term_start": term_start,
            "term_end": term_end,
            "parent": parent,
            "nearly_met_threshold": nearly_met_threshold,
            "notice": notice.strip(),
        },
        org_unit=org_unit,
    )
    return resolution, changed


def _check_figures_inside_term(resolution: Resolution, term_start: int | None, term_end: int | None) -> None:
    """A new term must still hold every plan and result already recorded under the resolution."""
    if term_start is None or term_end is None:
        return
    for model, what_vi, what_en in ((Plan, "kế hoạch", "plans"), (Result, "kết quả", "results")):
        outside = model.objects.filter(target__resolution=resolution).exclude(
            period_start__year__gte=term_start, period_end__year__lte=term_end
        )
        first = outside.order_by("period_start").first()
        if first is not None:
            raise Invalid(
                f"Nhiệm kỳ {term_start}-{term_end} không chứa {what_vi} đã có (kỳ {first.period}); sửa hoặc xóa chúng trước.",
                en=f"Term {term_start}-{term_end} leaves out recorded {what_en} (period {first.period}); change those first.",
                field="term",
            )


def _check_figures_are_milestones(target: Target) -> None:
    """Turning a target into a milestone: its recorded figures must already be 1 or 0."""
    for model, what_vi, what_en in ((Plan, "kế hoạch", "plans"), (Result, "kết quả", "results")):
        if model.objects.filter(target=target).exclude(value__in=[0, 1]).exists():
            raise Invalid(
                f"Chỉ tiêu {target.code} có {what_vi} khác 1/0, không chuyển được sang dạng hoàn thành/chưa hoàn thành.",
                en=f"Target {target.code} has {what_en} other than 1/0 and cannot become a milestone.",
                field="direction",
            )


def _is_descendant(candidate: Resolution, ancestor: Resolution) -> bool:
    node: Resolution | None = candidate
    while node is not None:
        if node.pk == ancestor.pk:
            return True
        node = node.parent
    return False


def check_target_definition(
    *,
    direction: str,
    value_kind: str,
    accumulation: str,
    rollup: str,
    numerator: Target | None,
    denominator: Target | None,
    decimals: int,
) -> None:
    for field, value, allowed in (
        ("direction", direction, [d.value for d in Direction]),
        ("value_kind", value_kind, [k.value for k in ValueKind]),
        ("accumulation", accumulation, Accumulation.values),
        ("rollup", rollup, Rollup.values),
    ):
        if value not in allowed:
            raise Invalid(
                f'Giá trị "{value}" không hợp lệ; dùng một trong: {", ".join(allowed)}.',
                en=f'Unknown value "{value}"; use one of: {", ".join(allowed)}.',
                field=field,
            )
    if rollup == Rollup.RATIO and (numerator is None or denominator is None):
        raise Invalid(
            "Chỉ tiêu tổng hợp theo tỷ lệ cần chỉ tiêu tử số và mẫu số.",
            en="A ratio roll-up needs a numerator and a denominator target.",
            field="numerator" if numerator is None else "denominator",
        )
    if rollup != Rollup.RATIO and (numerator is not None or denominator is not None):
        raise Invalid(
            "Chỉ tiêu có tử số/mẫu số phải tổng hợp theo tỷ lệ (rollup = ratio).",
            en="Only a ratio roll-up takes a numerator and a denominator.",
            field="rollup",
        )
    if not 0 <= decimals <= 4:
        raise Invalid("Số chữ số thập phân từ 0 đến 4.", en="Decimals must be 0 to 4.", field="decimals")


@transaction.atomic
def save_target(
    *,
    resolution: Resolution,
    code: str,
    name: str,
    direction: str,
    unit: str = "",
    value_kind: str = ValueKind.COUNT,
    accumulation: str = Accumulation.FLOW,
    rollup: str = Rollup.SUM,
    numerator: Target | None = None,
    denominator: Target | None = None,
    is_key: bool = False,
    decimals: int = 0,
    position: int | None = None,
) -> tuple[Target, bool]:
    """Create or update the target `code` of `resolution`."""
    code, name = code.strip(), name.strip()
    if not code or not name:
        raise Invalid("Thiếu mã hoặc tên chỉ tiêu.", en="The target code or name is missing.", field="code" if not code else "name")
    check_lengths(Target, code=code, name=name, unit=unit.strip())
    check_target_definition(
        direction=direction,
        value_kind=value_kind,
        accumulation=accumulation,
        rollup=rollup,
        numerator=numerator,
        denominator=denominator,
        decimals=decimals,
    )
    for field, other in (("numerator", numerator), ("denominator", denominator)):
        if other is not None and (other.resolution_id != resolution.pk or other.code == code):
            raise Invalid(
                f"Chỉ tiêu {field} phải là một chỉ tiêu khác của cùng nghị quyết.",
                en=f"The {field} must be another target of the same resolution.",
                field=field,
            )
    target = resolution.targets.filter(code=code).first() or Target(resolution=resolution, code=code)
    if target.pk is not None and direction == Direction.MILESTONE and target.direction != Direction.MILESTONE:
        _check_figures_are_milestones(target)
    if position is None:
        position = target.position if target.pk else resolution.targets.count() + 1
    changed = _apply(
        target,
        {
            "name": name,
            "unit": unit.strip(),
            "direction": direction,
            "value_kind": value_kind,
            "accumulation": accumulation,
            "rollup": rollup,
            "numerator": numerator,
            "denominator": denominator,
            "is_key": is_key,
            "decimals": decimals,
            "position": position,
        },
        org_unit=resolution.org_unit,
    )
    return target, changed


def _check_target_cell(target: Target, org_unit: OrgUnit, period: Period) -> None:
    checks.check_period_in_term(target.resolution, period)
    checks.check_unit_valid_in(org_unit, period)


@transaction.atomic
def set_plan(
    *, target: Target, org_unit: OrgUnit, period: Period, value: Decimal, value_max: Decimal | None = None
) -> tuple[Plan, bool]:
    """Set the plan of `target` for `org_unit` in `period`."""
    _check_target_cell(target, org_unit, period)
    checks.check_plan_values(target.direction, value, value_max)
    plan = Plan.objects.filter(target=target, org_unit=org_unit, period=period.code).first() or Plan(
        target=target, org_unit=org_unit, period=period.code
    )
    changed = _apply(
        plan,
        {"value": value, "value_max": value_max, "period_start": period.start, "period_end": period.end},
        org_unit=org_unit,
    )
    return plan, changed


@transaction.atomic
def record_result(
    *,
    target: Target,
    org_unit: OrgUnit,
    period: Period,
    value: Decimal,
    kind: str = ResultKind.OFFICIAL,
    note: str = "",
    user: AbstractBaseUser | None = None,
    source: str = "",
    state: str = ResultState.APPROVED,
) -> tuple[Result, bool]:
    """Record the `kind` (estimate or official) result of `target` for `org_unit` in `period`.

    Figures entered in the web or the API arrive as drafts (`state="draft"`) for an approver above to
    approve; the command line and imports record approved figures.
    """
    if kind not in ResultKind.values:
        raise Invalid(
            f'Loại số liệu "{kind}" không hợp lệ; dùng estimate hoặc official.',
            en=f'Unknown result kind "{kind}"; use estimate or official.',
            field="kind",
        )
    _check_target_cell(target, org_unit, period)
    checks.check_result_value(target.direction, value)
    check_no_nul(note, "note")
    result = Result.objects.filter(target=target, org_unit=org_unit, period=period.code, kind=kind).first() or Result(
        target=target, org_unit=org_unit, period=period.code, kind=kind
    )
    fields: dict[str, Any] = {"value": value, "note": note.strip(), "period_start": period.start, "period_end": period.end}
    # Who entered a figure, and its state, change only when the figure does: re-importing is no change.
    if result.pk is None or result.value != value or result.note != fields["note"]:
        fields |= {"recorded_by": user, "source": source, "state": state}
    return result, _apply(result, fields, org_unit=org_unit)


@transaction.atomic
def approve_result(*, result: Result) -> Result:
    """An approver above the unit accepts a draft (or a returned figure sent in again)."""
    if result.state == ResultState.APPROVED:
        raise Conflict("Số liệu này đã được duyệt.", en="This figure is already approved.", field="state")
    _apply(result, {"state": ResultState.APPROVED}, org_unit=result.org_unit)
    return result


@transaction.atomic
def return_result(*, result: Result, reason: str) -> Result:
    """An approver sends a figure back to the unit, with the reason in the note."""
    reason = reason.strip()
    if not reason:
        raise Invalid("Cần ghi lý do trả lại.", en="Give the reason for returning it.", field="reason")
    if result.state == ResultState.RETURNED:
        raise Conflict("Số liệu này đã được trả lại.", en="This figure was already returned.", field="state")
    _apply(result, {"state": ResultState.RETURNED, "note": f"Trả lại: {reason}"[:2000]}, org_unit=result.org_unit)
    return result


def exact_sum(values: Iterable[Decimal | None]) -> Decimal:
    """Sum figures exactly. Done in Python, not with SQL SUM: SQLite adds DECIMAL columns as floats."""
    total = Decimal(0)
    for value in values:
        if value is not None:
            total += value
    return total


def sum_results(*, target: Target, org_units: Iterable[OrgUnit], period: Period, kind: str = ResultKind.OFFICIAL) -> Decimal:
    """The exact total of one target's results over several units (the base of sum roll-ups)."""
    values = Result.objects.filter(
        target=target, org_unit__in=list(org_units), period=period.code, kind=kind
    ).values_list("value", flat=True)
    return exact_sum(values)


PG_COPY_TYPES = {
    "ForeignKey": "int8",
    "BigAutoField": "int8",
    "CharField": "text",
    "TextField": "text",
    "DateField": "date",
    "DateTimeField": "timestamptz",
    "DecimalField": "numeric",
}


def bulk_write(
    *,
    model: type[Plan] | type[Result],
    columns: Sequence[str],
    inserts: Iterable[Sequence[Any]] = (),
    update_columns: Sequence[str] = (),
    updates: Sequence[Sequence[Any]] = (),
) -> None:
    """Insert and update many plans or results at once, for the import of large files.

    Rows come already checked (imports.importer runs the same checks as set_plan and record_result)
    and with values adapted for the database (connection.ops); `inserts` may be a generator, consumed
    as it goes. `updates` rows hold the new values of `update_columns` followed by the row id. Inserts
    use the database's own bulk path where it has one (COPY on PostgreSQL, five times faster there than
    multi-row INSERT) and multi-row INSERT elsewhere; both run in CI. The caller's transaction makes the
    whole import one unit.
    """
    table = connection.ops.quote_name(model._meta.db_table)
    quote = connection.ops.quote_name
    names = ", ".join(quote(name) for name in columns)
    if connection.vendor == "postgresql":
        types = [PG_COPY_TYPES[model._meta.get_field(name).get_internal_type()] for name in columns]
        with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN (FORMAT BINARY)") as copy:
            copy.set_types(types)  # binary: the server parses no text, the largest share of its COPY work
            for row in inserts:
                copy.write_row(row)
    else:
        limit = connection.features.max_query_params or 60000
        batch = max(1, min(2000, limit // len(columns)))
        placeholder = "(" + ", ".join(["%s"] * len(columns)) + ")"
        rows = iter(inserts)
        with connection.cursor() as cursor:
            while chunk := list(islice(rows, batch)):
                sql = f"INSERT INTO {table} ({names}) VALUES {', '.join([placeholder] * len(chunk))}"
                cursor.execute(sql, [value for row in chunk for value in row])
    if updates:
        assignments = ", ".join(f"{quote(name)} = %s" for name in update_columns)
        with connection.cursor() as cursor:
            cursor.executemany(f"UPDATE {table} SET {assignments} WHERE {quote('id')} = %s", list(updates))
