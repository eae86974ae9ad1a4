"""Word templates an office uploads for its reports: checked before they are kept (a real .docx, no macros, no zip
bomb, and a trial render in Jinja's sandbox with sample content, so a mistake is found at upload and named, not
at the next report), kept per unit, offered to the unit and the units below it. docs/report-templates.md."""

from __future__ import annotations

import hashlib
import io
import zipfile
from typing import Any

from django.db import transaction

from nghiquyet.accounts.permissions import Action, require
from nghiquyet.audit.services import record
from nghiquyet.lib.errors import Invalid, NotFound
from nghiquyet.lib.validation import clean_text, small_int
from nghiquyet.orgunits.models import OrgUnit
from nghiquyet.reports.content import Header, ReportContent, TableRow
from nghiquyet.reports.docx import render_docx
from nghiquyet.reports.models import ReportTemplate

MAX_BYTES = 5 * 1024 * 1024
MAX_UNPACKED = 50 * 1024 * 1024
SAMPLE = ReportContent(
    header=Header(superior="ĐẢNG BỘ TỈNH MẪU", issuer="TỈNH ỦY MẪU", number="Số 01-BC/TU", place_date="Mẫu, ngày 01 tháng 01 năm 2026",
                  kind="BÁO CÁO", subject="kết quả thực hiện nghị quyết (mẫu thử)"),
    notice="", paragraph="Năm 2025 thực hiện đạt và vượt 1/2 chỉ tiêu; 1/2 chỉ tiêu không đạt.",
    table=[TableRow("1", "Chỉ tiêu mẫu", "%", "10", "12", "120%", "Vượt", "tăng 2 điểm %"),
           TableRow("2", "Chỉ tiêu mẫu 2", "tỷ đồng", "100", "90", "90%", "Không đạt", "giảm 1%")],
    not_met=["Chỉ tiêu mẫu 2 (khách quan: mẫu thử)."],
)


def check_template(data: bytes) -> None:
    """Refuse (Invalid, in words an office can act on) anything that is not a Word template we can render."""
    if len(data) > MAX_BYTES:
        raise Invalid(f"Tệp mẫu quá lớn ({len(data) // 1024} KB; tối đa {MAX_BYTES // 1024 // 1024} MB).",
                      en="The template file is too large.", field="file")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            entries = package.infolist()
    except zipfile.BadZipFile:
        raise Invalid("Tệp mẫu không phải tệp Word (.docx).", en="The template is not a Word file (.docx).", field="file") from None
    names = {entry.filename for entry in entries}
    if "word/document.xml" not in names:
        raise Invalid("Tệp mẫu không phải tệp Word (.docx).", en="The template is not a Word file (.docx).", field="file")
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise Invalid("Mẫu có macro (.docm): không nhận. Lưu lại dưới dạng .docx.", en="The template holds macros: save it as .docx.",
                      field="file")
    if sum(entry.file_size for entry in entries) > MAX_UNPACKED:
        raise Invalid("Tệp mẫu giải nén ra quá lớn.", en="The template unpacks too large.", field="file")
    try_render(data)


def try_render(data: bytes) -> bytes:
    """Render the template with sample content; a template error or a forbidden operation is named."""
    try:
        return render_docx(SAMPLE, template=data)
    except Invalid:
        raise
    except Exception as error:  # a broken part inside the package: python-docx / lxml say what
        raise Invalid(f"Không đọc được tệp mẫu: {error}.", en=f"The template cannot be read: {error}.", field="file") from None


@transaction.atomic
def save_template(*, user: Any, org_unit: OrgUnit, name: str, data: bytes) -> ReportTemplate:
    """Keep (or replace, by name) a template of `org_unit`; its administrators only."""
    require(user, Action.MANAGE, org_unit)
    name = clean_text(name or "", "name", limit=100)
    if not name:
        raise Invalid("Cần đặt tên cho mẫu.", en="Give the template a name.", field="name")
    check_template(data)
    digest = hashlib.sha256(data).hexdigest()
    template, created = ReportTemplate.objects.select_for_update().get_or_create(
        org_unit=org_unit, name=name, defaults={"content": data, "sha256": digest, "uploaded_by": user}
    )
    if not created:
        template.content, template.sha256, template.uploaded_by = data, digest, user
        template.save(update_fields=["content", "sha256", "uploaded_by"])
    record("create" if created else "update", obj=template, org_unit=org_unit, summary=f"mẫu báo cáo «{name}» ({len(data) // 1024} KB)")
    return template


def templates_for(unit: OrgUnit) -> list[ReportTemplate]:
    """The templates a unit's reports may use: its own and those of the units above it."""
    return list(ReportTemplate.objects.filter(org_unit_id__in=unit.lineage_ids).defer("content").select_related("org_unit").order_by("name"))


def template_for(unit: OrgUnit, template_id: str) -> ReportTemplate | None:
    """The template a form names, among those the unit may use ("" → the package's own); else "not found"."""
    if not template_id:
        return None
    number = small_int(str(template_id), digits=18)
    found = ReportTemplate.objects.filter(pk=number, org_unit_id__in=unit.lineage_ids).first() if number else None
    if found is None:
        raise NotFound("Không tìm thấy mẫu báo cáo này.", en="No such report template.", field="template")
    return found
