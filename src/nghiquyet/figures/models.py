"""What the write service keeps beside the figures so that reads stay small at national scale."""

from __future__ import annotations

from django.db import models


class ResolutionPeriod(models.Model):
    """A period in which a resolution has at least one plan or result: the scorecard's period choices,
    without a DISTINCT over millions of figures. Kept by figures.writes; rows are never removed (a
    period whose figures were all deleted stays offered, and shows "no data")."""

    resolution = models.ForeignKey("targets.Resolution", on_delete=models.CASCADE, related_name="+")
    period = models.CharField("kỳ", max_length=9)
    period_start = models.DateField()
    period_end = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["resolution", "period"], name="resolution_period_unique")]

    def __str__(self) -> str:
        return f"{self.resolution_id} {self.period}"
