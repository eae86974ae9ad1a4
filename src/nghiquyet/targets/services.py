"""Resolution and target services: the only code that writes these tables (plans and results are written
by figures.writes).

Each save_* function creates or updates by the object's natural key and returns (object, changed), so
callers (CLI, import, API, web) can report "0 thay đổi" on a re-run.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction

from nghiquyet.audit.services import record_change, snapshot
from nghiquyet.lib.errors import Invalid, NotFound
from nghiquyet.lib.periods import PeriodError, parse_term
from nghiquyet.lib.validation import check_code, check_lengths, clean_fields
from nghiquyet.lib.vnformat import round_half_up
from nghiquyet.orgunits.models import OrgUnit
from nghiquyet.targets.models import (
    Accumulation,
    Plan,
    Resolution,
    Result,
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


# The fields a resolution or target keeps when a change leaves them out, and what a new one starts with.
RESOLUTION_DEFAULTS: dict[str, Any] = {
    "number": "", "title": "", "org_unit": None, "issuer": "", "issued_on": None, "term_start": None, "term_end": None,
    "parent": None, "nearly_met_threshold": None, "notice": "", "entry_closes_after_days": None,
}
TARGET_DEFAULTS: dict[str, Any] = {
    "name": "", "direction": "", "unit": "", "value_kind": ValueKind.COUNT, "accumulation": Accumulation.FLOW,
    "rollup": Rollup.SUM, "numerator": None, "denominator": None, "is_key": False, "decimals": 0, "position": None,
}


def _merged(existing: Any, given: dict[str, Any], defaults: dict[str, Any]) -> dict[str, Any]:
    """The fields to save: those given, the rest as stored (or the defaults for a new object)."""
    base = {name: getattr(existing, name) for name in defaults} if existing is not None else dict(defaults)
    return base | given


def update_or_create_resolution(*, key: str, **given: Any) -> tuple[Resolution, bool]:
    """Create the resolution `key`, or change only the fields given and keep the others: what an import row
    with some of the columns, or an API PATCH, asks for."""
    existing = Resolution.objects.filter(key=(key or "").strip()).first()
    return save_resolution(key=key, **_merged(existing, given, RESOLUTION_DEFAULTS))


def update_or_create_target(*, resolution: Resolution, code: str, **given: Any) -> tuple[Target, bool]:
    """Create the target `code` of `resolution`, or change only the fields given and keep the others."""
    existing = resolution.targets.filter(code=(code or "").strip()).first()
    return save_target(resolution=resolution, code=code, **_merged(existing, given, TARGET_DEFAULTS))


def read_term(text: str | None, *, field: str = "term") -> tuple[int | None, int | None]:
    """A term as written ("2020-2025"; blank: none), for every road that takes one."""
    text = (text or "").strip()
    if not text:
        return None, None
    try:
        return parse_term(text)
    except PeriodError as error:
        raise Invalid(str(error), en=f'Term "{text}" is not valid; write 2020-2025.', field=field) from None


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
    org_unit: OrgUnit | None,
    issuer: str = "",
    issued_on: date | None = None,
    term_start: int | None = None,
    term_end: int | None = None,
    parent: Resolution | None = None,
    nearly_met_threshold: Decimal | None = None,
    notice: str = "",
    entry_closes_after_days: int | None = None,
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
    cleaned = clean_fields(Resolution, number=number, title=title, issuer=issuer, notice=notice)
    number, title, issuer, notice = cleaned["number"], cleaned["title"], cleaned["issuer"], cleaned["notice"]
    check_lengths(Resolution, key=key)
    check_term(term_start, term_end)
    if org_unit is None:
        raise Invalid("Nghị quyết mới cần mã đơn vị chủ trì.", en="A new resolution needs an org_unit.", field="org_unit")
    if nearly_met_threshold is not None and (
        not (0 < nearly_met_threshold < 100) or nearly_met_threshold != round_half_up(nearly_met_threshold, 2)
    ):
        raise Invalid(
            "Ngưỡng cơ bản đạt phải lớn hơn 0, nhỏ hơn 100 (% kế hoạch), tối đa 2 chữ số thập phân.",
            en="The nearly-met threshold must be above 0 and below 100 (percent of plan), with at most 2 decimals.",
            field="nearly_met_threshold",
        )
    if entry_closes_after_days is not None and not 0 <= entry_closes_after_days <= 366:
        raise Invalid("Số ngày khóa nhập sau khi hết kỳ phải từ 0 đến 366.", en="Entry must close 0 to 366 days after a period ends.",
                      field="entry_closes_after_days")
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
            "entry_closes_after_days": entry_closes_after_days,
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
    code = check_code(code, "code")
    cleaned = clean_fields(Target, code=code, name=name, unit=unit)
    name, unit = cleaned["name"], cleaned["unit"]
    if not code or not name:
        raise Invalid("Thiếu mã hoặc tên chỉ tiêu.", en="The target code or name is missing.", field="code" if not code else "name")
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
