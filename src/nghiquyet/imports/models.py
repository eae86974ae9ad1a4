"""A workbook a person uploads in the browser: kept in the database (app servers keep no files of their
own) from the moment it arrives until it is applied, checked and applied by jobs on the task queue."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import pgettext_lazy


class UploadState(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("upload state", "Đang chờ kiểm tra")
    CHECKING = "checking", pgettext_lazy("upload state", "Đang kiểm tra")
    PROBLEMS = "problems", pgettext_lazy("upload state", "Có lỗi, chưa ghi gì")
    READY = "ready", pgettext_lazy("upload state", "Kiểm tra xong, chờ ghi")
    APPLYING = "applying", pgettext_lazy("upload state", "Đang chờ ghi")
    WRITING = "writing", pgettext_lazy("upload state", "Đang ghi")
    DONE = "done", pgettext_lazy("upload state", "Đã ghi")
    FAILED = "failed", pgettext_lazy("upload state", "Lỗi hệ thống, chưa ghi gì")


RUNNING_STATES = {UploadState.QUEUED, UploadState.CHECKING, UploadState.APPLYING, UploadState.WRITING}


class Upload(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)  # not guessable in a URL
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    file_name = models.CharField("tệp", max_length=200)
    size = models.PositiveBigIntegerField("cỡ")
    sha256 = models.CharField(max_length=64)
    content = models.BinaryField(null=True)  # emptied once applied
    state = models.CharField("trạng thái", max_length=10, choices=UploadState.choices, default=UploadState.QUEUED)
    report = models.JSONField(default=dict, blank=True)  # what the last check or write found (imports.uploads)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "tệp tải lên"
        verbose_name_plural = "tệp tải lên"
        indexes = [models.Index(fields=["user", "-created_at"], name="upload_user_recent")]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_state_display()})"

    @property
    def running(self) -> bool:
        return self.state in RUNNING_STATES
