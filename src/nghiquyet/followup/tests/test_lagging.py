"""Open tasks beside the targets that lag (scorecard, reports), the calendar-like grouping, a unit's follow-up
summary for its dashboard (vacancies), and the monthly running totals of a year-to-date target (disbursement)."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command

from nghiquyet.figures.dashboard import cumulative_of, dashboard_seen_by
from nghiquyet.figures.scorecard import build_scorecard
from nghiquyet.followup import services
from nghiquyet.followup.models import TaskKind
from nghiquyet.followup.reads import by_month, lagging_tasks, open_tasks_by_target, summary_of, tasks
from nghiquyet.reports.content import report_content
from nghiquyet.reports.markdown import markdown
from nghiquyet.targets.models import Target

TODAY = date(2023, 2, 1)


@pytest.fixture
def conclusion(people):
    return services.create_conclusion(user=people.alice, org_unit=people.city, issuer="Ban Thường vụ", number="Số 1-TB/TU",
                                      issued_on=date(2022, 1, 20))


def disbursement() -> Target:
    return Target.objects.get(resolution__key="ct-dtc", code="DTC-01")


def test_open_tasks_sit_beside_the_targets_that_lag_and_only_those(people, conclusion):
    target = disbursement()
    card = build_scorecard(resolution_key="ct-dtc", org_code="CT", period="2022")
    assert card.rows[0].status == "not_met"  # 4.640 of 5.100
    mine = services.add_task(user=people.alice, conclusion=conclusion, lead_unit=people.city, title="Đẩy nhanh giải ngân",
                             cadence="monthly", targets=[target], owner=people.alice)
    ward = services.add_task(user=people.alice, conclusion=conclusion, lead_unit=people.ward_a, title="Giải ngân ở phường",
                             deadline=date(2022, 12, 31), targets=[target], owner=people.bob)
    done = services.add_task(user=people.alice, conclusion=conclusion, lead_unit=people.city, title="Việc đã xong", targets=[target],
                             deadline=date(2022, 6, 30))
    services.close_task(user=people.alice, task=done, evidence="xong", done_on=date(2022, 6, 1))
    services.add_task(user=people.alice, conclusion=conclusion, lead_unit=people.city, title="Không gắn chỉ tiêu", deadline=date(2022, 6, 30))
    found = lagging_tasks(card, today=TODAY)
    assert [row.task.title for row in found[target.pk]] == ["Giải ngân ở phường", "Đẩy nhanh giải ngân"]  # overdue first
    assert found[target.pk][0].status == "overdue"
    # a ward's reader sees its own task only; a reader of another ward none
    assert [row.task.pk for row in lagging_tasks(card, today=TODAY, user=people.bob)[target.pk]] == [ward.pk]
    assert lagging_tasks(card, today=TODAY, user=people.dana) == {}
    # the ward's scorecard would show the ward's task, not the city's
    assert [row.task.pk for row in open_tasks_by_target(targets=[target], org_unit=people.ward_a, today=TODAY)[target.pk]] == [ward.pk]
    services.close_task(user=people.alice, task=mine, evidence="đạt", done_on=date(2023, 1, 5))
    assert [row.task.pk for row in lagging_tasks(card, today=TODAY)[target.pk]] == [ward.pk]


def test_a_target_met_shows_no_task_even_if_one_is_open(people, conclusion):
    members = Target.objects.get(resolution__key="ct-2021", code="19")  # 1.635 = 102%: exceeded
    services.add_task(user=people.alice, conclusion=conclusion, lead_unit=people.city, title="Kết nạp thêm", targets=[members],
                      deadline=date(2022, 12, 31))
    card = build_scorecard(resolution_key="ct-2021", org_code="CT", period="2021")
    assert members.pk not in lagging_tasks(card, today=TODAY)


def test_the_report_lists_open_tasks_in_its_own_section(people, conclusion):
    target = disbursement()
    card = build_scorecard(resolution_key="ct-dtc", org_code="CT", period="2022")
    assert "III. NHIỆM VỤ" not in markdown(report_content(card, day=TODAY, tasks=lagging_tasks(card, today=TODAY)))
    services.add_task(user=people.alice, conclusion=conclusion, lead_unit=people.city, title="Đẩy nhanh giải ngân", cadence="monthly",
                      targets=[target])
    text = markdown(report_content(card, day=TODAY, tasks=lagging_tasks(card, today=TODAY)))
    assert "## III. NHIỆM VỤ KHẮC PHỤC CÁC CHỈ TIÊU CHƯA ĐẠT" in text
    assert ("- DTC-01. Giải ngân vốn đầu tư công (lũy kế từ đầu năm): Đẩy nhanh giải ngân (chủ trì: Thành phố Cần Thơ; "
            "thời hạn: thường xuyên, hằng tháng; chưa thực hiện, 0%).") in text
    out = io.StringIO()  # the command line reads the same tasks
    call_command("report", "--resolution", "ct-dtc", "--org", "CT", "--period", "2022", "--format", "md", stdout=out)
    assert "Đẩy nhanh giải ngân (chủ trì" in out.getvalue()


def test_the_report_s_documents_carry_the_section(people, conclusion, tmp_path):
    from docx import Document
    from openpyxl import load_workbook

    services.add_task(user=people.alice, conclusion=conclusion, lead_unit=people.city, title="Đẩy nhanh giải ngân", cadence="monthly",
                      targets=[disbursement()])
    for fmt in ("docx", "xlsx"):
        call_command("report", "--resolution", "ct-dtc", "--org", "CT", "--period", "2022", "--format", fmt, "-o", str(tmp_path / f"r.{fmt}"))
    paragraphs = [p.text for p in Document(str(tmp_path / "r.docx")).paragraphs]
    assert "III. NHIỆM VỤ KHẮC PHỤC CÁC CHỈ TIÊU CHƯA ĐẠT" in paragraphs
    assert any(p.startswith("- DTC-01. Giải ngân vốn đầu tư công") and "Đẩy nhanh giải ngân" in p for p in paragraphs)
    assert not any("{%" in p or "{{" in p for p in paragraphs)
    sheet = load_workbook(tmp_path / "r.xlsx")["Nhiệm vụ khắc phục"]
    assert [c.value for c in sheet[2]] == ["DTC-01. Giải ngân vốn đầu tư công (lũy kế từ đầu năm)", "Đẩy nhanh giải ngân",
                                          "Thành phố Cần Thơ", "thường xuyên, hằng tháng", "Chưa thực hiện", "0%"]


def test_tasks_by_the_month_they_fall_due(people, conclusion):
    def add(title, **when):
        return services.add_task(user=people.alice, conclusion=conclusion, lead_unit=people.city, title=title, **when)

    add("Tháng sáu, sau", deadline=date(2022, 6, 30))
    add("Thường xuyên", cadence="quarterly")
    add("Tháng ba", deadline=date(2022, 3, 15))
    add("Tháng sáu, trước", deadline=date(2022, 6, 1))
    months = by_month(tasks(today=date(2022, 6, 15)))
    assert [(m.first, [r.task.title for r in m.rows]) for m in months] == [
        (date(2022, 3, 1), ["Tháng ba"]), (date(2022, 6, 1), ["Tháng sáu, trước", "Tháng sáu, sau"]), (None, ["Thường xuyên"])]
    assert [m.overdue for m in months] == [1, 1, 0]
    assert by_month([]) == []


def test_a_unit_s_summary_counts_the_posts_still_vacant(people, conclusion):
    def vacancy(post, **more):
        return services.add_task(user=people.alice, conclusion=conclusion, lead_unit=people.city, title=f"Bổ nhiệm {post}",
                                 kind=TaskKind.VACANCY, post=post, deadline=date(2022, 9, 30), **more)

    vacancy("Giám đốc Sở Y tế")
    filled = vacancy("Giám đốc Sở Tài chính")
    services.close_task(user=people.alice, task=filled, evidence="Quyết định bổ nhiệm", done_on=date(2022, 8, 1))
    cancelled = vacancy("Giám đốc Sở Xây dựng")
    services.cancel_task(user=people.alice, task=cancelled, reason="Sáp nhập sở")
    summary = summary_of(org_unit=people.city, today=TODAY)
    assert (len(summary.vacancies), len(summary.vacant), summary.filled, summary.overdue, summary.open) == (2, 1, 1, 1, 1)
    assert summary.vacant[0].task.post == "Giám đốc Sở Y tế"
    assert summary_of(org_unit=people.city, today=TODAY, user=people.dana).vacancies == []  # not theirs to see


def test_the_running_total_of_a_year_against_its_plan_and_the_year_before(people):
    board = dashboard_seen_by(user=people.alice, resolution=disbursement().resolution, org_code="CT", period="2022")
    (seen,) = board.cumulative
    assert (seen.year, seen.latest, seen.totals[-1], seen.plan, seen.before[-1], seen.before_plan) == (
        2022, 12, Decimal(4640), Decimal(5100), Decimal(3950), Decimal(4200))
    assert seen.sentence == ("Lũy kế đến hết tháng 12/2022: 4.640 tỷ đồng, đạt 90,98% kế hoạch năm (5.100 tỷ đồng); cùng kỳ năm 2021 "
                             "đạt 94,05% kế hoạch năm (giảm 3,07 điểm %).")
    june = build_scorecard(resolution_key="ct-dtc", org_code="CT", period="2022-Q2")  # a period ending in June: up to June
    (half,) = cumulative_of(scorecard=june, targets=[disbursement()], seen_by=people.alice)
    assert (len(half.totals), half.latest, half.totals[-1], half.before[-1]) == (6, 6, Decimal(1560), Decimal(1480))
    budget = Target.objects.get(resolution__key="ct-2021", code="03")  # a flow reported by year only: no monthly figure, no panel
    assert cumulative_of(scorecard=build_scorecard(resolution_key="ct-2021", org_code="CT", period="2021"), targets=[budget],
                         seen_by=people.alice) == ()
