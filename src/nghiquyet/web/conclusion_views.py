"""Conclusions on the web: the list a person may see, a new conclusion (with its items from the office's
workbook, all or nothing), a conclusion's page with its items and the forms that add them one by one or from a
workbook, the blank form, and giving a task to someone else or a new deadline. The forms post to
followup.services and followup.workbook; a mistake comes back as a message naming the field (or the sheet,
row and column), never a 500."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nghiquyet.accounts.permissions import (
    APPROVER,
    Action,
    Forbidden,
    grants,
    may,
    may_view_figures,
    resolutions_q,
)
from nghiquyet.followup import services
from nghiquyet.followup.models import Conclusion, Task
from nghiquyet.followup.reads import tasks
from nghiquyet.followup.rules import Status
from nghiquyet.followup.workbook import COLUMNS, ItemsRejected, form_workbook, import_items, item_fields
from nghiquyet.lib.errors import DomainError, Invalid, NotFound
from nghiquyet.lib.validation import form_date, small_int
from nghiquyet.orgunits.services import resolve
from nghiquyet.web.followup_views import MAX_UPLOAD, cadence_choices
from nghiquyet.web.views import _lang, allowed

CONCLUSION_FIELDS = ("org", "issuer", "number", "issued_on", "meeting", "text")


def _may_write_some(user: Any) -> bool:
    return user.is_superuser or any(g.rank >= APPROVER for g in grants(user))


def _visible(user: Any):
    return Conclusion.objects.filter(resolutions_q(user)).select_related("org_unit")


@allowed()
def conclusions_page(request: HttpRequest, *, form: dict | None = None, status: int = 200) -> HttpResponse:
    found = list(_visible(request.user).order_by("-issued_on", "-pk")[:200])
    counts: dict[int, list[int]] = {c.pk: [0, 0] for c in found}
    for row in tasks(today=timezone.localdate(), user=request.user, conclusion=found) if found else []:
        counts[row.task.conclusion_id][0] += 1
        counts[row.task.conclusion_id][1] += row.status == Status.OVERDUE
    return render(request, "web/conclusions.html", {
        "conclusions": [(c, *counts[c.pk]) for c in found], "may_create": _may_write_some(request.user),
        "form": form or {}, "max_mb": MAX_UPLOAD // (1024 * 1024),
    }, status=status)


def _upload(request: HttpRequest) -> tuple[str, bytes] | None:
    upload = request.FILES.get("items")
    if upload is None:
        return None
    if upload.size > MAX_UPLOAD:
        raise Invalid("Tệp quá lớn (tối đa 10 MB).", en="The file is too large (10 MB at most).", field="items")
    return upload.name, upload.read()


def _say(request: HttpRequest, error: DomainError) -> None:
    for line in error.text(_lang(request)).splitlines():
        messages.error(request, line)


@require_POST
@allowed()
def conclusion_create(request: HttpRequest) -> HttpResponse:
    """A new conclusion of a unit the writer approves for; with a workbook, its items too (or nothing at all)."""
    form = {name: request.POST.get(name, "") for name in CONCLUSION_FIELDS}
    try:
        issued_on = form_date(form["issued_on"], "issued_on")
        if issued_on is None:
            raise Invalid("Cần ngày ban hành.", en="The date of issue is needed.", field="issued_on")
        unit = resolve(code=form["org"], on=issued_on)
        if not may_view_figures(request.user, unit):  # a unit the writer cannot see answers as if it did not exist
            raise NotFound(f'Không tìm thấy đơn vị có mã "{unit.code}".', en=f'No org unit with code "{unit.code}".', field="org")
        upload = _upload(request)
        with transaction.atomic():
            conclusion = services.create_conclusion(user=request.user, org_unit=unit, issuer=form["issuer"], number=form["number"],
                                                    issued_on=issued_on, meeting=form["meeting"], text=form["text"])
            made = import_items(user=request.user, conclusion=conclusion, name=upload[0], content=upload[1]) if upload else []
    except Forbidden:
        messages.error(request, _("Chỉ người duyệt hoặc quản trị của đơn vị mới ban hành kết luận của đơn vị."))
        return conclusions_page(request, form=form, status=403)
    except DomainError as error:
        _say(request, error)
        return conclusions_page(request, form=form, status=400)
    messages.success(request, _("Đã thêm kết luận với %(n)s nhiệm vụ.") % {"n": len(made)})
    return redirect(reverse("web:conclusion", args=[conclusion.pk]))


def _conclusion(request: HttpRequest, conclusion_id: int) -> Conclusion:
    conclusion = _visible(request.user).filter(pk=conclusion_id).first()
    if conclusion is None:
        raise NotFound("Không tìm thấy kết luận.", en="No such conclusion.")
    return conclusion


@allowed()
def conclusion_page(request: HttpRequest, conclusion_id: int, *, form: dict | None = None, status: int = 200) -> HttpResponse:
    conclusion = _conclusion(request, conclusion_id)
    rows = sorted(tasks(today=timezone.localdate(), user=request.user, conclusion=conclusion), key=lambda row: (row.task.position, row.task.pk))
    return render(request, "web/conclusion.html", {
        "conclusion": conclusion, "rows": rows, "may_write": may(request.user, Action.MANAGE, conclusion),
        "may_report": may_view_figures(request.user, conclusion.org_unit), "form": form or {}, "cadences": cadence_choices(_lang(request)),
    }, status=status)


@require_POST
@allowed()
def conclusion_add_task(request: HttpRequest, conclusion_id: int) -> HttpResponse:
    """One item from the form: its fields read as a workbook row is read (followup.workbook.item_fields)."""
    conclusion = _conclusion(request, conclusion_id)
    form = {key: request.POST.get(key, "") for key in COLUMNS}
    try:
        if not may(request.user, Action.MANAGE, conclusion):
            raise Forbidden("Chỉ người viết kết luận mới thêm nhiệm vụ.", en="Only the conclusion's writers add its items.")
        fields, errors = item_fields(form, user=request.user, conclusion=conclusion)
        if errors:
            key, error = errors[0]
            raise type(error)(f"{COLUMNS[key][0]}: {error.message}", en=f"{COLUMNS[key][0]}: {error.english}", field=key)
        task = services.add_task(user=request.user, conclusion=conclusion, **fields)
    except Forbidden:
        raise
    except DomainError as error:
        _say(request, error)
        return conclusion_page(request, conclusion_id, form=form, status=400)
    messages.success(request, _("Đã thêm nhiệm vụ."))
    return redirect(reverse("web:conclusion", args=[conclusion.pk]) + f"#task-{task.pk}")


@require_POST
@allowed()
def conclusion_import(request: HttpRequest, conclusion_id: int) -> HttpResponse:
    conclusion = _conclusion(request, conclusion_id)
    if not may(request.user, Action.MANAGE, conclusion):
        raise Forbidden("Chỉ người viết kết luận mới thêm nhiệm vụ.", en="Only the conclusion's writers add its items.")
    try:
        upload = _upload(request)
        if upload is None:
            raise Invalid("Chọn tệp bảng tính các nhiệm vụ.", en="Choose the workbook of items.", field="items")
        made = import_items(user=request.user, conclusion=conclusion, name=upload[0], content=upload[1])
    except Forbidden:
        raise
    except ItemsRejected as error:
        messages.error(request, _("Chưa thêm nhiệm vụ nào: sửa các lỗi sau rồi tải lên lại."))
        _say(request, error)
        return conclusion_page(request, conclusion_id, status=400)
    except DomainError as error:
        _say(request, error)
        return conclusion_page(request, conclusion_id, status=400)
    messages.success(request, _("Đã thêm %(n)s nhiệm vụ từ bảng tính.") % {"n": len(made)})
    return redirect(reverse("web:conclusion", args=[conclusion.pk]))


@allowed()
def items_form(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(form_workbook(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="mau-nhiem-vu-ket-luan.xlsx"'
    return response


@require_POST
@allowed()
def task_update(request: HttpRequest, task_id: int) -> HttpResponse:
    """Someone else to do it, or a new deadline or cadence, or a vacancy's planned date: the conclusion's writers."""
    from django.contrib.auth import get_user_model

    from nghiquyet.web.followup_views import _act

    def do(task: Task) -> str:
        username = request.POST.get("owner", "").strip()
        owner = get_user_model().objects.filter(username=username, is_active=True).first() if username else None
        if username and owner is None:
            raise Invalid(f'Không có tài khoản "{username[:60]}".', en=f'No account "{username[:60]}".', field="owner")
        cadence = request.POST.get("cadence", "")
        services.update_task(user=request.user, task=task, version=small_int(request.POST.get("version")), owner=owner,
                             deadline=None if cadence else form_date(request.POST.get("deadline"), "deadline"), cadence=cadence,
                             planned_on=form_date(request.POST.get("planned_on"), "planned_on"))
        return _("Đã lưu người phụ trách và thời hạn.")

    return _act(request, task_id, do)
