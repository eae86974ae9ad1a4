"""Rate-limit counters, when no Redis is configured: one row per bucket and minute, shared by every server."""

from __future__ import annotations

from django.db import models


class RateCounter(models.Model):
    key = models.CharField(max_length=200, primary_key=True)  # "<bucket>:<minute>"
    count = models.PositiveIntegerField(default=0)
    minute = models.BigIntegerField(db_index=True)  # minutes since the epoch: old windows are purged by a job

    def __str__(self) -> str:
        return f"{self.key}={self.count}"
