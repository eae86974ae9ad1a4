"""Issued reports on the web: the register of a resolution's issued documents (those of units the reader may see;
"MẬT" ones only for the administrators of their unit), issuing the report of a unit and period (its
administrators), and the issued file, downloaded exactly as it was issued (reports.register)."""

from __future__ import annotations

import re
from functools import partial
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from nghiquyet.accounts.permissions import VIEWER, Action, may, require, units_q
from nghiquyet.audit.services import record
from nghiquyet.figures.scorecard import scorecard_seen_by
from nghiquyet.lib.errors import DomainError, NotFound
from nghiquyet.lib.periods import Period
from nghiquyet.lib.validation import clean_text, small_int
from nghiquyet.orgunits.models import OrgUnit
from nghiquyet.reports.content import report_content, report_parts
from nghiquyet.reports.documents import DOCUMENT_FORMATS
from nghiquyet.reports.docx import render_docx
from nghiquyet.reports.models import IssuedDocument
from nghiquyet.reports.office_templates import MAX_BYTES, save_template, template_for, templates_for
from nghiquyet.reports.register import issue
from nghiquyet.targets.models import Resolution
from nghiquyet.web.entry_views import _place
from nghiquyet.web.views import _lang, _resolution, allowed


def _readable(request: HttpRequest, documents):
    """The documents of units the reader may see; secret ones only where they administer the unit."""
    seen = documents.filter(units_q(request.user, VIEWER))
    return [document for document in seen if not document.secret or may(request.user, Action.MANAGE, document.org_unit)]


@allowed()
def documents_page(request: HttpRequest, key: str) -> HttpResponse:
    resolution = _resolution(request, key)
    issued = IssuedDocument.objects.filter(resolution=resolution).select_related("org_unit", "issued_by").defer("content")
    org, period = request.GET.get("org", ""), request.GET.get("period", "")
    unit = None
    if org and period:
        try:
            unit = _place(resolution, org, period)[0]
        except DomainError:
            unit = None  # the register is still shown; the forms need a unit the reader administers
    if unit is not None and not may(request.user, Action.MANAGE, unit):
        unit = None
    return render(request, "web/documents.html", {
        "resolution": resolution, "documents": _readable(request, issued.order_by("-issued_at", "-pk")),
        "org": org, "period": period, "templates": templates_for(unit) if unit else [], "unit": unit,
    })


def _managed_place(request: HttpRequest, key: str) -> tuple[Resolution, OrgUnit, Period, str]:
    """The resolution, the unit and period a form posts (its administrators only), and the register page to go
    back to."""
    resolution = _resolution(request, key)
    unit, period = _place(resolution, request.POST.get("org", ""), request.POST.get("period", ""))
    require(request.user, Action.MANAGE, unit)
    return resolution, unit, period, f"{reverse('web:documents', args=[resolution.key])}?{urlencode({'org': unit.code, 'period': period.code})}"


@require_POST
@allowed()
def templates_upload(request: HttpRequest, key: str) -> HttpResponse:
    """An office's Word template for its unit's reports (reports.office_templates): checked, then kept."""
    resolution, unit, _, back = _managed_place(request, key)
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise DomainError("Chọn tệp mẫu (.docx).", en="Choose the template file (.docx).", field="file")
        if upload.size > MAX_BYTES:
            raise DomainError("Tệp mẫu quá lớn (tối đa 5 MB).", en="The template file is too large (5 MB at most).", field="file")
        template = save_template(user=request.user, org_unit=unit, name=request.POST.get("name", ""), data=upload.read())
        messages.success(request, f"Đã lưu mẫu «{template.name}»." if _lang(request) == "vi" else f"Saved the template «{template.name}».")
    except DomainError as error:
        messages.error(request, error.text(_lang(request)))
    return redirect(back)


@require_POST
@allowed()
def documents_issue(request: HttpRequest, key: str) -> HttpResponse:
    """Issue the report of a unit and period: the next number of the body's series, the file kept as issued."""
    resolution, unit, period, back = _managed_place(request, key)
    fmt = request.POST.get("format", "docx")
    try:
        if fmt not in DOCUMENT_FORMATS:
            raise DomainError("Định dạng phải là docx hoặc pdf.", en="The format must be docx or pdf.", field="format")
        template = template_for(unit, request.POST.get("template", ""))
        if template is not None and fmt != "docx":
            raise DomainError("Mẫu của đơn vị chỉ dùng cho văn bản Word (.docx).", en="An office template makes Word documents only.",
                              field="template")
        scorecard = scorecard_seen_by(user=request.user, resolution=resolution, org_code=unit.code, period=period, drafts=False)
        signer = clean_text(request.POST.get("signer", ""), "signer", limit=100)
        secret = request.POST.get("secret") == "1"
        parts = report_parts(scorecard, today=timezone.localdate(), user=request.user)  # read before the register's lock
        document = issue(
            content=lambda number: report_content(scorecard, day=timezone.localdate(), number=number, signer=signer, secret=secret, **parts),
            render=DOCUMENT_FORMATS[fmt].render if template is None else partial(render_docx, template=bytes(template.content)),
            file_format=fmt, body=request.POST.get("body", ""), term=request.POST.get("term", "")
            or f"{resolution.term_start}-{resolution.term_end}", resolution=resolution, org_unit=unit, period=period.code,
            user=request.user,
        )
        messages.success(request, f"Đã ban hành {document.symbol}." if _lang(request) == "vi" else f"Issued {document.symbol}.")
    except NotFound:
        raise
    except DomainError as error:
        messages.error(request, error.text(_lang(request)))
    return redirect(back)


@allowed()
def document_file(request: HttpRequest, document_id: int) -> HttpResponse:
    """The issued file, as it was issued."""
    number = small_int(str(document_id), digits=18)
    found = IssuedDocument.objects.filter(pk=number).select_related("org_unit", "resolution").first() if number else None
    if found is None or not _readable(request, IssuedDocument.objects.filter(pk=found.pk)):
        raise NotFound("Không tìm thấy văn bản này.", en="No such document.", field="document")
    record("export", obj=found, org_unit=found.org_unit, summary=f"tải văn bản đã ban hành {found.symbol}")
    response = HttpResponse(bytes(found.content), content_type=DOCUMENT_FORMATS[found.file_format].mime)
    name = re.sub(r"[^A-Za-z0-9-]", "", found.symbol.replace("Số ", "").replace("/", "-").replace("Đ", "D"))
    response["Content-Disposition"] = f'attachment; filename="{name}.{found.file_format}"'
    return response
