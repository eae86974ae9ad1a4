"""Scheduled work of follow-up (schedule.registry): the deadline reminders, hourly where `nghiquyet run-jobs`
runs (cron or the app's worker); `nghiquyet remind` does the same by hand."""

from __future__ import annotations

from datetime import timedelta

from nghiquyet.followup.reminders import remind
from nghiquyet.schedule.registry import job


@job(every=timedelta(hours=1))
def reminders() -> str:
    """Nhắc việc đến hạn, quá hạn, đến kỳ báo cáo (mỗi việc một lần)."""
    sent, nobody = remind()
    return f"{sum(len(group.items) for group in sent)} nhắc việc cho {len(sent)} người; {len(nobody)} việc chưa có người phụ trách"
