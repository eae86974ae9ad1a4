"""A report as DOCX: the content (reports.content) filled into a Word template by docxtpl — the package's own
(reports/templates/bao-cao.docx, built by reports.template_builder) or one an office supplies. Every template is
rendered in Jinja's sandbox: docxtpl would otherwise run whatever code a template holds."""

from __future__ import annotations

import io
from dataclasses import asdict
from pathlib import Path
from typing import Any

from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import TemplateError
from jinja2.sandbox import SandboxedEnvironment

from nghiquyet.lib.errors import Invalid
from nghiquyet.reports.charts import to_png
from nghiquyet.reports.content import ReportContent
from nghiquyet.reports.template_builder import TEMPLATE


def render_docx(content: ReportContent, *, template: Path | bytes | None = None) -> bytes:
    """The report as DOCX, from `template` (a path or an uploaded file's bytes; None: the package's own)."""
    document = DocxTemplate(io.BytesIO(template) if isinstance(template, bytes) else str(template or TEMPLATE))
    context: dict[str, Any] = asdict(content)
    context["h"] = context.pop("header")
    context["charts"] = [
        {"caption": chart.caption, "image": InlineImage(document, io.BytesIO(to_png(chart.spec)), width=Mm(160))} for chart in content.charts
    ]
    try:
        document.render(context, jinja_env=SandboxedEnvironment(autoescape=True))
    except (TemplateError, OverflowError) as error:  # a mistake or a forbidden operation (a range too long): the office's to fix
        reason = str(error).rstrip(".")
        raise Invalid(f"Mẫu báo cáo có lỗi: {reason}.", en=f"The report template has an error: {reason}.", field="template") from None
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
