"""When each scheduled job last ran, shared by every server, so that two crons never run a job twice."""

from __future__ import annotations

from django.db import models


class JobRun(models.Model):
    name = models.CharField("việc", max_length=100, unique=True)
    started_at = models.DateTimeField("bắt đầu", null=True, blank=True)
    finished_at = models.DateTimeField("kết thúc", null=True, blank=True)
    succeeded = models.BooleanField("thành công", null=True)
    message = models.CharField("kết quả", max_length=500, blank=True)

    class Meta:
        verbose_name = "lần chạy việc định kỳ"
        verbose_name_plural = "lần chạy việc định kỳ"

    def __str__(self) -> str:
        return f"{self.name} {self.started_at}"
