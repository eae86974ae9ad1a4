"""nghiquyet run-jobs [--list] [--only NAME …] [--force]: run the scheduled jobs that are due (for cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError

from nghiquyet.audit.commands import AuditedCommand
from nghiquyet.schedule.models import JobRun
from nghiquyet.schedule.registry import discover
from nghiquyet.schedule.runner import run_due


class Command(AuditedCommand):
    help = "Chạy các việc định kỳ đến hạn (đặt trong cron, ví dụ 5 phút một lần)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--list", action="store_true", help="liệt kê các việc và lần chạy gần nhất")
        parser.add_argument("--only", action="append", default=[], metavar="NAME", help="chỉ chạy việc này")
        parser.add_argument("--force", action="store_true", help="chạy cả khi chưa đến hạn")

    def handle(self, *args: Any, **options: Any) -> None:
        jobs = discover()
        unknown = [name for name in options["only"] if name not in jobs]
        if unknown:
            raise CommandError(f"không có việc định kỳ {', '.join(unknown)}; xem: nghiquyet run-jobs --list")
        if options["list"]:
            last = {run.name: run for run in JobRun.objects.all()}
            for name, job in sorted(jobs.items()):
                run = last.get(name)
                when = run.started_at.isoformat(timespec="seconds") if run and run.started_at else "chưa chạy"
                self.stdout.write(f"{name}\tmỗi {job.every}\t{when}\t{job.doc}")
            return
        chosen = [jobs[name] for name in options["only"]] if options["only"] else list(jobs.values())
        failed = False
        for outcome in run_due(chosen, force=options["force"]):
            if not outcome.ran:
                self.stdout.write(f"{outcome.name}: chưa đến hạn")
                continue
            failed |= not outcome.succeeded
            self.stdout.write(f"{outcome.name}: {'xong' if outcome.succeeded else 'LỖI'} {outcome.message}".rstrip())
        if failed:
            raise CommandError("có việc định kỳ bị lỗi (xem ở trên)")
