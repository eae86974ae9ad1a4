"""nghiquyet import FILE [--dry-run] [--locale vi|en] [--sheet NAME] [--lang vi|en]"""

from __future__ import annotations

import sys
from typing import Any

from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeRemainingColumn
from rich.progress import Progress as RichProgress

from nghiquyet.audit.commands import AuditedCommand
from nghiquyet.imports.importer import Progress, import_file


class TerminalProgress(Progress):
    """A progress bar on stderr, drawn only when stderr is a terminal."""

    def __init__(self) -> None:
        self._bar: RichProgress | None = None
        self._task: Any = None

    def start(self, label: str, total: int) -> None:
        if total < 20000 or not sys.stderr.isatty():
            return
        self._bar = RichProgress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(), transient=True
        )
        self._bar.start()
        self._task = self._bar.add_task(label, total=total)

    def advance(self, count: int) -> None:
        if self._bar is not None:
            self._bar.advance(self._task, count)

    def finish(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None


class Command(AuditedCommand):
    help = "Nhập đơn vị, nghị quyết, chỉ tiêu, kế hoạch, kết quả từ bảng tính .xlsx hoặc tệp CSV (tất cả hoặc không gì)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="tệp .xlsx hoặc .csv")
        parser.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra, báo những gì sẽ thay đổi, không ghi")
        parser.add_argument("--locale", choices=["vi", "en"], default="vi", help='cách viết số: vi "1.635,5" (mặc định), en "1,635.5"')
        parser.add_argument("--sheet", help="với CSV: loại dữ liệu (org_units, resolutions, targets, plans, results); với .xlsx: chỉ nhập sheet này")
        parser.add_argument("--lang", choices=["vi", "en"], default="vi", help="ngôn ngữ thông báo")

    def handle(self, *args: Any, **options: Any) -> None:
        self.lang = options["lang"]
        report = import_file(
            options["file"],
            dry_run=options["dry_run"],
            locale=options["locale"],
            sheet=options["sheet"],
            progress=TerminalProgress(),
        )
        for note in report.note_lines(self.lang):
            self.stderr.write(note)
        if not report.ok:
            for problem in report.problems:
                self.stderr.write(problem.text(self.lang))
            hidden = report.problem_count - len(report.problems)
            if hidden:
                self.stderr.write(f"… và {hidden} lỗi khác." if self.lang == "vi" else f"… and {hidden} more problems.")
            self.stderr.write(
                f"Không ghi gì: {report.problem_count} lỗi." if self.lang == "vi" else f"Nothing written: {report.problem_count} problems."
            )
            sys.exit(1)
        self.stdout.write(report.summary(self.lang))
        figures = report.created["plans"] + report.updated["plans"] + report.created["results"] + report.updated["results"]
        if figures and not report.dry_run:  # the command line is a trusted road (docs/decisions/0013-excel-template.md)
            self.stderr.write(  # a note beside the summary, as the skipped sheets and columns are
                "Số liệu nhập bằng dòng lệnh được ghi là đã duyệt (không qua bước nộp, duyệt)."
                if self.lang == "vi" else "Figures imported on the command line are stored as approved (no submit/approve step)."
            )
