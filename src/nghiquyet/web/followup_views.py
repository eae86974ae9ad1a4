"""Follow-up on the web: the tasks a person may see (theirs, a unit's, the overdue, due this month, by
conclusion or status), a task's page with its progress reports and the forms that move it (report, close,
cancel), and a task made from a target that is not met, in one click from the target's page. The forms post
to followup.services; a user's mistake comes back as a message, never a 500."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nghiquyet.accounts.permissions import Action, Forbidden, may, may_view_figures, require
from nghiquyet.followup import services
from nghiquyet.followup.models import Conclusion, Task, TaskKind
from nghiquyet.followup.policies import TaskAction, tasks_q
from nghiquyet.followup.reads import by_month, tasks
from nghiquyet.followup.reminders import dates_of
from nghiquyet.followup.rules import CADENCE_WORDS, Status, status, status_label
from nghiquyet.lib.errors import DomainError, NotFound
from nghiquyet.lib.validation import form_date, small_int
from nghiquyet.orgunits.models import OrgUnit
from nghiquyet.targets.models import Target
from nghiquyet.web.entry_views import _place
from nghiquyet.web.views import _lang, _resolution, allowed

MAX_UPLOAD = services.MAX_FILE_BYTES


@allowed()
def tasks_page(request: HttpRequest) -> HttpResponse:
    """The list, or with ?view=calendar the same tasks by the month they fall due."""
    today = timezone.localdate()
    wanted = _filters(request, report=True)
    rows = _rows(request, wanted)
    vacancies = [row for row in rows if row.task.kind == TaskKind.VACANCY and row.status != Status.CANCELLED and not row.task.filled_on]
    visible = Task.objects.filter(tasks_q(request.user))
    conclusions = [c for c in Conclusion.objects.filter(pk__in=visible.values("conclusion")).select_related("org_unit").order_by("-issued_on", "pk")]
    targets = list(Target.objects.filter(pk__in=visible.values("targets")).select_related("resolution").order_by("resolution__key", "position", "code"))
    calendar = request.GET.get("view") == "calendar"
    return render(request, "web/tasks.html", {
        "rows": rows, "today": today, "filters": request.GET, "vacancies_open": len(vacancies),
        "overdue": sum(1 for row in rows if row.status == Status.OVERDUE),
        "statuses": [(s.value, status_label(s, _lang(request))) for s in Status],
        "query": request.GET.urlencode(), "calendar": calendar, "months": by_month(rows) if calendar else [],
        "conclusion_choices": conclusions, "target_choices": targets,
        "conclusions": [c for c in conclusions if may_view_figures(request.user, c.org_unit)
                        and (wanted["conclusion"] is None or c == wanted["conclusion"])],
        "list_query": _query_without(request, "view"), "calendar_query": _query_without(request, "view", view="calendar"),
    })


def _query_without(request: HttpRequest, name: str, **extra: str) -> str:
    kept = {key: value for key, value in request.GET.items() if key != name}
    return urlencode(kept | extra)


def _filters(request: HttpRequest, *, report: bool = False) -> dict[str, Any]:
    """The page's filters read from the query; a unit, conclusion or target that is not found (or not seen)
    is said once (with `report`) and filters nothing."""
    org = (request.GET.get("org") or "").strip()
    units = list(OrgUnit.objects.filter(code=org)) if org and "\x00" not in org else []
    conclusion = target = None
    problems = []
    if org and not units:
        problems.append(_("Không tìm thấy đơn vị có mã này."))
    if request.GET.get("conclusion"):
        number = small_int(request.GET.get("conclusion"))
        conclusion = Conclusion.objects.filter(pk=number, tasks__in=Task.objects.filter(tasks_q(request.user))).first() if number else None
        if conclusion is None:
            problems.append(_("Không tìm thấy kết luận này."))
    if request.GET.get("target"):
        key, _slash, code = request.GET["target"].partition("/")
        target = Target.objects.filter(resolution__key=key, code=code).select_related("resolution").first() if "\x00" not in key + code else None
        if target is None or not may(request.user, Action.VIEW, target.resolution):
            target = None
            problems.append(_("Không tìm thấy chỉ tiêu này."))
    if report:
        for problem in problems:
            messages.error(request, problem)
    return {"units": units, "conclusion": conclusion, "target": target}


def _rows(request: HttpRequest, wanted: dict[str, Any] | None = None) -> list:
    """The tasks the page's filters ask for, among those the user may see."""
    wanted = wanted if wanted is not None else _filters(request)
    state = request.GET.get("status", "")
    return tasks(today=timezone.localdate(), user=request.user, org_unit=wanted["units"] or None,
                 owner=request.user if request.GET.get("mine") else None, overdue=request.GET.get("overdue") == "1",
                 due_in_month=request.GET.get("month") == "1", state=state if state in {s.value for s in Status} else "",
                 conclusion=wanted["conclusion"], target=wanted["target"])


def _task(request: HttpRequest, task_id: int) -> Task:
    task = (Task.objects.select_related("lead_unit", "owner", "conclusion__org_unit").prefetch_related("supporting_units", "targets__resolution")
            .filter(pk=task_id).first())
    if task is None:
        raise NotFound("Không tìm thấy nhiệm vụ.", en="No such task.")
    require(request.user, Action.VIEW, task)
    return task


@allowed()
def task_page(request: HttpRequest, task_id: int) -> HttpResponse:
    task = _task(request, task_id)
    today = timezone.localdate()
    from django.db.models import Prefetch

    from nghiquyet.followup.models import Attachment

    files = Prefetch("files", queryset=Attachment.objects.defer("content"))  # names and sizes, not the files themselves
    reports = list(task.reports.select_related("author").prefetch_related(files))
    current = status(dates_of(task, reports[0].at if reports else None), today)
    return render(request, "web/task.html", {
        "task": task, "status": current, "status_label": status_label(current, _lang(request)), "reports": reports,
        "open": current in (Status.NOT_STARTED, Status.IN_PROGRESS, Status.OVERDUE),
        "may_report": may(request.user, TaskAction.REPORT, task), "may_close": may(request.user, TaskAction.CLOSE, task),
        "may_cancel": may(request.user, Action.MANAGE, task), "cadences": cadence_choices(_lang(request)),
    })


def cadence_choices(lang: str) -> list[tuple[str, str]]:
    """The reporting cadences of a recurring task, in the reader's language (followup.rules.CADENCE_WORDS)."""
    return list(CADENCE_WORDS.get(lang, CADENCE_WORDS["vi"]).items())


def _act(request: HttpRequest, task_id: int, do: Callable[[Task], str]) -> HttpResponse:
    task = _task(request, task_id)
    try:
        messages.success(request, do(task))
    except (NotFound, Forbidden):
        raise
    except DomainError as error:
        messages.error(request, error.text(_lang(request)))
    return redirect(reverse("web:task", args=[task.pk]))


@require_POST
@allowed()
def task_progress(request: HttpRequest, task_id: int) -> HttpResponse:
    def do(task: Task) -> str:
        percent = small_int(request.POST.get("percent"), digits=3)
        if percent is None:
            raise DomainError("Tiến độ là một số từ 0 đến 100.", en="Progress is a number from 0 to 100.", field="percent")
        files = []
        for upload in request.FILES.getlist("files"):
            if upload.size > MAX_UPLOAD:
                raise DomainError(f'Tệp "{upload.name[:80]}" quá lớn (tối đa 10 MB).', en="A file is too large (10 MB at most).", field="files")
            files.append((upload.name, upload.read()))
        services.report_progress(user=request.user, task=task, text=request.POST.get("text", ""), percent=percent, files=files,
                                 version=small_int(request.POST.get("version")))
        return _("Đã báo cáo tiến độ.")
    return _act(request, task_id, do)


@require_POST
@allowed()
def task_close(request: HttpRequest, task_id: int) -> HttpResponse:
    def do(task: Task) -> str:
        services.close_task(user=request.user, task=task, evidence=request.POST.get("evidence", ""),
                            done_on=form_date(request.POST.get("done_on"), "done_on"), version=small_int(request.POST.get("version")))
        return _("Đã ghi hoàn thành nhiệm vụ.")
    return _act(request, task_id, do)


@require_POST
@allowed()
def task_cancel(request: HttpRequest, task_id: int) -> HttpResponse:
    def do(task: Task) -> str:
        services.cancel_task(user=request.user, task=task, reason=request.POST.get("reason", ""), version=small_int(request.POST.get("version")))
        return _("Đã hủy nhiệm vụ.")
    return _act(request, task_id, do)


@require_POST
@allowed()
def task_from_target(request: HttpRequest, key: str, code: str) -> HttpResponse:
    """A task to mend a target not met at a unit in a period: the target, unit and period carried over."""
    resolution = _resolution(request, key)
    target = resolution.targets.filter(code=code).first()
    if target is None:
        raise NotFound("Không tìm thấy chỉ tiêu.", en="No such target.")
    back = reverse("web:target", args=[resolution.key, target.code])
    try:
        unit, period = _place(resolution, request.POST.get("org", ""), request.POST.get("period", ""))
        if not may_view_figures(request.user, unit):  # a unit the reader may not see answers as if it did not exist
            raise NotFound(f'Không tìm thấy đơn vị có mã "{unit.code}".', en=f'No org unit with code "{unit.code}".', field="org")
        task = services.task_from_target(user=request.user, target=target, org_unit=unit, period=period.code, owner=request.user,
                                         deadline=form_date(request.POST.get("deadline"), "deadline"), title=request.POST.get("title", ""))
    except (NotFound, Forbidden):
        raise
    except DomainError as error:
        messages.error(request, error.text(_lang(request)))
        return redirect(back)
    messages.success(request, _("Đã tạo nhiệm vụ khắc phục chỉ tiêu."))
    return redirect(reverse("web:task", args=[task.pk]))


@allowed()
def task_file(request: HttpRequest, task_id: int, file_id: int) -> HttpResponse:
    """A file attached to a progress report, for those who may see the task; always downloaded, never shown
    inline (a crafted HTML or SVG file cannot run in the site's origin)."""
    from django.utils.http import content_disposition_header

    from nghiquyet.followup.models import Attachment

    task = _task(request, task_id)
    attached = Attachment.objects.filter(pk=file_id, progress__task=task).first()
    if attached is None:
        raise NotFound("Không tìm thấy tệp.", en="No such file.")
    response = HttpResponse(bytes(attached.content), content_type="application/octet-stream")
    response["Content-Disposition"] = content_disposition_header(True, attached.name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


def target_tasks(user: Any, target: Any) -> list:
    """The tasks of a target that the user may see, for its page (open ones first)."""
    rows = tasks(today=timezone.localdate(), user=user, target=target)
    return sorted(rows, key=lambda row: row.status not in (Status.OVERDUE, Status.IN_PROGRESS, Status.NOT_STARTED))


@allowed()
def tasks_xlsx(request: HttpRequest) -> HttpResponse:
    """The list as it is filtered on the page, as an Excel table (audited as an export)."""
    from nghiquyet.audit.services import record
    from nghiquyet.followup.documents import tasks_xlsx as workbook

    rows = _rows(request)
    record("export", object_type="followup.task", summary=f"danh sách nhiệm vụ (XLSX, {len(rows)} nhiệm vụ)")
    response = HttpResponse(workbook(rows), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="nhiem-vu.xlsx"'
    return response


@allowed()
def conclusion_report(request: HttpRequest, conclusion_id: int) -> HttpResponse:
    """The report on carrying out a conclusion (DOCX), for viewers of its unit: every item with its status."""
    from nghiquyet.audit.services import record
    from nghiquyet.followup.documents import conclusion_docx

    conclusion = Conclusion.objects.select_related("org_unit").filter(pk=conclusion_id).first()
    if conclusion is None or not may_view_figures(request.user, conclusion.org_unit):
        raise NotFound("Không tìm thấy kết luận.", en="No such conclusion.")
    rows = tasks(today=timezone.localdate(), conclusion=conclusion)
    record("export", obj=conclusion, org_unit=conclusion.org_unit, summary=f"báo cáo thực hiện {conclusion.number} (DOCX)")
    response = HttpResponse(conclusion_docx(conclusion, sorted(rows, key=lambda row: row.task.position), day=timezone.localdate()),
                            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    response["Content-Disposition"] = f'attachment; filename="bao-cao-thuc-hien-ket-luan-{conclusion.pk}.docx"'
    return response
