"""The audit trail: append-only events. Nothing in the application updates or deletes one.

Confidential content (a later issue's ballots and self-assessments) is never copied here: an event
refers to such a record by type and id only.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models


class AppendOnly(Exception):
    """An audit event cannot be changed or removed."""


class AuditQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnly("Nhật ký chỉ được ghi thêm, không sửa.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnly("Nhật ký chỉ được ghi thêm, không xóa.")

    def _raw_delete(self, using: Any) -> int:  # used by cascades
        raise AppendOnly("Nhật ký chỉ được ghi thêm, không xóa.")


class AuditEvent(models.Model):
    at = models.DateTimeField("thời điểm", auto_now_add=True, db_index=True)
    # who: the user when there is one; `actor` always says it in words ("alice", "cli:root", "token:7 of bob")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, db_constraint=False, null=True, blank=True, related_name="+")
    actor = models.CharField("người thực hiện", max_length=150)
    via = models.CharField("qua", max_length=16)  # web, api, token, cli, import
    ip = models.GenericIPAddressField("địa chỉ IP", null=True, blank=True)
    action = models.CharField("hành động", max_length=32, db_index=True)
    object_type = models.CharField("loại đối tượng", max_length=64, blank=True)
    object_id = models.CharField("mã đối tượng", max_length=64, blank=True)
    summary = models.CharField("nội dung", max_length=500, blank=True)
    # which unit it concerns: unit admins see the events of their subtree
    org_unit = models.ForeignKey("orgunits.OrgUnit", on_delete=models.DO_NOTHING, db_constraint=False, null=True, blank=True, related_name="+")
    old = models.JSONField("giá trị cũ", null=True, blank=True)
    new = models.JSONField("giá trị mới", null=True, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        base_manager_name = "objects"  # related lookups get the append-only queryset too
        verbose_name = "sự kiện nhật ký"
        verbose_name_plural = "nhật ký"
        # by actor and time (the audit page's filter); by object (a value's history, who changed it last)
        indexes = [models.Index(fields=["user", "at"]), models.Index(fields=["object_type", "object_id"], name="audit_object")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.object_type} {self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnly("Nhật ký chỉ được ghi thêm, không sửa.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnly("Nhật ký chỉ được ghi thêm, không xóa.")
