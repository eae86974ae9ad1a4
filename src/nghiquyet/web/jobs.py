"""Scheduled work of the web layer (nghiquyet run-jobs)."""

from __future__ import annotations

from datetime import timedelta

from nghiquyet.schedule.registry import job
from nghiquyet.web.ratelimit import current_minute, purge


@job(every=timedelta(minutes=10))
def purge_rate_counters() -> str:
    """Remove rate-limit counters of windows that have ended."""
    return f"đã xóa {purge(current_minute() - 2)} bộ đếm cũ"
