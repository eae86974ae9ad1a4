"""Issued reports on the web: the register of a resolution's issued documents (those of units the reader may see;
"MẬT" ones only for the administrators of their unit), issuing the report of a unit and period (its
administrators), and the issued file, downloaded exactly as it was issued (reports.register)."""

from __future__ import annotations

import re
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
from nghiquyet.lib.validation import clean_text, small_int
from nghiquyet.reports.content import report_content
from nghiquyet.reports.documents import DOCUMENT_FORMATS
from nghiquyet.reports.models import IssuedDocument
from nghiquyet.reports.register import issue
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
    return render(request, "web/documents.html", {
        "resolution": resolution, "documents": _readable(request, issued.order_by("-issued_at", "-pk")),
        "org": request.GET.get("org", ""), "period": request.GET.get("period", ""),
    })


@require_POST
@allowed()
def documents_issue(request: HttpRequest, key: str) -> HttpResponse:
    """Issue the report of a unit and period: the next number of the body's series, the file kept as issued."""
    resolution = _resolution(request, key)
    unit, period = _place(resolution, request.POST.get("org", ""), request.POST.get("period", ""))
    require(request.user, Action.MANAGE, unit)
    fmt = request.POST.get("format", "docx")
    back = f"{reverse('web:documents', args=[resolution.key])}?{urlencode({'org': unit.code, 'period': period.code})}"
    try:
        if fmt not in DOCUMENT_FORMATS:
            raise DomainError("Định dạng phải là docx hoặc pdf.", en="The format must be docx or pdf.", field="format")
        scorecard = scorecard_seen_by(user=request.user, resolution=resolution, org_code=unit.code, period=period, drafts=False)
        signer = clean_text(request.POST.get("signer", ""), "signer", limit=100)
        secret = request.POST.get("secret") == "1"
        document = issue(
            content=lambda number: report_content(scorecard, day=timezone.localdate(), number=number, signer=signer, secret=secret),
            render=DOCUMENT_FORMATS[fmt].render, file_format=fmt, body=request.POST.get("body", ""), term=request.POST.get("term", "")
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
