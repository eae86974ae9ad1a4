"""What the write service keeps beside the figures so that reads stay small at national scale."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import pgettext_lazy

from nghiquyet.lib.versions import Versioned
from nghiquyet.targets.models import figure_field


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


class SetState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("data set state", "Đang nhập")
    SUBMITTED = "submitted", pgettext_lazy("data set state", "Đã nộp, chờ duyệt")
    RETURNED = "returned", pgettext_lazy("data set state", "Bị trả lại")
    APPROVED = "approved", pgettext_lazy("data set state", "Đã duyệt")
    WAIVED = "waived", pgettext_lazy("data set state", "Miễn báo cáo")


class DataSet(Versioned):
    """The figures one org unit reports for one resolution and period, as a whole: drafted, submitted to the
    level above, approved (and then locked) or returned with a reason; an admin may reopen an approved set;
    the level above may waive a unit that will not report. Rules: figures.workflow; services:
    figures.datasets."""

    resolution = models.ForeignKey("targets.Resolution", on_delete=models.CASCADE, related_name="+")
    org_unit = models.ForeignKey("orgunits.OrgUnit", on_delete=models.PROTECT, related_name="+")
    period = models.CharField("kỳ", max_length=9)
    period_start = models.DateField()
    period_end = models.DateField()
    state = models.CharField("trạng thái", max_length=10, choices=SetState.choices, default=SetState.DRAFT)
    note = models.TextField("lý do", blank=True)  # why it was returned, reopened or waived
    reopened = models.BooleanField(default=False)  # an admin reopened it: entry allowed past the closing date
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "bộ số liệu"
        verbose_name_plural = "bộ số liệu"
        constraints = [models.UniqueConstraint(fields=["resolution", "org_unit", "period"], name="data_set_unique")]

    def __str__(self) -> str:
        return f"{self.org_unit.code} / {self.period}: {self.get_state_display()}"


class CauseKind(models.TextChoices):
    OBJECTIVE = "objective", pgettext_lazy("cause of a target not met", "Khách quan")
    SUBJECTIVE = "subjective", pgettext_lazy("cause of a target not met", "Chủ quan")


class Cause(Versioned):
    """Why a target was not met at a unit in a period, as reviews write it: objective (khách quan) or
    subjective (chủ quan), and in words. Kept beside the figures, written by figures.causes."""

    target = models.ForeignKey("targets.Target", on_delete=models.CASCADE, related_name="+")
    org_unit = models.ForeignKey("orgunits.OrgUnit", on_delete=models.PROTECT, related_name="+")
    period = models.CharField("kỳ", max_length=9)
    kind = models.CharField("loại nguyên nhân", max_length=10, choices=CauseKind.choices)
    text = models.TextField("nguyên nhân")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "nguyên nhân không đạt"
        verbose_name_plural = "nguyên nhân không đạt"
        constraints = [models.UniqueConstraint(fields=["target", "org_unit", "period"], name="cause_unique")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:60]}"


class TreeTotal(models.Model):
    """What a unit's children add up to for a target in a period, from their approved figures: the store of
    live roll-ups (docs/decisions/0015-roll-ups.md). One row per target × unit × period in which a child of
    the unit's own kind has a value (its own, or its own children's complete total). Kept by the figure-write
    service in the same transaction as the figures (figures.rollups), so it is current the moment a value is
    approved; a scorecard at any level reads one row per target and period, whatever the subtree's size.
    Only targets that add up (rollup "sum") have rows; ratios are recomputed at read time from theirs."""

    target = models.ForeignKey("targets.Target", on_delete=models.CASCADE, related_name="+", db_index=False)
    org_unit = models.ForeignKey("orgunits.OrgUnit", on_delete=models.CASCADE, related_name="+", db_index=False)
    period = models.CharField("kỳ", max_length=9)
    period_start = models.DateField()
    period_end = models.DateField()
    value = figure_field("tổng của đơn vị cấp dưới", null=True)
    found = models.PositiveIntegerField(default=0)  # children with a value
    expected = models.PositiveIntegerField(default=0)  # children of the unit's kind valid in the period

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["target", "org_unit", "period_start", "period_end"], name="tree_total_unique"),
        ]
        indexes = [models.Index(fields=["org_unit", "period_start"])]

    def __str__(self) -> str:
        return f"{self.target_id} / {self.org_unit_id} / {self.period}: {self.value} ({self.found}/{self.expected})"


def new_epoch() -> str:
    return uuid.uuid4().hex


class FigureGeneration(models.Model):
    """A number that goes up, in the same transaction, whenever a resolution's plans, results or their states
    change (figures.generations): what a page computed from the figures may be kept under it and reused until it
    moves (the dashboard, web.dashboard_views)."""

    resolution = models.OneToOneField("targets.Resolution", on_delete=models.CASCADE, primary_key=True, related_name="+")
    number = models.BigIntegerField(default=0)
    # New with the row: a database recreated or restored never meets what was kept under another one's numbers.
    epoch = models.CharField(max_length=32, default=new_epoch)

    def __str__(self) -> str:
        return f"{self.resolution_id}: {self.number}"
