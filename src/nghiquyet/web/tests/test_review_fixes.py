"""Holes a review of the collection pages found, each held shut: superscript digits and NUL bytes in forms, a
target that is not on the unit's sheet, a workbook that hides its formulas behind a namespace prefix, formats whose
size cannot be checked before opening, an upload job lost in a restart or delivered twice, too many uploads at once,
a first cause written by two people, "in progress" for figures that cannot recover, drafts in a Party report."""

from __future__ import annotations

import io
import zipfile
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from nghiquyet.imports import uploads
from nghiquyet.imports.models import Upload, UploadState
from nghiquyet.imports.xlsx_scan import scan
from nghiquyet.lib.errors import Invalid
from nghiquyet.lib.validation import small_int

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("text, number", [("12", 12), ("²", None), ("¹2", None), ("", None), (None, None), ("1" * 10, None),
                                          (" 7 ", 7), ("-1", None)])
def test_small_int_takes_ascii_digits_only(text, number):
    assert small_int(text) == number


@pytest.mark.parametrize(
    "url, body",
    [
        ("/nghi-quyet/ct-2021/nhap-so-lieu/luu/", {"target": "{target}", "org": "CT-NK-TA", "period": "2022", "value": "1", "version": "¹"}),
        ("/nghi-quyet/ct-2021/nhap-so-lieu/nguyen-nhan/", {"target": "{target}", "org": "CT-NK-TA", "period": "2022",
                                                          "cause_kind": "objective", "cause": "x", "cause_version": "²"}),
        ("/nghi-quyet/ct-2021/giao-ke-hoach/luu/", {"target": "10", "org": "CT-NK", "period": "2022", "child": "CT-NK-TA",
                                                     "value": "1", "version": "¹"}),
    ],
)
def test_a_superscript_version_is_no_500(client, people, url, body):
    client.force_login(people.alice)
    body = {key: value.replace("{target}", str(people.insurance.pk)) for key, value in body.items()}
    assert client.post(url, body).status_code == 200


@pytest.mark.parametrize(
    "url, body",
    [
        ("/nghi-quyet/ct-2021/nhap-so-lieu/nguyen-nhan/", {"target": "1", "org": "CT-NK-TA\x00", "period": "2022"}),
        ("/nghi-quyet/ct-2021/giao-ke-hoach/luu/", {"target": "19\x00", "org": "CT-NK", "period": "2022", "child": "CT-NK-TA"}),
        ("/nghi-quyet/ct-2021/tien-do-bao-cao/nhac/", {"org": "CT\x00", "period": "2022"}),
    ],
)
def test_a_nul_in_a_multipart_form_is_a_400(client, people, url, body):
    client.force_login(people.alice)
    response = client.post(url, body)  # the test client sends multipart by default
    assert response.status_code == 400 and "NUL" in response.content.decode()  # named, not a 500 on PostgreSQL


def test_a_target_that_is_not_on_the_units_sheet_is_not_found(client, people):
    from nghiquyet.figures.writes import set_plan
    from nghiquyet.lib.periods import parse_period
    from nghiquyet.targets.models import Target

    set_plan(target=people.insurance, org_unit=people.ward_a, period=parse_period("2022"), value=90)  # the sheet: one target
    other = Target.objects.get(resolution__key="ct-2021", code="03")
    client.force_login(people.bob)
    body = {"target": other.pk, "org": people.ward_a.code, "period": "2022", "cause_kind": "objective", "cause": "x"}
    assert client.post("/nghi-quyet/ct-2021/nhap-so-lieu/nguyen-nhan/", body).status_code == 404


def test_a_formula_behind_a_namespace_prefix_is_found(tmp_path):
    sheet = ('<?xml version="1.0"?><x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             '<x:sheetData><x:row r="1"><x:c r="A1" t="str"><x:v>value</x:v></x:c></x:row>'
             '<x:row r="2"><x:c r="A2"><x:f>1+1</x:f></x:c></x:row></x:sheetData></x:worksheet>')
    workbook = ('<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
                '<sheet name="results" sheetId="1" r:id="rId1"/></sheets></workbook>')
    rels = ('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
    path = tmp_path / "prefixed.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("xl/workbook.xml", workbook)
        archive.writestr("xl/_rels/workbook.xml.rels", rels)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    assert scan(path)["results"].formulas == [(2, 1)]


@pytest.mark.parametrize("name", ["ket-qua.ods", "ket-qua.xls"])
def test_formats_that_cannot_be_measured_before_opening_are_refused_on_the_web(people, name):
    with pytest.raises(Invalid, match="xlsx"):
        uploads.receive(user=people.bob, name=name, content=b"PK\x03\x04 anything")
    assert not Upload.objects.exists()


def test_too_many_uploads_at_once_are_refused(people):
    for _ in range(uploads.MAX_RUNNING):
        Upload.objects.create(user=people.bob, file_name="a.xlsx", size=1, sha256="0", content=b"x", state=UploadState.QUEUED)
    with pytest.raises(Invalid, match="đợi"):
        uploads.receive(user=people.bob, name="b.xlsx", content=b"x")


def test_a_write_job_delivered_twice_runs_once(people):
    item = Upload.objects.create(user=people.bob, file_name="a.xlsx", size=1, sha256="0", content=b"x", state=UploadState.APPLYING)
    Upload.objects.filter(pk=item.pk).update(state=UploadState.WRITING)  # the first delivery has claimed it
    assert uploads.run("apply", item.pk) == "skipped"


def test_a_job_lost_in_a_restart_is_marked_failed(people):
    now = timezone.now()
    lost = Upload.objects.create(user=people.bob, file_name="a.xlsx", size=1, sha256="0", content=b"x", state=UploadState.WRITING)
    fresh = Upload.objects.create(user=people.bob, file_name="b.xlsx", size=1, sha256="0", content=b"x", state=UploadState.CHECKING)
    Upload.objects.filter(pk=lost.pk).update(updated_at=now - timedelta(minutes=45))
    assert uploads.recover_stuck(now=now) == 1
    lost.refresh_from_db()
    fresh.refresh_from_db()
    assert (lost.state, fresh.state) == (UploadState.FAILED, UploadState.CHECKING)


def test_a_first_cause_written_by_two_people_is_a_conflict_not_a_500(people, monkeypatch):
    from nghiquyet.figures import causes
    from nghiquyet.figures.models import Cause
    from nghiquyet.lib.errors import Conflict
    from nghiquyet.lib.periods import parse_period

    real_filter = Cause.objects.select_for_update

    def racing():  # the other person's insert lands between our look and our insert
        Cause.objects.create(target=people.insurance, org_unit=people.ward_a, period="2022", kind="objective", text="theirs")
        monkeypatch.setattr(Cause.objects, "select_for_update", real_filter)
        return Cause.objects.none().select_for_update()

    monkeypatch.setattr(Cause.objects, "select_for_update", racing)
    with pytest.raises(Conflict):
        causes.set_cause(user=people.bob, target=people.insurance, org_unit=people.ward_a, period=parse_period("2022"),
                         kind="subjective", text="ours")  # (their row is in this test's transaction, rolled back with ours)


def test_a_ceiling_overshot_in_a_running_year_stays_not_met(demo):
    from unittest import mock

    from nghiquyet.figures.scorecard import build_scorecard
    from nghiquyet.figures.writes import record_result, set_plan
    from nghiquyet.lib.periods import parse_period
    from nghiquyet.orgunits.models import OrgUnit
    from nghiquyet.targets.models import Resolution, Target

    Resolution.objects.filter(key="ct-2021").update(term_end=2026)
    city, year = OrgUnit.objects.get(code="CT", valid_to__isnull=True), parse_period("2026")
    growth = Target.objects.get(resolution__key="ct-2021", code="18")  # a band, flow: 0,8–1 %
    set_plan(target=growth, org_unit=city, period=year, value=0.8, value_max=1)
    record_result(target=growth, org_unit=city, period=year, value=1.4)
    with mock.patch("django.utils.timezone.localdate", return_value=date(2026, 7, 2)):
        row = build_scorecard(resolution_key="ct-2021", org_code="CT", period="2026").rows[0]
    assert row.status == "not_met"


def test_a_party_report_marks_unapproved_figures(people):
    from nghiquyet.figures.scorecard import build_scorecard
    from nghiquyet.reports.content import report_content

    card = build_scorecard(resolution_key="ct-2021", org_code="CT-NK-TA", period="2022", include_drafts=True)
    content = report_content(card, day=date(2023, 1, 5))
    assert any("chưa duyệt" in row.actual for row in content.table)


def test_an_upload_page_post_without_a_file_is_a_message(client, people):
    client.force_login(people.bob)
    response = client.post("/tai-len/", {"file": SimpleUploadedFile("x.xlsx", io.BytesIO(b"").getvalue())}, follow=True)
    assert response.status_code == 200
