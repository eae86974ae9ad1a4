"""nghiquyet tasks [--org CODE] [--overdue] [--owner USER] --format table|json|csv"""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from nghiquyet.audit.commands import AuditedCommand
from nghiquyet.followup.reads import tasks
from nghiquyet.followup.rules import deadline_text
from nghiquyet.lib.errors import NotFound
from nghiquyet.lib.export import csv_text
from nghiquyet.orgunits.models import OrgUnit

COLUMNS = ["id", "title", "lead_unit", "owner", "deadline", "status", "conclusion", "targets"]


class Command(AuditedCommand):
    help = "Nhiệm vụ theo dõi thực hiện kết luận: theo đơn vị, người phụ trách, quá hạn."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--org", help="mã đơn vị chủ trì (gồm cả đơn vị trực thuộc; mọi đơn vị từng mang mã này)")
        parser.add_argument("--overdue", action="store_true", help="chỉ nhiệm vụ quá hạn")
        parser.add_argument("--owner", help="tên đăng nhập người phụ trách")
        parser.add_argument("--format", choices=["table", "json", "csv"], default="table")

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        unit = None
        if options["org"]:
            unit = list(OrgUnit.objects.filter(code=options["org"].strip()))
            if not unit:
                raise NotFound(f'Không tìm thấy đơn vị có mã "{options["org"]}".', en=f'No org unit with code "{options["org"]}".', field="org")
        owner = None
        if options["owner"]:
            owner = get_user_model().objects.filter(username=options["owner"]).first()
            if owner is None:
                raise NotFound(f'Không có người dùng "{options["owner"]}".', en=f'No user "{options["owner"]}".', field="owner")
        rows = tasks(today=today, org_unit=unit, owner=owner, overdue=options["overdue"])
        data = [row.as_json() for row in rows]
        match options["format"]:
            case "json":
                self.stdout.write(json.dumps([{key: item[key] for key in COLUMNS} for item in data], ensure_ascii=False, indent=2))
            case "csv":
                table = [[item[key] if key != "targets" else " ".join(item[key]) for key in COLUMNS] for item in data]
                self.stdout.write(csv_text(COLUMNS, table, bom=False, lineterminator="\n"), ending="")
            case _:
                deadlines = [deadline_text(row.task.deadline, row.task.cadence) for row in rows]
                width = max(map(len, deadlines), default=10)
                for row, item, deadline in zip(rows, data, deadlines, strict=True):
                    self.stdout.write(f"#{item['id']:<4} {deadline:<{width}} {row.status_label:<16} {item['lead_unit']:<10} "
                                      f"{item['owner'] or '—':<12} {item['title']}")
                if not rows:
                    self.stdout.write("Không có nhiệm vụ nào.")
