"""Scheduled work on figures (nghiquyet run-jobs)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from nghiquyet.figures.completeness import remind_all_late
from nghiquyet.schedule.registry import job


@job(every=timedelta(hours=6))
def remind_late_units() -> str:
    """Remind the units whose data sets are past their deadline (once per unit and deadline)."""
    return f"đã nhắc {remind_all_late(today=timezone.localdate())} người"
