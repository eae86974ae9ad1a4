"""nghiquyet remind [--dry-run] [--now ISO-DATETIME] — send due reminders, grouped per owner (cron-friendly)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone

from nghiquyet.audit.commands import AuditedCommand
from nghiquyet.followup.reminders import by_owner, remind
from nghiquyet.lib.errors import Invalid


class Command(AuditedCommand):
    help = "Gửi nhắc việc đến hạn, quá hạn, đến kỳ báo cáo (mỗi việc một lần), gộp theo người phụ trách."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--dry-run", action="store_true", help="chỉ in ra, không gửi")
        parser.add_argument("--now", help="thời điểm giả định, ISO 8601 (vd 2022-07-01T08:00)")

    def handle(self, *args: Any, **options: Any) -> None:
        now = None
        if options["now"]:
            try:
                now = datetime.fromisoformat(options["now"])
            except ValueError:
                raise Invalid(f'Thời điểm "{options["now"]}" không hợp lệ; viết dạng 2022-07-01T08:00.', field="now") from None
            if timezone.is_naive(now):
                now = timezone.make_aware(now)
        sent, nobody = remind(now=now, dry_run=options["dry_run"])
        verb = "Sẽ gửi" if options["dry_run"] else "Đã gửi"
        for username, lines in by_owner(sent).items():
            self.stdout.write(f"{verb} cho {username}:")
            for line in lines:
                self.stdout.write(f"  {line}")
        for task in nobody:
            self.stdout.write(f"Chưa có người phụ trách: #{task.pk} {task.title}")
        if not sent and not nobody:
            self.stdout.write("Không có nhắc việc mới.")
