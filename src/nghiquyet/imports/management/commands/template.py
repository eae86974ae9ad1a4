"""nghiquyet template --resolution KEY --org CODE --period P -o FILE.xlsx"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from nghiquyet.audit.commands import AuditedCommand
from nghiquyet.figures.entry import entry_sheet
from nghiquyet.figures.scorecard import locate
from nghiquyet.imports.template import template_workbook
from nghiquyet.lib.commands import add_place_arguments
from nghiquyet.lib.errors import Invalid
from nghiquyet.targets.services import get_resolution


class Command(AuditedCommand):
    help = "Tạo mẫu nhập kết quả (.xlsx) của một đơn vị trong một kỳ: điền rồi nhập lại bằng nghiquyet import."

    def add_arguments(self, parser: Any) -> None:
        add_place_arguments(parser)
        parser.add_argument("-o", "--output", required=True, help="tệp .xlsx sẽ ghi")
        parser.add_argument("--lang", choices=["vi", "en"], default="vi", help="ngôn ngữ thông báo")

    def handle(self, *args: Any, **options: Any) -> None:
        self.lang = options["lang"]
        output = Path(options["output"])
        if output.suffix.lower() != ".xlsx":
            raise Invalid(f'Tệp ra phải có đuôi .xlsx: "{output}".', en=f'The output must end in .xlsx: "{output}".', field="output")
        resolution = get_resolution(key=options["resolution"])
        unit, period = locate(resolution=resolution, org_code=options["org"], period=options["period"])
        sheet = entry_sheet(resolution=resolution, org_unit=unit, period=period, user=None)
        try:
            output.write_bytes(template_workbook(sheet))
        except OSError as error:
            raise Invalid(f"Không ghi được {output}: {error.strerror}.", en=f"Cannot write {output}: {error.strerror}.") from None
        count = len(sheet.rows)
        self.stdout.write(
            f"Đã ghi {output}: {count} chỉ tiêu của {unit.code}, kỳ {period.code}."
            if self.lang == "vi" else f"Wrote {output}: {count} targets of {unit.code}, period {period.code}."
        )
