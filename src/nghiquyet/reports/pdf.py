"""A report as PDF, by WeasyPrint from an HTML page with the same content and layout as the DOCX. The font is
named Tinos first: a Times New Roman metric font with every Vietnamese letter (Debian's fonts-croscore, installed by
scripts/system-packages), so accents never fall back to another font; Liberation Serif 2 and Times New Roman
follow for machines that have them."""

from __future__ import annotations

import base64

from django.template.loader import render_to_string

from nghiquyet.lib.errors import Invalid
from nghiquyet.reports.charts import to_png
from nghiquyet.reports.content import ReportContent


def render_pdf(content: ReportContent) -> bytes:
    charts = [{"caption": chart.caption, "src": "data:image/png;base64," + base64.b64encode(to_png(chart.spec)).decode()}
              for chart in content.charts]
    html = render_to_string("reports/bao-cao.html", {"c": content, "charts": charts})
    return html_to_pdf(html)


def html_to_pdf(html: str) -> bytes:
    try:
        from weasyprint import HTML
    except OSError as error:  # pango is missing: the system packages were not installed
        raise Invalid(f"Máy chủ thiếu thư viện để tạo PDF (pango): {error}. Chạy scripts/system-packages.",
                      en=f"The server lacks the libraries for PDF (pango): {error}. Run scripts/system-packages.") from None
    return HTML(string=html).write_pdf()
