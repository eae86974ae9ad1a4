"""nghiquyet audit [--since DATE] [--user U] [--action A] [--format table|csv|json]"""

from __future__ import annotations

import json
import sys
from datetime import date
from typing import Any

from django.db.models import Q
from django.utils import timezone

from nghiquyet.audit import wording
from nghiquyet.audit.commands import AuditedCommand
from nghiquyet.audit.services import events, field_labels, record
from nghiquyet.lib.errors import Invalid
from nghiquyet.lib.export import csv_text

COLUMNS = ["at", "actor", "via", "ip", "action", "object_type", "object_id", "summary", "old", "new"]


class Command(AuditedCommand):
    help = "In nhật ký thay đổi (mọi đơn vị; lệnh chạy trên máy chủ là quyền quản trị hệ thống)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--since", help="từ ngày YYYY-MM-DD")
        parser.add_argument("--user", help="người thực hiện: tên đăng nhập hoặc cli:TÊN")
        parser.add_argument("--action", help="create, update, delete, login, login_failed, import, export …")
        parser.add_argument("--format", choices=["table", "csv", "json"], default="table")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            since = date.fromisoformat(options["since"]) if options["since"] else None
        except ValueError:
            raise Invalid(f'Ngày "{options["since"]}" không hợp lệ; viết dạng 2026-01-31.') from None
        found = list(events(Q(), since=since, actor=options["user"], action=options["action"]).order_by("-at", "-id"))  # newest first
        rows = [
            [timezone.localtime(e.at).isoformat(), e.actor, e.via, e.ip or "", e.action, e.object_type, e.object_id, e.summary,
             json.dumps(e.old, ensure_ascii=False) if e.old is not None else "", json.dumps(e.new, ensure_ascii=False) if e.new is not None else ""]
            for e in found
        ]
        record("export", object_type="audit.auditevent", summary=f"nghiquyet audit {' '.join(sys.argv[2:])}"[:500])
        match options["format"]:
            case "json":
                self.stdout.write(json.dumps([dict(zip(COLUMNS, row, strict=True)) for row in rows], ensure_ascii=False, indent=2))
            case "csv":
                self.stdout.write(csv_text(COLUMNS, rows).lstrip("\ufeff"), ending="")
            case _:
                labels = field_labels(e.object_type for e in found)
                for e in found:  # as the web page: Vietnam's time with its offset, the event as a sentence
                    text = wording.describe(at=e.at, actor=e.actor, action=e.action, object_type=e.object_type, summary=e.summary,
                                            old=e.old, new=e.new, labels=labels.get(e.object_type, {}))
                    self.stdout.write(f"{text.when}  [{e.via}] {text.sentence()}")
