"""nghiquyet scorecard --resolution KEY --org CODE --period P [--format table|json|csv]"""

from __future__ import annotations

import json
from typing import Any

from rich.console import Console
from rich.table import Table

from nghiquyet.audit.commands import AuditedCommand
from nghiquyet.figures.scorecard import Scorecard, build_scorecard, csv_table
from nghiquyet.lib.commands import add_place_arguments
from nghiquyet.lib.export import csv_text
from nghiquyet.targets.rules import Status

STATUS_STYLES = {
    Status.EXCEEDED: "bold green",
    Status.MET: "green",
    Status.NEARLY_MET: "yellow",
    Status.NOT_MET: "bold red",
    Status.NO_DATA: "dim",
    Status.NO_PLAN: "dim",
    Status.IN_PROGRESS: "cyan",
}


class Command(AuditedCommand):
    help = "Bảng đánh giá chỉ tiêu của một nghị quyết tại một đơn vị trong một kỳ."

    def add_arguments(self, parser: Any) -> None:
        add_place_arguments(parser)
        parser.add_argument("--format", choices=["table", "json", "csv"], default="table")
        parser.add_argument("--drafts", action="store_true", help="tính cả số liệu chưa duyệt (được đánh dấu)")
        parser.add_argument("--lang", choices=["vi", "en"], default="vi", help="ngôn ngữ của bảng (vi mặc định)")

    def handle(self, *args: Any, **options: Any) -> None:
        self.lang = options["lang"]
        scorecard = build_scorecard(
            resolution_key=options["resolution"],
            org_code=options["org"],
            period=options["period"],
            include_drafts=options["drafts"],
            lang=options["lang"],
        )
        match options["format"]:
            case "json":
                self.stdout.write(json.dumps(scorecard.as_json(), ensure_ascii=False, indent=2))
            case "csv":
                self._write_csv(scorecard)  # raw numbers; cells that a spreadsheet would run are neutralised
            case _:
                self._write_table(scorecard)

    def _write_csv(self, scorecard: Scorecard) -> None:
        columns, rows = csv_table(scorecard)
        self.stdout.write(csv_text(columns, rows, bom=False, lineterminator="\n"), ending="")

    def _write_table(self, scorecard: Scorecard) -> None:
        words = TABLE_WORDS[scorecard.lang]
        console = Console(file=self.stdout, width=160 if not self.stdout.isatty() else None, highlight=False)
        resolution = scorecard.resolution
        console.print(f"[bold]{scorecard.sentence}[/bold]")
        console.print(
            f"{words['resolution']} {resolution.number} ({resolution.key}): {resolution.title}\n"
            f"{words['unit']}: {scorecard.org_unit.name} ({scorecard.org_unit.code}) — {words['period']}: {scorecard.period_label}"
        )
        if resolution.notice:
            console.print(f"[italic]{resolution.notice}[/italic]")
        table = Table(show_lines=False, header_style="bold")
        for title, justify in zip(words["columns"], ("left", "left", "left", "right", "right", "right", "left", "left"), strict=True):
            table.add_column(title, justify=justify)  # type: ignore[arg-type]
        for row in scorecard.rows:
            actual = row.actual_text + (f" {words['estimate']}" if row.kind == "estimate" else "")
            if row.state and row.state != "approved":
                actual += f" {words['draft']}"
            table.add_row(
                row.target.code,
                row.target.name + (" ★" if row.target.is_key else ""),
                row.target.unit,
                row.plan_text,
                actual,
                row.percent_text,
                f"[{STATUS_STYLES[row.status]}]{row.status_label}[/]",
                row.change_text,
            )
        console.print(table)
        console.print(words["legend"])


TABLE_WORDS = {
    "vi": {
        "resolution": "Nghị quyết",
        "unit": "Đơn vị",
        "period": "Kỳ",
        "columns": ("Mã", "Chỉ tiêu", "ĐVT", "Kế hoạch", "Thực hiện", "% KH", "Đánh giá", "So với cùng kỳ"),
        "estimate": "(ước)",
        "draft": "[chưa duyệt]",
        "legend": "★ chỉ tiêu chủ yếu; (ước) ước thực hiện, chưa có số chính thức.",
    },
    "en": {
        "resolution": "Resolution",
        "unit": "Unit",
        "period": "Period",
        "columns": ("Code", "Target", "Unit", "Plan", "Actual", "% of plan", "Status", "Change vs a year earlier"),
        "estimate": "(est.)",
        "draft": "[not approved]",
        "legend": "★ key target; (est.) estimate, no official figure yet.",
    },
}
