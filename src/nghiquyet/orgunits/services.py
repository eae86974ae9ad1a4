"""Org unit services: the only code that writes org units. Keyword-only, called by CLI, import, API, web."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from django.db import transaction
from django.db.models import Q, QuerySet

from nghiquyet.audit.services import record, snapshot
from nghiquyet.lib.errors import Conflict, Invalid, NotFound
from nghiquyet.lib.periods import Period
from nghiquyet.lib.validation import check_code, clean_fields
from nghiquyet.orgunits.models import OrgUnit, UnitType


def pick_at(candidates: Sequence[OrgUnit], *, period: Period | None = None, on: date | None = None) -> list[OrgUnit]:
    """Of the units sharing one code, those it names at a period or on a day.

    On a day: the units valid that day. Over a period: those valid on at least one of its days; if a
    reused code gives several, the one valid for the most days of the period wins, and on a tie the
    later one (the term 2020–2025 belongs to the city as it was; the year 2025, split 181/184 days by
    the reform of 1 July, to the new city). With neither: the units still valid (no end date).
    """
    if on is not None:
        return [unit for unit in candidates if unit.is_valid_on(on)]
    if period is not None:
        found = [unit for unit in candidates if period.overlaps(unit.valid_from, unit.valid_to)]
        if len(found) > 1:
            best = max(found, key=lambda unit: (period.days_within(unit.valid_from, unit.valid_to), unit.valid_from or date.min))
            found = [best]
        return found
    return [unit for unit in candidates if unit.valid_to is None]


def resolution_error(code: str, found: Sequence[OrgUnit], code_exists: bool, *, period: Period | None = None,
                     on: date | None = None) -> NotFound | Conflict | None:
    """The error for a code that names no unit, or several, at that time; None when it names one."""
    if len(found) == 1:
        return None
    if on is not None:
        where_vi, where_en = f" vào ngày {on:%d/%m/%Y}", f" on {on.isoformat()}"
    elif period is not None:
        where_vi, where_en = f" trong kỳ {period.code}", f" in period {period.code}"
    else:
        where_vi, where_en = " hiện nay", " today"
    if found:
        return Conflict(
            f'Mã đơn vị "{code}" chỉ nhiều đơn vị{where_vi}; hãy chỉ rõ ngày.',
            en=f'Org unit code "{code}" names several units{where_en}; give a date.',
            field="org_unit",
        )
    if code_exists:
        return NotFound(
            f'Đơn vị "{code}" không có hiệu lực{where_vi}.',
            en=f'Org unit "{code}" is not valid{where_en}.',
            field="org_unit",
        )
    return NotFound(f'Không tìm thấy đơn vị có mã "{code}".', en=f'No org unit with code "{code}".', field="org_unit")


def resolve(*, code: str, period: Period | None = None, on: date | None = None, among: QuerySet[OrgUnit] | None = None) -> OrgUnit:
    """The unit a code names at a period or on a day (see pick_at); NotFound or Conflict otherwise.
    `among`: the units the caller may see (a unit hidden from them answers as if it did not exist)."""
    code = (code or "").strip()
    candidates = list((OrgUnit.objects.all() if among is None else among).filter(code=code))
    found = pick_at(candidates, period=period, on=on)
    error = resolution_error(code, found, bool(candidates), period=period, on=on)
    if error:
        raise error
    return found[0]


def _check_span(valid_from: date | None, valid_to: date | None) -> None:
    if valid_from and valid_to and valid_to < valid_from:
        raise Invalid(
            "Ngày hết hiệu lực trước ngày bắt đầu hiệu lực.",
            en="valid_to is before valid_from.",
            field="valid_to",
        )


def _check_code_free(code: str, valid_from: date | None, valid_to: date | None, exclude_id: int | None) -> None:
    clash = OrgUnit.objects.filter(code=code).overlapping(valid_from, valid_to).exclude(pk=exclude_id).first()
    if clash:
        # The clash is not named: it may be a unit the writer may not see.
        raise Conflict(
            f'Mã "{code}" đã được một đơn vị khác dùng trong cùng thời gian hiệu lực; chọn mã khác hoặc thời gian khác.',
            en=f'Code "{code}" is already used by another unit over an overlapping validity; choose another code or span.',
            field="code",
        )


@transaction.atomic
def save_org_unit(
    *,
    code: str,
    name: str,
    parent: OrgUnit | None = None,
    level: str = "",
    unit_type: str = UnitType.TERRITORY,
    valid_from: date | None = None,
    valid_to: date | None = None,
    predecessors: Iterable[OrgUnit] = (),
    unit: OrgUnit | None = None,
) -> tuple[OrgUnit, bool]:
    """Create a unit, or update `unit` in place. Returns (unit, changed).

    Checks: the code is free over the validity span, the span is ordered, the parent is valid at some
    time in the span, and the tree stays a tree.
    """
    code, name, level = _checked(code=code, name=name, level=level, unit_type=unit_type, parent=parent,
                                 valid_from=valid_from, valid_to=valid_to, unit=unit)
    fields = {
        "code": code,
        "name": name,
        "parent": parent,
        "level": level,
        "unit_type": unit_type,
        "valid_from": valid_from,
        "valid_to": valid_to,
    }
    predecessor_ids = sorted({p.pk for p in predecessors})
    current_ids = sorted(unit.predecessors.values_list("pk", flat=True)) if unit is not None else []
    before = None if unit is None else snapshot(unit, fields) | {"predecessors": current_ids}
    changed = unit is None or predecessor_ids != current_ids or any(getattr(unit, key) != value for key, value in fields.items())
    if not changed:
        return unit, False
    unit = unit or OrgUnit()
    old_parent_id = unit.parent_id
    for key, value in fields.items():
        setattr(unit, key, value)
    unit.save()  # a new version, also when only the predecessors changed
    if old_parent_id != unit.parent_id or unit.path == "" or not unit.path.endswith(f"/{unit.pk}/"):
        _repath(unit)
    if predecessor_ids != current_ids:
        unit.predecessors.set(predecessor_ids)
    after = snapshot(unit, fields) | {"predecessors": predecessor_ids}
    if before is None:
        record("create", obj=unit, org_unit=unit, new=after, summary=str(unit))
    else:
        diff = [name for name in after if before.get(name) != after.get(name)]
        record("update", obj=unit, org_unit=unit, old={n: before.get(n) for n in diff}, new={n: after[n] for n in diff}, summary=str(unit))
    return unit, True


def _checked(*, code: str, name: str, level: str, unit_type: str, parent: OrgUnit | None, valid_from: date | None,
             valid_to: date | None, unit: OrgUnit | None) -> tuple[str, str, str]:
    """The unit's code, name and level as stored, after every check (see save_org_unit)."""
    code = check_code(code, "code")
    cleaned = clean_fields(OrgUnit, code=code, name=name, level=level)
    name, level = cleaned["name"], cleaned["level"]
    if not code:
        raise Invalid("Thiếu mã đơn vị.", en="The org unit code is missing.", field="code")
    if not name:
        raise Invalid("Thiếu tên đơn vị.", en="The org unit name is missing.", field="name")
    if unit_type not in UnitType.values:
        raise Invalid(
            f'Loại đơn vị "{unit_type}" không hợp lệ; dùng một trong: {", ".join(UnitType.values)}.',
            en=f'Unknown unit type "{unit_type}"; use one of: {", ".join(UnitType.values)}.',
            field="type",
        )
    _check_span(valid_from, valid_to)
    _check_code_free(code, valid_from, valid_to, unit.pk if unit else None)
    if parent is not None:
        if unit is not None and unit.pk and parent.path.startswith(unit.path):
            raise Invalid(
                f'"{parent.code}" nằm trong "{code}", không thể là đơn vị cấp trên của nó.',
                en=f'"{parent.code}" lies under "{code}" and cannot be its parent.',
                field="parent",
            )
        if not OrgUnit.objects.filter(pk=parent.pk).overlapping(valid_from, valid_to).exists():
            raise Invalid(
                f'Đơn vị cấp trên "{parent.code}" không có hiệu lực trong thời gian của "{code}".',
                en=f'Parent "{parent.code}" is not valid while "{code}" is.',
                field="parent",
            )
    if unit is not None and unit.pk and (valid_from, valid_to) != (unit.valid_from, unit.valid_to):
        _check_span_keeps(unit, valid_from, valid_to)
    return code, name, level


def _check_span_keeps(unit: OrgUnit, valid_from: date | None, valid_to: date | None) -> None:
    """A unit's new validity must still cover what hangs on it: its children (each valid some time
    inside it), its figures' periods and its resolutions' terms. Otherwise they would drop out of every
    scorecard without a trace."""
    span = f"{valid_from or '…'} – {valid_to or '…'}"
    child = unit.children.exclude(pk__in=OrgUnit.objects.filter(parent=unit).overlapping(valid_from, valid_to)).first()
    if child is not None:
        raise Invalid(
            f'Đơn vị cấp dưới "{child.code}" sẽ không còn nằm trong thời gian hiệu lực mới ({span}) của "{unit.code}".',
            en=f'Child unit "{child.code}" would fall outside the new validity ({span}) of "{unit.code}".',
            field="valid_to" if valid_to else "valid_from",
        )
    outside = Q()
    if valid_from is not None:
        outside |= Q(period_end__lt=valid_from)
    if valid_to is not None:
        outside |= Q(period_start__gt=valid_to)
    if outside:
        for related, what, what_en in ((unit.results, "kết quả", "results"), (unit.plans, "kế hoạch", "plans")):
            found = related.filter(outside).order_by("period_start").values_list("period", flat=True).first()
            if found is not None:
                raise Invalid(
                    f'"{unit.code}" có {what} kỳ {found}, ngoài thời gian hiệu lực mới ({span}).',
                    en=f'"{unit.code}" has {what_en} for period {found}, outside the new validity ({span}).',
                    field="valid_to" if valid_to else "valid_from",
                )
    terms = Q()
    if valid_from is not None:
        terms |= Q(term_end__lt=valid_from.year)
    if valid_to is not None:
        terms |= Q(term_start__gt=valid_to.year)
    resolution = unit.resolutions.filter(terms).first() if terms else None
    if resolution is not None:
        raise Invalid(
            f'Nghị quyết {resolution.key} của "{unit.code}" có nhiệm kỳ ngoài thời gian hiệu lực mới ({span}).',
            en=f'Resolution {resolution.key} of "{unit.code}" has a term outside the new validity ({span}).',
            field="valid_to" if valid_to else "valid_from",
        )


def _repath(unit: OrgUnit) -> None:
    """Recompute the materialised path of `unit` and of everything under it."""
    old_prefix = unit.path
    base = unit.parent.path if unit.parent_id else "/"
    unit.path = f"{base}{unit.pk}/"
    unit.depth = unit.path.count("/") - 2
    OrgUnit.objects.filter(pk=unit.pk).update(path=unit.path, depth=unit.depth)
    if old_prefix:
        for child in OrgUnit.objects.filter(path__startswith=old_prefix).exclude(pk=unit.pk):
            child.path = unit.path + child.path[len(old_prefix):]
            child.depth = child.path.count("/") - 2
            OrgUnit.objects.filter(pk=child.pk).update(path=child.path, depth=child.depth)
