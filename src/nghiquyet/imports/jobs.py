"""Scheduled work of the imports (nghiquyet run-jobs)."""

from __future__ import annotations

from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from nghiquyet.imports.uploads import forget_old, recover_stuck
from nghiquyet.schedule.registry import job


@job(every=timedelta(days=1))
def forget_old_uploads() -> str:
    """Remove uploads not written within 7 days and written ones after 90, and the task queue's old results."""
    gone = forget_old(now=timezone.now())
    call_command("prune_db_task_results", min_age_days=7, verbosity=0)
    return f"đã xóa {gone} tệp tải lên cũ"


@job(every=timedelta(minutes=10))
def recover_stuck_uploads() -> str:
    """Mark failed the uploads whose job was lost (running past 30 minutes): their makers can upload again."""
    return f"{recover_stuck(now=timezone.now())} tệp tải lên bị treo được đánh dấu lỗi"
