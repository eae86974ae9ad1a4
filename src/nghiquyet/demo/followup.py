"""The demo's follow-up: the conclusions of the 2021 review (issued January 2022) as a conclusion with items —
three department directors to appoint, public-investment disbursement, budget revenue, support for people and
businesses, a programme for Resolution 59-NQ/TW — a few done, some in progress, one overdue. Illustrative:
the number, dates, posts and progress are made up."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django.utils import timezone

from nghiquyet.followup import services
from nghiquyet.followup.models import Conclusion, Progress, TaskKind
from nghiquyet.orgunits.services import resolve
from nghiquyet.targets.models import Target

NUMBER = "Số 15-TB/TU (minh họa)"


def dated(report: Progress, day: date) -> None:
    """A demo progress report dated in 2022, when the story happens (the service dates reports when they are
    made; the demo loads years later)."""
    Progress.objects.filter(pk=report.pk).update(at=timezone.make_aware(datetime.combine(day, time(9, 0))))


def ensure_demo_conclusion(admin: Any) -> Conclusion:
    """Idempotent; `admin` is the demo's administrator of the city, who writes and owns the items."""
    found = Conclusion.objects.filter(number=NUMBER).first()
    if found is not None:
        return found
    from nghiquyet.review.models import ReviewCycle

    city = resolve(code="CT", on=date(2022, 1, 20))
    conclusion = services.create_conclusion(
        user=admin, org_unit=city, issuer="Ban Thường vụ Thành ủy Cần Thơ", number=NUMBER, issued_on=date(2022, 1, 20),
        meeting="Hội nghị kiểm điểm năm 2021 của Ban Thường vụ Thành ủy", cycle=ReviewCycle.objects.filter(key="ct-btv-2021").first(),
        text="Thông báo kết luận hội nghị kiểm điểm, đánh giá, xếp loại chất lượng năm 2021 (dữ liệu minh họa).", illustrative=True)

    def add(title: str, **fields: Any):
        return services.add_task(user=admin, conclusion=conclusion, lead_unit=city, title=title, owner=admin, **fields)

    health = add("Bổ nhiệm Giám đốc Sở Y tế", kind=TaskKind.VACANCY, post="Giám đốc Sở Y tế", vacant_since=date(2021, 10, 1),
                 planned_on=date(2022, 3, 31), deadline=date(2022, 3, 31))
    services.close_task(user=admin, task=health, evidence="Quyết định bổ nhiệm ngày 15/3/2022 (minh họa).", done_on=date(2022, 3, 15))
    education = add("Bổ nhiệm Giám đốc Sở Giáo dục và Đào tạo", kind=TaskKind.VACANCY, post="Giám đốc Sở Giáo dục và Đào tạo",
                    vacant_since=date(2021, 12, 1), planned_on=date(2022, 6, 30), deadline=date(2022, 6, 30))
    services.close_task(user=admin, task=education, evidence="Quyết định bổ nhiệm ngày 02/8/2022 (minh họa).", done_on=date(2022, 8, 2))
    finance = add("Bổ nhiệm Giám đốc Sở Tài chính", kind=TaskKind.VACANCY, post="Giám đốc Sở Tài chính", vacant_since=date(2021, 11, 15),
                  planned_on=date(2022, 9, 30), deadline=date(2022, 9, 30))
    dated(services.report_progress(user=admin, task=finance, text="Đang lấy ý kiến nhân sự (minh họa).", percent=60), date(2022, 9, 12))
    investment = Target.objects.filter(resolution__key="ct-dtc", code="DTC-01").first()  # the monthly year-to-date disbursement
    disbursement = add("Đẩy nhanh tiến độ giải ngân vốn đầu tư công", cadence="monthly", targets=[investment] if investment else [],
                       period="2022")
    dated(services.report_progress(user=admin, task=disbursement, text="Đến hết tháng 6 giải ngân 1.560 tỷ đồng, đạt 30,6% kế hoạch vốn "
                                   "năm (minh họa).", percent=30), date(2022, 7, 5))
    revenue = Target.objects.filter(resolution__key="ct-2021", code="03").first()
    budget = add("Tăng cường các giải pháp thu ngân sách nhà nước, chống thất thu", deadline=date(2022, 12, 31),
                 targets=[revenue] if revenue else [], period="2022")
    services.close_task(user=admin, task=budget, evidence="Thu ngân sách năm 2022 vượt dự toán (minh họa).", done_on=date(2022, 12, 31))
    support = add("Tiếp tục hỗ trợ người dân, doanh nghiệp phục hồi sau dịch COVID-19", cadence="quarterly")
    dated(services.report_progress(user=admin, task=support, text="Đã triển khai các gói hỗ trợ quý I (minh họa).", percent=30),
          date(2022, 4, 8))
    programme = add("Xây dựng chương trình hành động thực hiện Nghị quyết số 59-NQ/TW của Bộ Chính trị về xây dựng và phát triển "
                    "thành phố Cần Thơ", deadline=date(2022, 4, 30))
    services.close_task(user=admin, task=programme, evidence="Chương trình hành động đã ban hành (minh họa).", done_on=date(2022, 4, 25))
    return conclusion
