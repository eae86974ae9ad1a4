"""Word templates an office uploads: used for its reports, checked at upload (not a .docx, macros, a template
error, code that escapes the sandbox), kept per unit, for its administrators only."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from nghiquyet.lib.errors import Invalid
from nghiquyet.reports.models import IssuedDocument, ReportTemplate
from nghiquyet.reports.office_templates import check_template
from nghiquyet.reports.template_builder import TEMPLATE


def template_with(line: str) -> bytes:
    """The package's template with one more paragraph, as an office would edit it in Word."""
    document = docx.Document(str(TEMPLATE))
    document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def text_of(data: bytes) -> str:
    return "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)


def test_the_command_renders_an_office_template(demo, tmp_path):
    template = tmp_path / "mau.docx"
    template.write_bytes(template_with("Mẫu của Văn phòng: {{ h.issuer }}, {{ table|length }} chỉ tiêu"))
    out = tmp_path / "bc.docx"
    call_command("report", "--resolution", "ct-2021", "--org", "CT", "--period", "2021", "--format", "docx", "-o", str(out),
                 "--template", str(template), "--issuer", "Thành ủy Cần Thơ")
    assert "Mẫu của Văn phòng: THÀNH ỦY CẦN THƠ, 19 chỉ tiêu" in text_of(out.read_bytes())


@pytest.mark.parametrize(
    "data, words",
    [
        (b"not a zip", "không phải tệp Word"),
        (b"", "không phải tệp Word"),
        ("zip-without-document", "không phải tệp Word"),
        ("macro", "macro"),
        ("{{ h.issuer", "Mẫu báo cáo có lỗi"),  # an unclosed tag
        ("{{ ''.__class__.__mro__[1].__subclasses__() }}", "Mẫu báo cáo có lỗi"),  # the sandbox refuses
        ("{% for x in range(10**9) %}{% endfor %}", "Mẫu báo cáo có lỗi"),  # the sandbox caps ranges
    ],
)
def test_a_bad_template_is_refused_at_upload_with_the_reason(data, words):
    if data == "zip-without-document":
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as package:
            package.writestr("hello.txt", "x")
        data = out.getvalue()
    elif data == "macro":
        out = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(template_with("x"))) as source, zipfile.ZipFile(out, "w") as package:
            for item in source.infolist():
                package.writestr(item, source.read(item))
            package.writestr("word/vbaProject.bin", b"\0" * 10)
        data = out.getvalue()
    elif isinstance(data, str):
        data = template_with(data)
    with pytest.raises(Invalid) as raised:
        check_template(data)
    assert words in str(raised.value)


def upload(client, name: str, data: bytes, org: str = "CT"):
    return client.post("/nghi-quyet/ct-2021/van-ban/mau/", {
        "org": org, "period": "2021", "name": name, "file": SimpleUploadedFile("mau.docx", data),
    })


def test_an_admin_uploads_a_template_and_issues_a_report_with_it(client, people):
    client.force_login(people.alice)
    response = upload(client, "Mẫu Văn phòng Thành ủy", template_with("Mẫu riêng: {{ h.number }}"))
    assert response.status_code == 302
    template = ReportTemplate.objects.get(name="Mẫu Văn phòng Thành ủy")
    page = client.get("/nghi-quyet/ct-2021/van-ban/", {"org": "CT", "period": "2021"}).content.decode()
    assert "Mẫu Văn phòng Thành ủy" in page and f'value="{template.pk}"' in page
    response = client.post("/nghi-quyet/ct-2021/van-ban/ban-hanh/", {"org": "CT", "period": "2021", "body": "TU", "format": "docx",
                                                                   "template": template.pk})
    assert response.status_code == 302
    issued = IssuedDocument.objects.get()
    assert f"Mẫu riêng: {issued.symbol}" in text_of(bytes(issued.content))
    # the same name replaces it
    upload(client, "Mẫu Văn phòng Thành ủy", template_with("Mẫu mới"))
    assert ReportTemplate.objects.count() == 1 and "Mẫu mới" in text_of(bytes(ReportTemplate.objects.get().content))


def test_a_broken_template_is_named_and_nothing_is_kept(client, people):
    client.force_login(people.alice)
    response = upload(client, "Hỏng", template_with("{% if %}"))
    assert response.status_code == 302 and not ReportTemplate.objects.exists()
    page = client.get(response.url).content.decode()
    assert "Mẫu báo cáo có lỗi" in page


def test_only_the_units_administrators_upload_and_only_its_own_or_higher_templates_are_used(client, people):
    client.force_login(people.bob)  # a reporter of ward A
    assert upload(client, "x", template_with("x"), org=people.ward_a.code).status_code == 403
    client.force_login(people.alice)
    upload(client, "Của phường", template_with("Phường"), org=people.ward_a.code)
    ward_template = ReportTemplate.objects.get(name="Của phường")
    # the city's report may not use a template of a ward below it
    client.post("/nghi-quyet/ct-2021/van-ban/ban-hanh/", {"org": "CT", "period": "2021", "body": "TU", "format": "docx",
                                                        "template": ward_template.pk})
    assert not IssuedDocument.objects.exists()
