"""nghiquyet rollups --rebuild [--resolution KEY]: recompute the store of roll-ups from the approved figures."""

from __future__ import annotations

from typing import Any

from nghiquyet.audit.commands import AuditedCommand
from nghiquyet.audit.services import record
from nghiquyet.figures.rollups import rebuild
from nghiquyet.targets.services import get_resolution


class Command(AuditedCommand):
    help = ("Tính lại toàn bộ số tổng hợp từ cấp dưới (sau khi sắp xếp lại đơn vị, hoặc để sửa kho tổng hợp). "
            "Số tổng hợp vốn được cập nhật ngay khi ghi số liệu; lệnh này chỉ cần khi cây đơn vị thay đổi.")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--rebuild", action="store_true", required=True, help="tính lại từ đầu")
        parser.add_argument("--resolution", default="", help="chỉ các chỉ tiêu của nghị quyết này (khóa)")

    def handle(self, *args: Any, **options: Any) -> None:
        targets = None
        if options["resolution"]:
            resolution = get_resolution(key=options["resolution"])
            targets = list(resolution.targets.all())
        written = rebuild(targets=targets)
        record("rollups", summary=f"tính lại số tổng hợp{' của ' + options['resolution'] if options['resolution'] else ''}: {written} dòng")
        self.stdout.write(f"Đã tính lại số tổng hợp từ cấp dưới: {written} dòng thay đổi.")
