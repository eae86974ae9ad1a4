"""The register of issued documents: numbered per issuing body, document type and term (HD 36-HD/VPTW: numbers run
from 01 per type within a cấp ủy's term), each kept as it was issued — a snapshot later corrections never change."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class DocumentSeries(models.Model):
    """The last number given in a series: the row a new number is taken from, locked while it is."""

    body = models.CharField("cơ quan (ký hiệu)", max_length=16)  # "TU", "HU", "ĐU"
    doc_type = models.CharField("loại văn bản", max_length=8)  # "BC"
    term = models.CharField("nhiệm kỳ", max_length=9)  # "2020-2025"
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["body", "doc_type", "term"], name="document_series_unique")]

    def __str__(self) -> str:
        return f"{self.doc_type}/{self.body} {self.term}: {self.last_number}"


class IssuedDocument(models.Model):
    series = models.ForeignKey(DocumentSeries, on_delete=models.PROTECT, related_name="documents")
    number = models.PositiveIntegerField("số")
    symbol = models.CharField("số và ký hiệu", max_length=40)  # "Số 12-BC/TU"
    subject = models.CharField("trích yếu", max_length=500)
    resolution = models.ForeignKey("targets.Resolution", on_delete=models.PROTECT, related_name="+")
    org_unit = models.ForeignKey("orgunits.OrgUnit", on_delete=models.PROTECT, related_name="+")
    period = models.CharField("kỳ", max_length=9)
    file_format = models.CharField("định dạng", max_length=8)  # docx, pdf
    content = models.BinaryField()  # the file as issued
    sha256 = models.CharField(max_length=64)
    secret = models.BooleanField("mật", default=False)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    issued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "văn bản đã ban hành"
        verbose_name_plural = "văn bản đã ban hành"
        constraints = [models.UniqueConstraint(fields=["series", "number"], name="issued_document_number_unique")]

    def __str__(self) -> str:
        return self.symbol


class ReportTemplate(models.Model):
    """A Word template an office uploaded for its unit's reports (reports.templates): rendered by docxtpl in
    Jinja's sandbox, with the same variables as the package's own (docs/report-templates.md)."""

    org_unit = models.ForeignKey("orgunits.OrgUnit", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("tên mẫu", max_length=100)
    content = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "mẫu báo cáo"
        verbose_name_plural = "mẫu báo cáo"
        constraints = [models.UniqueConstraint(fields=["org_unit", "name"], name="report_template_name_unique")]

    def __str__(self) -> str:
        return f"{self.name} ({self.org_unit_id})"
