"""Uploading a workbook in the browser: choose a file → it is checked by a job (a dry run) while a progress
bar runs → every problem in a table (sheet, row, column, reason), or what would change → "Ghi vào hệ thống"
writes it by a second job, all or nothing (imports.uploads). And the entry page's template download."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from nghiquyet.audit.services import record
from nghiquyet.imports import uploads
from nghiquyet.imports.models import Upload
from nghiquyet.imports.template import template_workbook
from nghiquyet.lib.errors import DomainError, Invalid
from nghiquyet.web.entry_views import _sheet
from nghiquyet.web.views import _lang, _resolution, allowed

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@allowed()
def template_xlsx(request: HttpRequest, key: str) -> HttpResponse:
    """The results template of the entry page's unit and period, for a user who may enter figures there."""
    resolution = _resolution(request, key)
    sheet = _sheet(request, resolution, request.GET.get("org", ""), request.GET.get("period", ""))
    unit, period = sheet.org_unit, sheet.period
    record("export", obj=resolution, org_unit=unit, summary=f"mẫu nhập kết quả {resolution.key} {unit.code} {period.code}")
    response = HttpResponse(template_workbook(sheet), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="mau-nhap-{resolution.key}-{unit.code}-{period.code}.xlsx"'
    return response


@allowed()
def upload_page(request: HttpRequest) -> HttpResponse:
    """GET: the form and the user's recent uploads; POST: keep the file, queue its check, show its page."""
    if request.method == "POST":
        chosen = request.FILES.get("file")
        try:
            if chosen is None:
                raise Invalid("Chưa chọn tệp.", en="No file chosen.", field="file")
            uploads.check_size(chosen.name or "", chosen.size or 0)  # before reading it into memory
            upload = uploads.receive(user=request.user, name=chosen.name or "", content=chosen.read())
        except DomainError as error:
            messages.error(request, error.text(_lang(request)))
            return redirect("web:uploads")
        return redirect("web:upload", upload_id=upload.pk)
    return render(request, "web/uploads.html", {"uploads": uploads.recent(user=request.user), "back": _back(request)})


@allowed()
def upload_detail(request: HttpRequest, upload_id: str) -> HttpResponse:
    upload = uploads.upload_of(user=request.user, upload_id=upload_id)
    return render(request, "web/upload.html", _context(request, upload))


@allowed()
def upload_status(request: HttpRequest, upload_id: str) -> HttpResponse:
    """The part of the page that changes while the job runs (polled by HTMX every second)."""
    upload = uploads.upload_of(user=request.user, upload_id=upload_id)
    return render(request, "web/_upload_status.html", _context(request, upload))


@require_POST
@allowed()
def upload_apply(request: HttpRequest, upload_id: str) -> HttpResponse:
    try:
        uploads.confirm(user=request.user, upload_id=upload_id)
    except DomainError as error:
        if error.field == "upload":
            raise
        messages.error(request, error.text(_lang(request)))
    return redirect("web:upload", upload_id=upload_id)


def _context(request: HttpRequest, upload: Upload) -> dict:
    lang = _lang(request)
    report = upload.report or {}
    progress = uploads.progress_of(upload) if upload.running else {}
    total = progress.get("total") or 0
    percent = int(100 * progress.get("done", 0) / total) if total else 0
    problems = [
        {**problem, "reason": problem["en"] if lang == "en" else problem["vi"]} for problem in report.get("problems", [])
    ]
    return {
        "upload": upload,
        "report": report,
        "summary": (report.get("summary") or {}).get(lang, ""),
        "notes": (report.get("notes") or {}).get(lang, []),
        "problems": problems,
        "hidden_problems": max(report.get("problem_count", 0) - len(problems), 0),
        "progress": progress,
        "percent": percent,
        "status_url": reverse("web:upload_status", args=[upload.pk]),
    }


def _back(request: HttpRequest) -> str:
    """Where the user came from, when it is one of our pages (the entry page's "Tải lên" link)."""
    back = request.GET.get("back", "")
    return back if back.startswith("/") and not back.startswith("//") else ""
