"""nghiquyet demo — migrate and load the illustrative Cần Thơ 2021 data (idempotent)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model

from nghiquyet.audit.commands import AuditedCommand
from nghiquyet.demo.followup import ensure_demo_conclusion
from nghiquyet.demo.loader import DEMO_PASSWORD, DEMO_PEOPLE, DEMO_USER, ensure_demo_user, load_demo
from nghiquyet.demo.review import CYCLE_KEY, ensure_demo_cycle


class Command(AuditedCommand):
    needs_schema = False  # it migrates first
    help = "Tạo cơ sở dữ liệu và nạp dữ liệu minh họa Cần Thơ năm 2021 (chạy lại không thay đổi gì)."

    def handle(self, *args: Any, **options: Any) -> None:
        report = load_demo()
        ensure_demo_user()
        admin = get_user_model().objects.get(username=DEMO_USER)
        ensure_demo_cycle(admin)
        ensure_demo_conclusion(admin)
        self.stdout.write(f"Dữ liệu minh họa Cần Thơ 2021: {report.summary()}")
        self.stdout.write(f"Tài khoản xem thử: {DEMO_USER} / {DEMO_PASSWORD}")
        for username, _code, _role, what in DEMO_PEOPLE:
            self.stdout.write(f"  và {username} / {DEMO_PASSWORD} ({what})")
        self.stdout.write(f"Kiểm điểm năm 2021 (minh họa): nghiquyet review tally {CYCLE_KEY}; "
                          "nghiquyet review ceiling --resolution ct-2021 --org CT --period 2021")
        self.stdout.write("Thực hiện kết luận năm 2022 (minh họa): nghiquyet tasks; nghiquyet tasks --overdue")
        self.stdout.write("Xem: nghiquyet serve (http://127.0.0.1:8000) hoặc nghiquyet scorecard --resolution ct-2021 --org CT --period 2021")
