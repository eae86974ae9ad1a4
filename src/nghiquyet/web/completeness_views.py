"""Who has reported: the completeness page of a resolution × unit × period (the unit and the units directly
below it), reminders to the late ones, and each person's notifications."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from nghiquyet.accounts.permissions import Action, may, require, visible_units_q
from nghiquyet.figures.completeness import Completeness, completeness, remind_late, units_for
from nghiquyet.notifications import services as notifications
from nghiquyet.targets.models import Resolution
from nghiquyet.web.entry_views import chosen_place, offered_periods, visible_place
from nghiquyet.web.views import _resolution, allowed


def _progress(request: HttpRequest, resolution: Resolution, org_code: str, period_code: str) -> Completeness:
    unit, period = visible_place(request, resolution, org_code, period_code)
    units = units_for(under=unit, period=period, visible=visible_units_q(request.user))
    return completeness(resolution=resolution, period=period, units=units, today=timezone.localdate())


@allowed()
def completeness_page(request: HttpRequest, key: str) -> HttpResponse:
    resolution = _resolution(request, key)
    units, periods, org_code, period_code = chosen_place(request, resolution)
    progress = _progress(request, resolution, org_code, period_code)
    under = progress.rows[0].org_unit
    rows = [{"row": row, "state": _("Chưa nhập") if row.state_key == "not_started" else row.data.get_state_display(), "can_open": may(request.user, Action.ENTER_RESULT, row.org_unit)}
            for row in progress.rows]
    context = {"resolution": resolution, "progress": progress, "rows": rows, "under": under, "units": units,
               "periods": offered_periods(resolution, periods, progress.period), "today": timezone.localdate(),
               "can_remind": bool(progress.late) and may(request.user, Action.APPROVE, under)}
    return render(request, "web/completeness.html", context)


@require_POST
@allowed()
def completeness_remind(request: HttpRequest, key: str) -> HttpResponse:
    """Remind the late units of the page (approvers and admins of the unit above)."""
    resolution = _resolution(request, key)
    progress = _progress(request, resolution, request.POST.get("org", ""), request.POST.get("period", ""))
    under = progress.rows[0].org_unit
    require(request.user, Action.APPROVE, under)
    reminded = remind_late(progress=progress)
    people = sum(item.told for item in reminded.values())
    if people:
        units = sum(1 for item in reminded.values() if item.told)
        messages.success(request, ngettext("Đã nhắc %(people)d người ở %(units)d đơn vị chậm.", "Đã nhắc %(people)d người ở %(units)d đơn vị chậm.", people)
                         % {"people": people, "units": units})
    before = [code for code, item in reminded.items() if item.people and not item.told]
    if before:
        messages.info(request, _("Đã nhắc trước đây cho hạn này, không nhắc lại: %(units)s.") % {"units": ", ".join(before)})
    nobody = [code for code, item in reminded.items() if not item.people]
    if nobody:
        messages.warning(request, _("Chưa có ai được giao nhập số liệu ở các đơn vị này, nên không nhắc được: %(units)s. "
                                    "Quản trị đơn vị giao vai trò ở trang Quản trị đơn vị.") % {"units": ", ".join(nobody)})
    query = urlencode({"org": under.code, "period": progress.period.code})
    return redirect(f"{reverse('web:completeness', args=[resolution.key])}?{query}")


@allowed()
def inbox(request: HttpRequest) -> HttpResponse:
    return render(request, "web/notifications.html", {"notifications": notifications.inbox(user=request.user)})


@require_POST
@allowed()
def inbox_read(request: HttpRequest) -> HttpResponse:
    notifications.mark_read(user=request.user)
    return redirect("web:notifications")
