"""nghiquyet conclusion add --org CODE --issuer TEXT --number TEXT --date YYYY-MM-DD [--meeting TEXT] [--text TEXT]
                          [--cycle KEY] [--items FILE.xlsx] --as USERNAME
nghiquyet conclusion items ID FILE.xlsx --as USERNAME
nghiquyet conclusion form -o FILE.xlsx
nghiquyet conclusion list [--format table|json]

A conclusion and its items from the office's workbook (followup.workbook), with the rights of the person named
by --as (an approver or administrator of the conclusion's unit); all or nothing."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from django.db import transaction

from nghiquyet.accounts import services as accounts
from nghiquyet.audit.commands import AuditedCommand
from nghiquyet.followup import services
from nghiquyet.followup.models import Conclusion
from nghiquyet.followup.workbook import form_workbook, import_items
from nghiquyet.lib.errors import Invalid, NotFound
from nghiquyet.orgunits.services import resolve


class Command(AuditedCommand):
    help = "Kết luận (thông báo kết luận) và các nhiệm vụ của nó, nhập từ bảng tính."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="thêm một kết luận (và các nhiệm vụ từ bảng tính)")
        add.add_argument("--org", required=True, help="mã đơn vị ban hành kết luận")
        add.add_argument("--issuer", required=True, help='cơ quan ban hành, ví dụ "Ban Thường vụ Thành ủy"')
        add.add_argument("--number", required=True, help='số, ký hiệu, ví dụ "Số 15-TB/TU"')
        add.add_argument("--date", required=True, help="ngày ban hành, dạng 2022-01-20")
        add.add_argument("--meeting", default="", help="hội nghị, cuộc họp")
        add.add_argument("--text", default="", help="nội dung tóm tắt")
        add.add_argument("--cycle", default="", help="khóa đợt kiểm điểm mà kết luận rút ra từ đó")
        add.add_argument("--items", default="", help="bảng tính các nhiệm vụ (mẫu: nghiquyet conclusion form)")
        add.add_argument("--as", dest="as_user", required=True, help="tên đăng nhập người ban hành (quyền của người này được áp dụng)")
        items = sub.add_parser("items", help="thêm nhiệm vụ từ bảng tính vào một kết luận")
        items.add_argument("conclusion", type=int)
        items.add_argument("file")
        items.add_argument("--as", dest="as_user", required=True, help="tên đăng nhập người viết kết luận")
        form = sub.add_parser("form", help="ghi mẫu bảng tính nhiệm vụ")
        form.add_argument("-o", "--output", required=True)
        listing = sub.add_parser("list", help="các kết luận")
        listing.add_argument("--format", choices=["table", "json"], default="table")

    def handle(self, *args: Any, **options: Any) -> None:
        match options["action"]:
            case "form":
                Path(options["output"]).write_bytes(form_workbook())
                self.stdout.write(f"Đã ghi mẫu {options['output']}.")
            case "list":
                self._list(options["format"])
            case "add":
                self._add(options)
            case "items":
                user = accounts.get_user(username=options["as_user"])
                conclusion = Conclusion.objects.select_related("org_unit").filter(pk=options["conclusion"]).first()
                if conclusion is None:
                    raise NotFound(f"Không có kết luận #{options['conclusion']}.", en=f"No conclusion #{options['conclusion']}.")
                made = import_items(user=user, conclusion=conclusion, name=options["file"], content=_read(options["file"]))
                self.stdout.write(f"Đã thêm {len(made)} nhiệm vụ vào {conclusion.number}.")

    def _add(self, options: dict[str, Any]) -> None:
        user = accounts.get_user(username=options["as_user"])
        try:
            issued_on = date.fromisoformat(options["date"])
        except ValueError:
            raise Invalid(f'Ngày "{options["date"]}" không hợp lệ; viết dạng 2022-01-20.', field="date") from None
        cycle = None
        if options["cycle"]:
            from nghiquyet.review.models import ReviewCycle

            cycle = ReviewCycle.objects.filter(key=options["cycle"]).first()
            if cycle is None:
                raise NotFound(f'Không có đợt kiểm điểm "{options["cycle"]}".', field="cycle")
        content = _read(options["items"]) if options["items"] else None
        with transaction.atomic():  # the conclusion with its items, or nothing
            conclusion = services.create_conclusion(user=user, org_unit=resolve(code=options["org"], on=issued_on), issuer=options["issuer"],
                                                    number=options["number"], issued_on=issued_on, meeting=options["meeting"],
                                                    text=options["text"], cycle=cycle)
            made = import_items(user=user, conclusion=conclusion, name=options["items"], content=content) if content is not None else []
        self.stdout.write(f"Đã thêm kết luận #{conclusion.pk} {conclusion.number} với {len(made)} nhiệm vụ.")

    def _list(self, fmt: str) -> None:
        found = Conclusion.objects.select_related("org_unit").order_by("-issued_on", "pk")
        data = [{"id": c.pk, "number": c.number, "issuer": c.issuer, "issued_on": c.issued_on.isoformat(), "org_unit": c.org_unit.code,
                 "tasks": c.tasks.count()} for c in found]
        if fmt == "json":
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        for item in data:
            self.stdout.write(f"#{item['id']:<4} {item['issued_on']}  {item['org_unit']:<8} {item['tasks']:>3} nhiệm vụ  {item['number']}")
        if not data:
            self.stdout.write("Chưa có kết luận nào.")


def _read(name: str) -> bytes:
    path = Path(name)
    if not path.is_file():
        raise NotFound(f"Không tìm thấy tệp {name}.", en=f"File {name} not found.", field="file")
    return path.read_bytes()
