"""Handing plans down (giao kế hoạch): one target at a time, the parent unit's plan and a row per child unit
with its plan to set, saved cell by cell (HTMX) through the figure-write service; for targets that add up,
the children's total against the parent's plan, with the difference as a warning (figures.handdown)."""

from __future__ import annotations

from decimal import Decimal

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nghiquyet.accounts.permissions import (
    Action,
    Forbidden,
    may,
    may_hand_down,
    visible_units_q,
)
from nghiquyet.figures import writes
from nghiquyet.figures.batch import KEEP, Entry
from nghiquyet.figures.handdown import HandDown, HandDownRow, hand_down
from nghiquyet.figures.policies import audience
from nghiquyet.lib.errors import DomainError, NotFound
from nghiquyet.lib.validation import check_no_nul, small_int
from nghiquyet.lib.vnformat import LOCALES, format_number
from nghiquyet.orgunits.models import OrgUnit
from nghiquyet.targets.models import Plan, Resolution
from nghiquyet.targets.rules import Direction
from nghiquyet.web.entry_views import chosen_place, offered_periods, visible_place
from nghiquyet.web.views import _lang, _resolution, allowed

RANGES = {Direction.RANGE, Direction.BAND}


def _down(request: HttpRequest, resolution: Resolution, org_code: str, period_code: str, target_code: str) -> tuple[HandDown, set[int]]:
    """The hand-down of a parent the user may set plans under; the ids of the children they may set."""
    check_no_nul(target_code or "", "target")
    parent, period = visible_place(request, resolution, org_code, period_code)
    if not may_hand_down(request.user, parent):
        raise Forbidden("Chỉ cấp trên (người duyệt, quản trị) giao kế hoạch cho các đơn vị trực thuộc.",
                        en="Only the level above (approvers, admins) hands plans down to the units below.")
    children = list(OrgUnit.objects.filter(visible_units_q(request.user), parent=parent).overlapping(period.start, period.end).order_by("code"))
    settable = {child.pk for child in children if may(request.user, Action.SET_PLAN, child)}
    targets = resolution.targets.order_by("position", "code")
    target = targets.filter(code=target_code).first() if target_code else targets.first()
    if target is None:
        raise NotFound("Không tìm thấy chỉ tiêu này.", en="No such target.", field="target")
    target.resolution = resolution
    return hand_down(target=target, parent=parent, children=children, period=period, audience=audience(request.user)), settable


@allowed()
def plans_page(request: HttpRequest, key: str) -> HttpResponse:
    resolution = _resolution(request, key)
    units, periods, org_code, period_code = chosen_place(request, resolution)
    down, settable = _down(request, resolution, org_code, period_code, request.GET.get("target", ""))
    targets = list(resolution.targets.order_by("position", "code"))
    at = next(i for i, t in enumerate(targets) if t.pk == down.target.pk)
    context = {"resolution": resolution, "down": down, "rows": [_row(row, settable) for row in down.rows], "units": units, "targets": targets,
               "periods": offered_periods(resolution, periods, down.period), "ranges": down.target.direction in RANGES,
               "previous_target": targets[at - 1] if at > 0 else None, "next_target": targets[at + 1] if at + 1 < len(targets) else None,
               **_totals(down, _lang(request))}
    return render(request, "web/plans.html", context)


@require_POST
@allowed()
def plans_save(request: HttpRequest, key: str) -> HttpResponse:
    """Save one child's plan; answers with its version and message and the total line (out of band)."""
    resolution = _resolution(request, key)
    down, settable = _down(request, resolution, request.POST.get("org", ""), request.POST.get("period", ""), request.POST.get("target", ""))
    child = next((row.org_unit for row in down.rows if row.org_unit.code == request.POST.get("child", "")), None)  # compared in Python
    if child is None:
        raise NotFound("Không tìm thấy đơn vị trực thuộc này.", en="No such unit below.", field="child")
    version = request.POST.get("version", "")
    value_max = (request.POST.get("value_max") or None) if down.target.direction in RANGES else KEEP
    entry = Entry(down.target, child, down.period, request.POST.get("value", ""), value_max=value_max,
                  version=small_int(version))
    message, failed = "", False
    try:
        writes.write_one(model=Plan, entry=entry, writer=writes.Writer.person(request.user), locale="vi")
        message = _("Đã lưu lúc %(time)s.") % {"time": timezone.localtime().strftime("%H:%M")}
    except (Forbidden, NotFound):
        raise
    except DomainError as error:
        failed, message = True, error.text(_lang(request))
    fresh, _settable = _down(request, resolution, down.parent.code, down.period.code, down.target.code)
    row = next(row for row in fresh.rows if row.org_unit.pk == child.pk)
    return render(request, "web/_plan_saved.html", {"down": fresh, "item": _row(row, settable), "message": message, "failed": failed,
                                                    **_totals(fresh, _lang(request))})


def _totals(down: HandDown, lang: str) -> dict:
    """The parent's plan, the children's total and the difference, as the page writes them."""
    def text(value: Decimal | None) -> str:
        return format_number(value, down.target.decimals, locale=LOCALES.get(lang, LOCALES["vi"])) if value is not None else ""

    return {"parent_plan_text": text(down.parent_plan.value if down.parent_plan else None), "total_text": text(down.total),
            "difference_text": text(abs(down.difference)) if down.difference is not None else ""}


def input_text(value: Decimal | None) -> str:
    """A figure as an input shows it: Vietnamese digits, no thousands separator to retype ("1635", "0,21")."""
    return format(value.normalize(), "f").replace(".", ",") if value is not None else ""


def _row(row: HandDownRow, settable: set[int]) -> dict:
    plan = row.plan
    return {"unit": row.org_unit, "counted": row.counted, "may_set": row.org_unit.pk in settable,
            "value": input_text(plan.value if plan else None), "value_max": input_text(plan.value_max if plan else None),
            "version": plan.version if plan else ""}
