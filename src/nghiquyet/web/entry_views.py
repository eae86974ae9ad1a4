"""The data-entry page: one org unit × resolution × period, every target that applies as a row; each value or
note is saved on its own as it is left (HTMX), through the figure-write service, read the Vietnamese way
("1.635", "0,21"), with the version the page was loaded at: someone else's save in between is never
overwritten, the row says who and when instead."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nghiquyet.accounts.permissions import Action, Forbidden, may, may_view_figures, require
from nghiquyet.figures import causes, datasets, workflow, writes
from nghiquyet.figures.batch import Entry
from nghiquyet.figures.entry import EntrySheet, entry_sheet
from nghiquyet.figures.scorecard import locate, scorecard_choices
from nghiquyet.lib.errors import DomainError, NotFound
from nghiquyet.lib.periods import Period, PeriodError, parse_period
from nghiquyet.lib.validation import check_no_nul, small_int
from nghiquyet.orgunits.models import OrgUnit
from nghiquyet.targets.models import Plan, Resolution, Result, ResultKind, Target
from nghiquyet.targets.rules import Status
from nghiquyet.web.views import _lang, _resolution, allowed


def _place(resolution: Resolution, org_code: str, period_code: str) -> tuple[OrgUnit, Period]:
    """The unit and period a page or form names; a period that cannot be read is "not found". A NUL is refused
    here: the NUL middleware leaves multipart forms to the views, and PostgreSQL cannot compare with one."""
    check_no_nul(org_code or "", "org")
    check_no_nul(period_code or "", "period")
    try:
        return locate(resolution=resolution, org_code=org_code, period=period_code)
    except PeriodError as error:
        raise NotFound(str(error), field="period") from None


def visible_place(request: HttpRequest, resolution: Resolution, org_code: str, period_code: str) -> tuple[OrgUnit, Period]:
    """The unit and period a page names, for a reader who may see the unit's figures ("not found" otherwise)."""
    unit, period = _place(resolution, org_code, period_code)
    if not may_view_figures(request.user, unit):
        raise NotFound("Không tìm thấy đơn vị này.", en="No such org unit.", field="org")
    return unit, period


def _sheet(request: HttpRequest, resolution: Resolution, org_code: str, period_code: str) -> EntrySheet:
    """The sheet of a unit the user may enter figures at: "not found" for a unit they may not see,
    "forbidden" for one they see but do not report for."""
    unit, period = _place(resolution, org_code, period_code)
    require(request.user, Action.ENTER_RESULT, unit)
    return entry_sheet(resolution=resolution, org_unit=unit, period=period, user=request.user, lang=_lang(request))


def chosen_place(request: HttpRequest, resolution: Resolution) -> tuple[list[OrgUnit], list[Period], str, str]:
    """The units and periods a page offers, and the unit and period asked for (by default the first offered)."""
    units, periods = scorecard_choices(resolution=resolution, user=request.user)
    org_code = request.GET.get("org") or (units[0].code if units else resolution.org_unit.code)
    period_code = request.GET.get("period") or (periods[0].code if periods else str(resolution.term_start or ""))
    return units, periods, org_code, period_code


@allowed()
def entry_page(request: HttpRequest, key: str) -> HttpResponse:
    resolution = _resolution(request, key)
    units, periods, org_code, period_code = chosen_place(request, resolution)
    sheet = _sheet(request, resolution, org_code, period_code)
    [data] = datasets.sets_of(resolution=resolution, units=[sheet.org_unit], period=sheet.period)
    closed = workflow.entry_closed(period_end=sheet.period.end, closes_after_days=resolution.entry_closes_after_days,
                                   today=timezone.localdate(), reopened=data.reopened)
    locked = data.state in workflow.LOCKED_SET_STATES or closed
    steps = [step for step in workflow.SET_STEPS
             if workflow.set_step(step, data.state) and may(request.user, datasets.STEP_ACTIONS[step], sheet.org_unit)
             and (step != "reopen" or locked)  # reopening is for what is locked
             and (step != "approve" or data.submitted_by_id != request.user.pk)]  # four eyes: not one's own
    missing_causes = sum(1 for row in sheet.scorecard.rows if row.status == Status.NOT_MET and row.cause is None)
    context = {"resolution": resolution, "sheet": sheet, "periods": offered_periods(resolution, periods, sheet.period), "data": data,
               "steps": steps, "locked": locked, "closed": closed, "needs_reason": datasets.NEEDS_REASON,
               "missing_causes": missing_causes}
    return render(request, "web/entry.html", context)


@require_POST
@allowed()
def entry_step(request: HttpRequest, key: str) -> HttpResponse:
    """Submit, approve, return, reopen or waive the page's data set; back to the page with the outcome."""
    resolution = _resolution(request, key)
    unit, period = _place(resolution, request.POST.get("org", ""), request.POST.get("period", ""))
    version = request.POST.get("version", "")
    step = request.POST.get("step", "")
    try:
        moved = datasets.move(step=step, user=request.user, resolution=resolution, org_unit=unit, period=period,
                              reason=request.POST.get("reason", ""), version=small_int(version))
        messages.success(request, _("Bộ số liệu: %(state)s.") % {"state": moved.get_state_display()})
    except (Forbidden, NotFound):
        raise
    except DomainError as error:
        messages.error(request, error.text(_lang(request)))
    return redirect(f"{reverse('web:entry', args=[resolution.key])}?{urlencode({'org': unit.code, 'period': period.code})}")


def offered_periods(resolution: Resolution, periods: list[Period], shown: Period) -> list[Period]:
    """The periods to enter figures for: those with figures, every year of the term, and the one shown."""
    years = range(resolution.term_start, resolution.term_end + 1) if resolution.term_start and resolution.term_end else ()
    found = {period.code: period for period in periods} | {str(year): parse_period(str(year)) for year in years}
    found[shown.code] = shown
    return sorted(found.values(), key=lambda p: (p.end, p.start), reverse=True)


@require_POST
@allowed()
def entry_save(request: HttpRequest, key: str) -> HttpResponse:
    """Save one row's value and note; answers with the row's status, version and message (swapped in by
    HTMX out of band, so the inputs keep the focus and what was typed)."""
    resolution = _resolution(request, key)
    unit, period, target = _cell(request, resolution)
    kind = request.POST.get("kind") or ResultKind.OFFICIAL
    version = request.POST.get("version", "")
    stored = set(Result.objects.filter(target=target, org_unit=unit, period=period.code).values_list("kind", flat=True))
    edited = ResultKind.ESTIMATE if stored == {ResultKind.ESTIMATE} else ResultKind.OFFICIAL  # what the row showed
    entry = Entry(target, unit, period, request.POST.get("value", ""), kind=kind, note=request.POST.get("note", ""),
                  version=small_int(version) if kind == edited else None)
    message, failed = "", False
    try:
        writes.write_one(model=Result, entry=entry, writer=writes.Writer.person(request.user), locale="vi")
        message = _("Đã lưu lúc %(time)s.") % {"time": timezone.localtime().strftime("%H:%M")}
    except DomainError as error:  # a stale version too: the message says who changed it and when
        failed = True
        message = error.text(_lang(request))
    fresh = entry_sheet(resolution=resolution, org_unit=unit, period=period, user=request.user, lang=_lang(request))
    return render(request, "web/_entry_saved.html", {"sheet": fresh, "row": fresh.row(target.pk), "message": message, "failed": failed})


def _cell(request: HttpRequest, resolution: Resolution) -> tuple[OrgUnit, Period, Target]:
    """The unit, period and target a save names, for a user who may enter figures at the unit (one save reads
    the sheet once, after writing)."""
    unit, period = _place(resolution, request.POST.get("org", ""), request.POST.get("period", ""))
    require(request.user, Action.ENTER_RESULT, unit)
    target_id = small_int(request.POST.get("target"), digits=18)
    target = resolution.targets.filter(pk=target_id).first() if target_id is not None else None
    if target is None or not _on_sheet(resolution, unit, period, target):
        raise NotFound("Không tìm thấy chỉ tiêu này.", en="No such target.", field="target")
    target.resolution = resolution
    return unit, period, target


def _on_sheet(resolution: Resolution, unit: OrgUnit, period: Period, target: Target) -> bool:
    """Whether the target is a row of the unit's entry sheet (figures.entry): planned for the unit in the period,
    or reported there, or the unit was given no plan at all (then every target is)."""
    planned = Plan.objects.filter(target__resolution=resolution, org_unit=unit, period=period.code)
    return (not planned.exists() or planned.filter(target=target).exists()
            or Result.objects.filter(target=target, org_unit=unit, period=period.code).exists())


@require_POST
@allowed()
def entry_cause(request: HttpRequest, key: str) -> HttpResponse:
    """Save why a row's target was not met (kind and words); answers with the cause cell."""
    resolution = _resolution(request, key)
    unit, period, target = _cell(request, resolution)
    version = request.POST.get("cause_version", "")
    message, failed = "", False
    try:
        causes.set_cause(user=request.user, target=target, org_unit=unit, period=period,
                         kind=request.POST.get("cause_kind", ""), text=request.POST.get("cause", ""),
                         version=small_int(version))
        message = _("Đã lưu lúc %(time)s.") % {"time": timezone.localtime().strftime("%H:%M")}
    except (Forbidden, NotFound):
        raise
    except DomainError as error:
        failed, message = True, error.text(_lang(request))
    fresh = entry_sheet(resolution=resolution, org_unit=unit, period=period, user=request.user, lang=_lang(request))
    return render(request, "web/_entry_cause.html", {"sheet": fresh, "row": fresh.row(target.pk), "cause_message": message,
                                                      "cause_failed": failed})
