"""The formats a report is issued in, with how each is rendered and served: one table for the scorecard's
download links, the register of issued documents and the command line."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from nghiquyet.reports.content import ReportContent
from nghiquyet.reports.docx import render_docx
from nghiquyet.reports.pdf import render_pdf


@dataclass(frozen=True)
class DocumentFormat:
    render: Callable[[ReportContent], bytes]
    mime: str


DOCUMENT_FORMATS = {
    "docx": DocumentFormat(render_docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "pdf": DocumentFormat(render_pdf, "application/pdf"),
}
