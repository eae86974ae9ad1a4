"""The web UI: HTMX-enhanced pages over the same services as the API and the CLI."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import login as otp_login

from nghiquyet.accounts.permissions import (
    APPROVER,
    Access,
    Action,
    Forbidden,
    may,
    may_hand_down,
    require,
    resolutions_q,
)
from nghiquyet.audit.services import record
from nghiquyet.figures.history import value_history
from nghiquyet.figures.policies import audience
from nghiquyet.figures.reads import latest_period_with_results
from nghiquyet.figures.scorecard import (
    csv_table,
    scorecard_choices,
    scorecard_seen_by,
    target_history,
)
from nghiquyet.figures.workbook import scorecard_workbook
from nghiquyet.followup.reads import lagging_tasks
from nghiquyet.lib.errors import DomainError, Invalid, NotFound
from nghiquyet.lib.export import csv_text
from nghiquyet.lib.periods import PeriodError
from nghiquyet.lib.validation import check_no_nul
from nghiquyet.orgunits.models import OrgUnit
from nghiquyet.reports.content import report_content, report_parts
from nghiquyet.reports.documents import DOCUMENT_FORMATS
from nghiquyet.targets.models import Resolution
from nghiquyet.targets.rules import Direction, direction_label
from nghiquyet.web.forms import LoginForm


class LoginView(auth_views.LoginView):
    """Django's login, with the second factor checked for users who have one (forms.LoginForm)."""

    template_name = "registration/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: LoginForm) -> HttpResponse:
        response = super().form_valid(form)
        if form.otp_device is not None:
            otp_login(self.request, form.otp_device)
        return response


def _lang(request: HttpRequest) -> str:
    return "en" if getattr(request, "LANGUAGE_CODE", "vi").startswith("en") else "vi"


def _refuse_nul_fields(request: HttpRequest) -> None:
    """A form field (not a file) holding a NUL or another control character is refused, naming the field."""
    for name, values in request.POST.lists():
        for value in values:
            try:
                check_no_nul(value, name)
            except Invalid as error:
                raise Invalid(f'Trường "{name[:40]}": {error.text("vi")}', en=f'Field "{name[:40]}": {error.text("en")}', field=name) from None


def allowed(action: Action | None = None) -> Callable:
    """Log-in required; then, if `action` is given, the access rule for it anywhere (else 403). Pages
    check the object itself with `require`; NotFound and Forbidden become 404 and 403 pages."""

    def decorate(view: Callable) -> Callable:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                if request.method == "POST" and request.META.get("CONTENT_TYPE", "").startswith("multipart/"):
                    _refuse_nul_fields(request)  # the middleware leaves multipart bodies to the views
                if action is not None:
                    require(request.user, action)
                return view(request, *args, **kwargs)
            except NotFound:
                return render(request, "web/error.html", {"message": _("Không tìm thấy trang này.")}, status=404)
            except Forbidden:
                return render(request, "web/error.html", {"message": _("Bạn không có quyền làm việc này.")}, status=403)
            except (DomainError, PeriodError) as error:
                return render(request, "web/error.html", {"message": str(error)}, status=400)

        return wrapper

    return decorate


@allowed()
def home(request: HttpRequest) -> HttpResponse:
    """Resolutions the user may see, grouped by owner unit, newest term first."""
    groups: dict[tuple[str, str], list[Resolution]] = defaultdict(list)
    resolutions = Resolution.objects.filter(resolutions_q(request.user)).select_related("org_unit", "parent")
    for resolution in resolutions.order_by("org_unit__path", "-term_start", "issued_on", "key"):
        groups[(resolution.org_unit.name, resolution.term)].append(resolution)
    return render(
        request,
        "web/home.html",
        {"groups": [(unit, term, items) for (unit, term), items in groups.items()], "has_role": may(request.user, Action.VIEW)},
    )


def _resolution(request: HttpRequest, key: str) -> Resolution:
    resolution = get_object_or_404(Resolution.objects.select_related("org_unit", "parent"), key=key)
    require(request.user, Action.VIEW, resolution)
    return resolution


@allowed()
def resolution_page(request: HttpRequest, key: str) -> HttpResponse:
    resolution = _resolution(request, key)
    units, periods = scorecard_choices(resolution=resolution, user=request.user)
    targets = list(resolution.targets.order_by("position", "code"))
    return render(
        request,
        "web/resolution.html",
        {
            "resolution": resolution,
            "targets": [(t, direction_label(Direction(t.direction), _lang(request))) for t in targets],
            "periods": periods,
            "default_unit": units[0] if units else None,
            "children": resolution.children.filter(resolutions_q(request.user)).order_by("key"),
        },
    )


def _default_period(request: HttpRequest, resolution: Resolution, periods: list) -> str:
    """The newest period with results at the owner unit; else the newest with figures; else the term's start."""
    latest = latest_period_with_results(resolution_id=resolution.pk, org_unit_id=resolution.org_unit_id, audience=audience(request.user))
    if latest is not None:
        return latest.code
    return periods[0].code if periods else str(resolution.term_start or "")


def _with_drafts(request: HttpRequest) -> bool:
    """Scorecards show approved figures; figures not yet approved only when asked for ("drafts=1"), and
    then marked in every row (and only for those who may see them)."""
    return request.GET.get("drafts") == "1"


@allowed()
def scorecard_page(request: HttpRequest, key: str) -> HttpResponse:
    """The scorecard; an HTMX request (switching unit or period) gets the table alone."""
    resolution = _resolution(request, key)
    units, periods = scorecard_choices(resolution=resolution, user=request.user)
    org_code = request.GET.get("org") or (units[0].code if units else resolution.org_unit.code)
    period_code = request.GET.get("period") or _default_period(request, resolution, periods)
    context: dict[str, Any] = {"resolution": resolution, "org_code": org_code, "period_code": period_code,
                               "drafts": _with_drafts(request)}
    status = 200
    try:
        scorecard = scorecard_seen_by(
            user=request.user, resolution=resolution, org_code=org_code, period=period_code, lang=_lang(request),
            drafts=_with_drafts(request),
        )
        context |= {"scorecard": scorecard, "period_code": scorecard.period.code,
                    "open_tasks": lagging_tasks(scorecard, today=timezone.localdate(), user=request.user),
                    "can_enter": may(request.user, Action.ENTER_RESULT, scorecard.org_unit),
                    "can_hand_down": may_hand_down(request.user, scorecard.org_unit)
                    and OrgUnit.objects.filter(parent=scorecard.org_unit).overlapping(scorecard.period.start, scorecard.period.end).exists()}
        units, periods = scorecard_choices(resolution=resolution, user=request.user, chosen=scorecard.org_unit)
    except (DomainError, PeriodError) as error:
        context["error"] = error.text(_lang(request)) if isinstance(error, DomainError) else str(error)
        status = 400
    context |= {"units": units, "periods": periods}
    context["swapped"] = bool(request.headers.get("HX-Request"))
    template = "web/_scorecard.html" if context["swapped"] else "web/scorecard.html"
    return render(request, template, context, status=status)


@allowed()
def target_page(request: HttpRequest, key: str, code: str) -> HttpResponse:
    from nghiquyet.web.followup_views import target_tasks

    resolution = _resolution(request, key)
    target = get_object_or_404(resolution.targets, code=code)
    target.resolution = resolution
    history = target_history(target=target, seen_by=audience(request.user), drafts=True, lang=_lang(request))
    by_period: dict[str, list] = defaultdict(list)
    for item in history:
        by_period[item.period.code].append(item)
    return render(
        request,
        "web/target.html",
        {
            "resolution": resolution,
            "target": target,
            "direction_label": direction_label(Direction(target.direction), _lang(request)),
            "history": [(items[0].period, items) for items in by_period.values()],
            "changes": value_history(target=target, user=request.user, lang=_lang(request)),
            "tasks": target_tasks(request.user, target),
            "may_task": {item.org_unit.pk for _period, items in by_period.items() for item in items
                         if Access(request.user).rank_at(item.org_unit) >= APPROVER or request.user.is_superuser},
        },
    )


@allowed()
def scorecard_csv(request: HttpRequest, key: str) -> HttpResponse:
    """The scorecard as CSV (the JSON's columns), cells neutralised against formulas; audited."""
    resolution = _resolution(request, key)
    scorecard = scorecard_seen_by(
        user=request.user, resolution=resolution, org_code=request.GET.get("org", ""), period=request.GET.get("period", ""),
        drafts=_with_drafts(request),
    )
    unit, period = scorecard.org_unit, scorecard.period
    columns, rows = csv_table(scorecard)
    record("export", obj=resolution, org_unit=unit, summary=f"bảng đánh giá {resolution.key} {unit.code} {period.code}")
    response = HttpResponse(csv_text(columns, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="danh-gia-{resolution.key}-{unit.code}-{period.code}.csv"'
    return response


@allowed()
def scorecard_xlsx(request: HttpRequest, key: str) -> HttpResponse:
    """The scorecard as an Excel workbook for people: Vietnamese headers, numbers as number cells shown as on
    screen, statuses in words (figures.workbook); audited like the CSV."""
    resolution = _resolution(request, key)
    scorecard = scorecard_seen_by(
        user=request.user, resolution=resolution, org_code=request.GET.get("org", ""), period=request.GET.get("period", ""),
        lang=_lang(request), drafts=_with_drafts(request),
    )
    unit, period = scorecard.org_unit, scorecard.period
    record("export", obj=resolution, org_unit=unit, summary=f"bảng đánh giá (Excel) {resolution.key} {unit.code} {period.code}")
    response = HttpResponse(scorecard_workbook(scorecard), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="danh-gia-{resolution.key}-{unit.code}-{period.code}.xlsx"'
    return response


@allowed()
def report_document(request: HttpRequest, key: str, fmt: str) -> HttpResponse:
    """The review report of the scorecard shown, as a Party document (reports: DOCX or PDF); dated today,
    unnumbered (the register numbers issued documents); audited like the other downloads."""
    resolution = _resolution(request, key)
    scorecard = scorecard_seen_by(
        user=request.user, resolution=resolution, org_code=request.GET.get("org", ""), period=request.GET.get("period", ""),
        drafts=_with_drafts(request),
    )
    unit, period = scorecard.org_unit, scorecard.period
    document_format = DOCUMENT_FORMATS[fmt]
    record("export", obj=resolution, org_unit=unit, summary=f"báo cáo ({fmt.upper()}) {resolution.key} {unit.code} {period.code}")
    parts = report_parts(scorecard, today=timezone.localdate(), user=request.user)  # the units below the one the reader may see: theirs too
    response = HttpResponse(document_format.render(report_content(scorecard, day=timezone.localdate(), **parts)),
                            content_type=document_format.mime)
    response["Content-Disposition"] = f'attachment; filename="bao-cao-{resolution.key}-{unit.code}-{period.code}.{fmt}"'
    return response


def _error_page(request: HttpRequest, status: int, message: str) -> HttpResponse:
    """Django's 400, 403 and 404 in the site's layout and the user's language; JSON under /api/."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message, "field": None}, status=status)
    return render(request, "web/error.html", {"message": message}, status=status)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(request, 404, _("Không tìm thấy trang này."))


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(request, 403, _("Bạn không có quyền làm việc này."))


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if isinstance(exception, (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent)):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return _error_page(request, 413, _("Nội dung gửi lên quá lớn (tối đa %(size)s byte); tệp lớn hãy tải lên ở trang nhập số liệu.")
                           % {"size": f"{limit:,}".replace(",", ".")})
    return _error_page(request, 400, _("Yêu cầu không hợp lệ."))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _error_page(request, 403, _("Biểu mẫu đã cũ hoặc phiên làm việc đã hết hạn; hãy tải lại trang rồi thử lại."))
