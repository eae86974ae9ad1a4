"""nghiquyet report --resolution KEY --org CODE --period P --format docx|pdf|xlsx|md -o FILE [--date YYYY-MM-DD] [--issuer …]"""

from __future__ import annotations

from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from django.utils import timezone

from nghiquyet.audit.commands import AuditedCommand
from nghiquyet.figures.scorecard import build_scorecard
from nghiquyet.lib.commands import add_place_arguments
from nghiquyet.lib.errors import Invalid
from nghiquyet.reports.content import report_content, report_parts
from nghiquyet.reports.documents import DOCUMENT_FORMATS
from nghiquyet.reports.docx import render_docx
from nghiquyet.reports.markdown import markdown
from nghiquyet.reports.office_templates import check_template
from nghiquyet.reports.register import issue
from nghiquyet.reports.xlsx import report_workbook

FORMATS = {"md": markdown, "xlsx": None} | {name: each.render for name, each in DOCUMENT_FORMATS.items()}  # xlsx: with the units below


class Command(AuditedCommand):
    help = "Báo cáo kết quả thực hiện nghị quyết của một đơn vị trong một kỳ (DOCX, PDF theo thể thức văn bản của Đảng; XLSX; Markdown)."

    def add_arguments(self, parser: Any) -> None:
        add_place_arguments(parser)
        parser.add_argument("--format", choices=sorted(FORMATS), default="md")
        parser.add_argument("-o", "--output", help="tệp sẽ ghi (mặc định: in ra màn hình)")
        parser.add_argument("--date", help="ngày của báo cáo YYYY-MM-DD (mặc định: hôm nay)")
        parser.add_argument("--issuer", default="", help="cơ quan ban hành, ví dụ \"Thành ủy Cần Thơ\" (mặc định: của nghị quyết)")
        parser.add_argument("--superior", default="", help="cấp trên của cơ quan ban hành, ví dụ \"Đảng bộ thành phố Cần Thơ\"")
        parser.add_argument("--number", default="", help='số và ký hiệu, ví dụ "Số 12-BC/TU"')
        parser.add_argument("--place", default="", help="địa danh ghi ngày tháng (mặc định: tên đơn vị)")
        parser.add_argument("--signer", default="", help="họ tên người ký")
        parser.add_argument("--authority", default="", help='thẩm quyền ký (mặc định "T/M BAN THƯỜNG VỤ")')
        parser.add_argument("--office", default="", help='chức vụ người ký (mặc định "BÍ THƯ")')
        parser.add_argument("--recipient", action="append", default=[], help="nơi nhận (lặp lại cho nhiều nơi)")
        parser.add_argument("--secret", action="store_true", help='đóng dấu "MẬT"')
        parser.add_argument("--template", default="", help="mẫu Word (.docx) của cơ quan thay cho mẫu chuẩn (chỉ với --format docx)")
        parser.add_argument("--drafts", action="store_true", help="tính cả số liệu chưa duyệt")
        parser.add_argument("--issue", action="store_true",
                            help="ban hành: lấy số tiếp theo trong sổ (theo cơ quan, loại, nhiệm kỳ) và lưu nguyên bản (docx, pdf)")
        parser.add_argument("--body", default="", help="ký hiệu cơ quan ban hành khi --issue, ví dụ TU")
        parser.add_argument("--term", default="", help="nhiệm kỳ của cấp ủy khi --issue, ví dụ 2020-2025 (mặc định: của nghị quyết)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            day = date.fromisoformat(options["date"]) if options["date"] else timezone.localdate()
        except ValueError:
            raise Invalid(f'Ngày "{options["date"]}" không hợp lệ; viết dạng 2022-01-17.', field="date") from None
        scorecard = build_scorecard(resolution_key=options["resolution"], org_code=options["org"], period=options["period"],
                                    include_drafts=options["drafts"])
        parts = report_parts(scorecard, today=day, include_drafts=options["drafts"])
        formats = dict(FORMATS)
        if options["template"]:
            formats["docx"] = self._office_template(options)
        def content_with(number: str):
            return report_content(scorecard, day=day, issuer=options["issuer"], superior=options["superior"],
                                  number=number, place=options["place"], signer=options["signer"],
                                  authority=options["authority"], office=options["office"],
                                  recipients=tuple(options["recipient"]), secret=options["secret"], **parts)

        if options["issue"]:
            self._issue(options, scorecard, content_with, formats)
            return
        content = content_with(options["number"])
        if options["format"] == "xlsx":
            written = report_workbook(content, scorecard, parts["children"], parts["cumulative"])
        else:
            written = formats[options["format"]](content)
        if not options["output"]:
            if isinstance(written, bytes):
                raise Invalid(f"Tệp {options['format'].upper()} cần nơi ghi: thêm -o TỆP.{options['format']}.",
                              en=f"A {options['format'].upper()} needs a file: add -o FILE.{options['format']}.", field="output")
            self.stdout.write(written, ending="")
            return
        output = Path(options["output"])
        try:
            output.write_bytes(written) if isinstance(written, bytes) else output.write_text(written, encoding="utf-8")
        except OSError as error:
            raise Invalid(f"Không ghi được {output}: {error.strerror}.", en=f"Cannot write {output}: {error.strerror}.") from None
        self.stdout.write(f"Đã ghi {output}.")

    def _office_template(self, options: dict) -> Any:
        """The docx renderer with an office's template, checked first as an upload would be."""
        if options["format"] != "docx":
            raise Invalid("--template chỉ dùng với --format docx.", en="--template goes with --format docx only.", field="template")
        try:
            data = Path(options["template"]).read_bytes()
        except OSError as error:
            raise Invalid(f"Không đọc được {options['template']}: {error.strerror}.", en=f"Cannot read {options['template']}.",
                          field="template") from None
        check_template(data)
        return partial(render_docx, template=data)

    def _issue(self, options: dict, scorecard: Any, content_with: Any, formats: dict) -> None:
        if options["format"] not in ("docx", "pdf") or not options["output"]:
            raise Invalid("Ban hành (--issue) cần --format docx hoặc pdf và -o TỆP.", en="--issue needs --format docx or pdf and -o FILE.",
                          field="format")
        resolution = scorecard.resolution
        term = options["term"] or (f"{resolution.term_start}-{resolution.term_end}" if resolution.term_start else "")
        document = issue(content=content_with, render=formats[options["format"]], file_format=options["format"],
                         body=options["body"], term=term, resolution=resolution, org_unit=scorecard.org_unit,
                         period=scorecard.period.code)
        Path(options["output"]).write_bytes(bytes(document.content))
        self.stdout.write(f"Đã ban hành {document.symbol} và ghi {options['output']}.")
