"""The review's pages: records only in a session verified with the second factor, for those the cycle names;
a vote through the page (once); mistakes shown as messages, never a 500; the results as XLSX and DOCX."""

from __future__ import annotations

import html
import io

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice
from docx import Document
from openpyxl import load_workbook

from nghiquyet.review import services
from nghiquyet.review.models import BallotCount, BallotParticipation, CycleRole

pytestmark = pytest.mark.django_db


def verified(user) -> Client:
    """A client signed in as `user` with a confirmed TOTP device, as the login form leaves a verified session."""
    client = Client(raise_request_exception=False)
    client.force_login(user)
    device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return client


def page(client: Client, key: str = "ct-btv-2021") -> str:
    response = client.get(f"/kiem-diem/{key}/")
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_records_need_the_second_factor(cycle, client):
    client.force_login(cycle.m2)
    html = page(client)
    assert 'id="two-factor-needed"' in html and 'id="ceiling"' not in html
    html = page(verified(cycle.m2))
    assert 'id="ceiling"' in html and "11/19" in html


def test_the_administrator_who_set_it_up_sees_the_frame_only(cycle):
    html = page(verified(cycle.people.alice))
    assert "Nguyễn Văn A" in html and 'id="frame-only"' in html and 'id="ceiling"' not in html
    assert verified(cycle.people.alice).get("/kiem-diem/ct-btv-2021/ket-qua.xlsx").status_code == 403
    assert "ct-btv-2021" in verified(cycle.people.alice).get("/kiem-diem/").content.decode()  # hers to set up


def test_a_stranger_does_not_learn_the_cycle_exists(cycle):
    assert verified(cycle.people.charlie).get("/kiem-diem/ct-btv-2021/").status_code == 404
    assert "ct-btv-2021" not in verified(cycle.people.charlie).get("/kiem-diem/").content.decode()


def test_a_vote_through_the_page_is_counted_once(cycle):
    for member in cycle.members:
        services.set_present(user=cycle.olga, member=member, present=True)
    question = services.open_question(user=cycle.olga, cycle=cycle.cycle)
    voter = verified(cycle.m2)
    assert 'class="vote-form"' in page(voter)
    response = voter.post(f"/kiem-diem/ct-btv-2021/bieu-quyet/{question.pk}/bo-phieu/", {"level": "good"}, follow=True)
    assert response.status_code == 200 and "Đã ghi nhận phiếu của bạn" in html.unescape(response.content.decode())
    again = voter.post(f"/kiem-diem/ct-btv-2021/bieu-quyet/{question.pk}/bo-phieu/", {"level": "excellent"}, follow=True)
    assert again.status_code == 200 and "Bạn đã bỏ phiếu cho câu hỏi này" in html.unescape(again.content.decode())
    assert BallotParticipation.objects.count() == 1 and sum(BallotCount.objects.values_list("count", flat=True)) == 1
    bad = voter.post("/kiem-diem/ct-btv-2021/bieu-quyet/999999/bo-phieu/", {"level": "good"})
    assert bad.status_code == 404
    nul = verified(cycle.m3).post(f"/kiem-diem/ct-btv-2021/bieu-quyet/{question.pk}/bo-phieu/", {"level": "go\x00od"})
    assert nul.status_code in (302, 400)


def test_the_wrong_role_is_refused_and_a_mistake_is_a_message(cycle):
    member = verified(cycle.m2)
    assert member.post("/kiem-diem/ct-btv-2021/quyet-dinh/", {"level": "good"}).status_code == 403
    decider = verified(cycle.dora)
    response = decider.post("/kiem-diem/ct-btv-2021/quyet-dinh/", {"level": "excellent"}, follow=True)
    assert response.status_code == 200 and "Mức cao nhất theo hồ sơ" in html.unescape(response.content.decode())
    response = decider.post("/kiem-diem/ct-btv-2021/quyet-dinh/", {"level": "good", "member": "abc"})
    assert response.status_code == 404


def test_the_results_download_as_xlsx_and_docx(cycle):
    services.grant(user=cycle.people.alice, cycle=cycle.cycle, to=cycle.dora, role=CycleRole.MEETING)
    services.decide(user=cycle.dora, cycle=cycle.cycle, level="good")
    client = verified(cycle.dora)
    xlsx = client.get("/kiem-diem/ct-btv-2021/ket-qua.xlsx")
    assert xlsx.status_code == 200 and xlsx["Cache-Control"] == "no-store"
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = [cell.value for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert "Ban Thường vụ (minh họa)" in values and "Hoàn thành tốt nhiệm vụ" in values and "Nguyễn Văn E" in values
    docx = client.get("/kiem-diem/ct-btv-2021/ket-qua.docx")
    document = Document(io.BytesIO(docx.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "BIÊN BẢN" in text and "Căn cứ Quy định 132-QĐ/TW" in text
    assert client.get("/kiem-diem/ct-btv-2021/ket-qua.pdf").status_code == 404


def test_the_collective_report_follows_the_party_layout_with_its_sections_and_the_ceiling(cycle):
    from nghiquyet.review import assessments

    assessments.save_assessment(user=cycle.m2, cycle=cycle.cycle, sections={"strengths": "Lãnh đạo hoàn thành nhiều nhiệm vụ (minh họa)."},
                                proposed_level="good", submit=True)
    response = verified(cycle.olga).get("/kiem-diem/ct-btv-2021/bao-cao.docx")
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in cells and "Cần Thơ, ngày" in cells and "T/M BAN THƯỜNG VỤ" in cells
    assert "Số    -BC/…" in cells.splitlines()
    assert "BÁO CÁO" in text and "đạt và vượt 11/19 chỉ tiêu" in text
    assert "Lãnh đạo hoàn thành nhiều nhiệm vụ (minh họa)." in text and "(Chưa có nội dung.)" in text
    assert "Tập thể tự xếp loại: Hoàn thành tốt nhiệm vụ." in text and "Mức cao nhất theo quy định" in text


def test_an_administrator_creates_a_cycle_on_the_page_and_a_mistake_creates_nothing(people):
    from nghiquyet.review.models import ReviewCycle

    admin = verified(people.alice)
    form = {"key": "ct-btv-2024", "title": "Kiểm điểm năm 2024", "org": "CT", "collective": "Ban Thường vụ", "year": "2024",
            "meeting_on": "2025-01-20"}
    response = admin.post("/kiem-diem/tao/", form | {"year": "20x4"}, follow=True)
    assert "Cần năm kiểm điểm" in html.unescape(response.content.decode()) and not ReviewCycle.objects.exists()
    response = admin.post("/kiem-diem/tao/", form | {"org": "ST"}, follow=True)  # Sóc Trăng is not hers
    assert 'Không tìm thấy đơn vị có mã "ST"' in html.unescape(response.content.decode()) and not ReviewCycle.objects.exists()
    assert "Sóc Trăng" not in html.unescape(response.content.decode())
    response = admin.post("/kiem-diem/tao/", form | {"key": "tao"}, follow=True)
    assert "dành cho trang của hệ thống" in html.unescape(response.content.decode()) and not ReviewCycle.objects.exists()
    response = admin.post("/kiem-diem/tao/", form | {"meeting_on": "20/01/2025"}, follow=True)
    assert "không hợp lệ" in html.unescape(response.content.decode()) and not ReviewCycle.objects.exists()
    response = admin.post("/kiem-diem/tao/", form)
    assert response.status_code == 302 and response["Location"] == "/kiem-diem/ct-btv-2024/"
    made = ReviewCycle.objects.get()
    assert made.rule_set == "qd-124-2023" and str(made.meeting_on) == "2025-01-20"


def test_members_and_roles_are_added_on_the_page(cycle):
    admin = verified(cycle.people.alice)
    response = admin.post("/kiem-diem/ct-btv-2021/thanh-vien/", {"name": "Lê Thị F", "position": "Ủy viên", "username": "nobody"}, follow=True)
    assert 'Không có người dùng "nobody"' in html.unescape(response.content.decode())
    admin.post("/kiem-diem/ct-btv-2021/thanh-vien/", {"name": "Lê Thị F", "position": "Ủy viên", "username": "charlie"})
    assert cycle.cycle.members.filter(name="Lê Thị F", user=cycle.people.charlie).exists()
    response = admin.post("/kiem-diem/ct-btv-2021/phan-cong/", {"username": "dana", "role": "boss"}, follow=True)
    assert 'Vai trò "boss" không có' in html.unescape(response.content.decode())
    admin.post("/kiem-diem/ct-btv-2021/phan-cong/", {"username": "dana", "role": "meeting"})
    assert page(verified(cycle.people.dana))  # named now: she sees the cycle


def test_the_appraiser_records_facts_and_a_checklist_that_move_the_ceiling(cycle):
    olga = verified(cycle.olga)
    response = olga.post("/kiem-diem/ct-btv-2021/thong-tin/", {"disunity": "maybe"}, follow=True)
    assert '"disunity": có, không hoặc để trống' in html.unescape(response.content.decode())
    olga.post("/kiem-diem/ct-btv-2021/thong-tin/", {"disunity": "no", "collective_disciplined": "no", "subordinate_units_disciplined_percent": "5"})
    cycle.cycle.refresh_from_db()
    assert cycle.cycle.facts["disunity"] is False and cycle.cycle.facts["subordinate_units_disciplined_share"] == "0.05"
    member = cycle.members[2]
    olga.post("/kiem-diem/ct-btv-2021/bieu-hien/", {"member": member.pk, "found": ["B4"]})
    assert services.checklist(member) == {"checked": 27, "found": ["B4"], "clear": False}
    shown = page(olga)
    assert "Buộc xếp" in shown and "B4" in shown  # a member found degraded: the collective cannot be rated completed
    response = olga.post("/kiem-diem/ct-btv-2021/bieu-hien/", {"member": member.pk, "found": ["Z9"]}, follow=True)
    assert "Không có biểu hiện Z9" in html.unescape(response.content.decode())


def test_a_rule_parameter_is_adjusted_for_one_cycle_and_the_checks_follow(cycle):
    from nghiquyet.audit.models import AuditEvent
    from nghiquyet.review.tally import cycle_rules

    admin = verified(cycle.people.alice)
    for bad, said in (({"rule": "quota", "parameter": "rounding", "value": "sideways"}, "floor, ceil hoặc round"),
                      ({"rule": "quota", "parameter": "test", "value": "1"}, 'không có tham số "test"'),
                      ({"rule": "nope", "parameter": "share", "value": "0.3"}, 'không có tham số "share"'),
                      ({"rule": "ballot", "parameter": "thresholds", "value": "{not json"}, "JSON")):
        response = admin.post("/kiem-diem/ct-btv-2021/dieu-chinh/", bad, follow=True)
        assert said in html.unescape(response.content.decode()), bad
    cycle.cycle.refresh_from_db()
    assert cycle.cycle.adjustments == {}
    admin.post("/kiem-diem/ct-btv-2021/dieu-chinh/", {"rule": "quota", "parameter": "rounding", "value": "round"})
    cycle.cycle.refresh_from_db()
    assert cycle_rules(cycle.cycle).rule("quota").params["rounding"] == "round"
    event = AuditEvent.objects.filter(action="review_adjust").first()
    assert event.old == {"value": "floor"} and event.new == {"value": "round"}
    admin.post("/kiem-diem/ct-btv-2021/dieu-chinh/", {"rule": "quota", "parameter": "rounding", "value": ""})  # back to the file's
    cycle.cycle.refresh_from_db()
    assert cycle.cycle.adjustments == {}
    assert verified(cycle.m2).post("/kiem-diem/ct-btv-2021/dieu-chinh/", {"rule": "quota", "parameter": "rounding", "value": "round"}).status_code == 403


def test_quarterly_scores_on_the_page_under_qd_366(cycle):
    cycle.cycle.rule_set = "qd-366-2025"
    cycle.cycle.save()
    olga = verified(cycle.olga)
    assert 'name="quarter_points"' in page(olga)
    response = olga.post("/kiem-diem/ct-btv-2021/thong-tin/", {"quarter_points": "40; 45; 50; 1000"}, follow=True)
    assert "từ 0 đến 100" in html.unescape(response.content.decode())
    olga.post("/kiem-diem/ct-btv-2021/thong-tin/", {"quarter_points": "40; 45,5; 50; 55"})
    cycle.cycle.refresh_from_db()
    assert cycle.cycle.facts["quarter_points"] == ["40", "45.5", "50", "55"]


@pytest.mark.parametrize(("body", "said"), [
    ({"rule": "quota", "parameter": "share", "value": "20%"}, "không dùng được"),
    ({"rule": "ballot", "parameter": "thresholds", "value": '{"excellent": 0.5}'}, "không dùng được"),
    ({"rule": "ballot", "parameter": "thresholds", "value": "[" * 5000 + "]" * 5000}, "JSON"),
])
def test_an_adjustment_the_engine_cannot_read_is_refused_and_the_page_still_opens(cycle, body, said):
    admin = verified(cycle.people.alice)
    response = admin.post("/kiem-diem/ct-btv-2021/dieu-chinh/", body, follow=True)
    assert response.status_code == 200 and said in html.unescape(response.content.decode())
    cycle.cycle.refresh_from_db()
    assert cycle.cycle.adjustments == {}
    assert verified(cycle.olga).get("/kiem-diem/ct-btv-2021/").status_code == 200


def test_the_rules_are_fixed_once_a_vote_is_taken(cycle):
    services.set_present(user=cycle.olga, member=cycle.members[1], present=True)
    services.open_question(user=cycle.olga, cycle=cycle.cycle)
    response = verified(cycle.people.alice).post("/kiem-diem/ct-btv-2021/dieu-chinh/", {"rule": "quota", "parameter": "rounding",
                                                                                        "value": "round"}, follow=True)
    assert "không điều chỉnh quy tắc" in html.unescape(response.content.decode())


def test_a_cycle_with_a_period_that_is_not_one_is_refused(people):
    from nghiquyet.review.models import ReviewCycle

    form = {"key": "ct-x", "title": "X", "org": "CT", "collective": "Ban Thường vụ", "year": "2021", "resolution": "ct-2021"}
    for period, said in (("abc", "không hợp lệ"), ("", "Cần kỳ"), ("2031", "nhiệm kỳ")):
        response = verified(people.alice).post("/kiem-diem/tao/", form | {"period": period}, follow=True)
        assert said in html.unescape(response.content.decode()), period
    assert not ReviewCycle.objects.exists()


def test_a_draft_is_refilled_and_saving_it_again_keeps_its_text(cycle):
    member = cycle.members[1]
    writer = verified(cycle.m2)
    writer.post("/kiem-diem/ct-btv-2021/tu-kiem-diem/", {"member": member.pk, "form": "2B", "strengths": "Ưu điểm đã viết", "version": ""})
    shown = page(writer)
    assert "Ưu điểm đã viết</textarea>" in shown and "I. Ưu điểm, kết quả đạt được" in shown
    from nghiquyet.review.models import SelfAssessment

    draft = SelfAssessment.objects.get(member=member)
    response = writer.post("/kiem-diem/ct-btv-2021/tu-kiem-diem/", {"member": member.pk, "form": "2B", "version": "", "strengths": "x"},
                           follow=True)
    assert "không có gì bị ghi đè" in html.unescape(response.content.decode())  # an empty form over an existing draft: refused
    draft.refresh_from_db()
    assert draft.sections["strengths"] == "Ưu điểm đã viết"


def test_a_qd_366_cycle_takes_its_basic_targets_and_the_raised_quota(people):
    from nghiquyet.review.models import ReviewCycle

    # Alice administers the city as it was until mid-2025: a 2024 cycle, under QĐ 366 by the administrator's choice
    form = {"key": "ct-2024", "title": "Kiểm điểm 2024", "org": "CT", "collective": "Ban Thường vụ", "year": "2024",
            "rule_set": "qd-366-2025", "resolution": "ct-2021", "period": "2021", "quota_raised": "1"}
    admin = verified(people.alice)
    response = admin.post("/kiem-diem/tao/", form | {"basic_targets": "01, 99"}, follow=True)
    assert "không có chỉ tiêu mã 99" in html.unescape(response.content.decode()) and not ReviewCycle.objects.exists()
    admin.post("/kiem-diem/tao/", form | {"basic_targets": "01, 03, 04, 02, 09"})
    made = ReviewCycle.objects.get()
    assert made.rule_set == "qd-366-2025" and made.rule_set_overridden and made.quota_raised
    assert made.basic_targets == ["01", "03", "04", "02", "09"]
