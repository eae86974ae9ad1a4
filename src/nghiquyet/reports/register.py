"""Issuing a report: the next number of its series (body × type × term), the document rendered with that number,
and the file kept as issued. The series row is locked while its number is taken, so two issues at once get two
numbers, never the same one; a failed render gives the number back (the transaction rolls back)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction

from nghiquyet.audit.services import record
from nghiquyet.lib.errors import Invalid
from nghiquyet.lib.periods import PeriodError, parse_term
from nghiquyet.reports.content import ReportContent
from nghiquyet.reports.models import DocumentSeries, IssuedDocument

BODY = re.compile(r"^[A-ZĐ]{1,12}$")


def symbol(number: int, doc_type: str, body: str) -> str:
    """"Số 12-BC/TU" (HD 36: no colon; numbers below 10 keep their 0: "Số 01-BC/TU")."""
    return f"Số {number:02d}-{doc_type}/{body}"


@transaction.atomic
def issue(*, content: Callable[[str], ReportContent], render: Callable[[ReportContent], bytes], file_format: str,
          body: str, term: str, doc_type: str = "BC", resolution: Any, org_unit: Any, period: str, user: Any = None) -> IssuedDocument:
    """Number, render and keep a report. `content(symbol)` builds the report with its number."""
    body = (body or "").strip().upper()
    if not BODY.fullmatch(body):
        raise Invalid(f'Ký hiệu cơ quan "{body[:20]}" không hợp lệ: chữ in hoa, ví dụ TU, HU, ĐU.',
                      en=f'Body symbol "{body[:20]}" is not valid: capitals, e.g. TU, HU.', field="body")
    try:
        first, last = parse_term(term)
    except PeriodError as error:
        raise Invalid(str(error), en=f'Term "{term}" is not valid; write 2020-2025.', field="term") from None
    term = f"{first}-{last}"
    try:
        with transaction.atomic():
            DocumentSeries.objects.get_or_create(body=body, doc_type=doc_type, term=term)
    except IntegrityError:  # made a moment ago by another issue: theirs is the one
        pass
    series = DocumentSeries.objects.select_for_update().get(body=body, doc_type=doc_type, term=term)
    series.last_number += 1
    series.save(update_fields=["last_number"])
    number_text = symbol(series.last_number, doc_type, body)
    built = content(number_text)
    data = render(built)
    document = IssuedDocument.objects.create(
        series=series, number=series.last_number, symbol=number_text, subject=built.header.subject[:500], resolution=resolution,
        org_unit=org_unit, period=period, file_format=file_format, content=data, sha256=hashlib.sha256(data).hexdigest(),
        secret=built.secret, issued_by=user,
    )
    record("create", obj=document, org_unit=org_unit, summary=f"ban hành {number_text}: {document.subject}"[:500],
           new={"symbol": number_text, "format": file_format, "sha256": document.sha256})
    return document
