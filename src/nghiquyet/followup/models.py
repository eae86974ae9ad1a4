"""From conclusions to done: a conclusion (kết luận, thông báo kết luận) and its items, each a task with a lead
unit, an owner and a deadline (a date, or "thường xuyên": recurring with a reporting cadence), linked to the
targets and units it concerns; its progress reports; the reminders already sent (so none is sent twice).
A personnel vacancy is a kind of task with its own fields (the post, vacant since, planned and filled dates)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Conclusion(models.Model):
    issuer = models.CharField("cơ quan ban hành", max_length=200)
    number = models.CharField("số, ký hiệu", max_length=60)  # "Số 15-TB/TU"
    issued_on = models.DateField("ngày ban hành")
    org_unit = models.ForeignKey("orgunits.OrgUnit", on_delete=models.PROTECT, related_name="+")  # whose conclusion
    cycle = models.ForeignKey("review.ReviewCycle", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    meeting = models.CharField("hội nghị, cuộc họp", max_length=300, blank=True)
    text = models.TextField("nội dung", blank=True)
    illustrative = models.BooleanField("dữ liệu minh họa", default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-issued_on", "pk"]
        verbose_name = "kết luận"
        verbose_name_plural = "kết luận"

    def __str__(self) -> str:
        return f"{self.number} ({self.issued_on:%d/%m/%Y})"


class TaskKind(models.TextChoices):
    TASK = "task", "Nhiệm vụ"
    VACANCY = "vacancy", "Kiện toàn nhân sự"


class TaskState(models.TextChoices):
    """Stored states; "overdue" and "done late" are read from the dates (followup.rules.status)."""

    NOT_STARTED = "not_started", "Chưa thực hiện"
    IN_PROGRESS = "in_progress", "Đang thực hiện"
    DONE = "done", "Hoàn thành"
    CANCELLED = "cancelled", "Hủy"


class Cadence(models.TextChoices):
    MONTHLY = "monthly", "Hằng tháng"
    QUARTERLY = "quarterly", "Hằng quý"
    HALF_YEARLY = "half_yearly", "6 tháng"
    YEARLY = "yearly", "Hằng năm"


class Task(models.Model):
    conclusion = models.ForeignKey(Conclusion, on_delete=models.PROTECT, null=True, blank=True, related_name="tasks")
    position = models.PositiveSmallIntegerField("thứ tự", default=0)
    kind = models.CharField(max_length=10, choices=TaskKind.choices, default=TaskKind.TASK)
    title = models.CharField("nội dung nhiệm vụ", max_length=500)
    lead_unit = models.ForeignKey("orgunits.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name="đơn vị chủ trì")
    supporting_units = models.ManyToManyField("orgunits.OrgUnit", blank=True, related_name="+", verbose_name="đơn vị phối hợp")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    deadline = models.DateField("thời hạn", null=True, blank=True)
    cadence = models.CharField("thường xuyên, báo cáo", max_length=12, choices=Cadence.choices, blank=True)  # recurring
    state = models.CharField(max_length=12, choices=TaskState.choices, default=TaskState.NOT_STARTED)
    percent = models.PositiveSmallIntegerField("tiến độ (%)", default=0)
    done_on = models.DateField("ngày hoàn thành", null=True, blank=True)
    evidence = models.TextField("kết quả, minh chứng hoàn thành", blank=True)
    cancel_reason = models.TextField("lý do hủy", blank=True)
    targets = models.ManyToManyField("targets.Target", blank=True, related_name="+", verbose_name="chỉ tiêu liên quan")
    period = models.CharField("kỳ của chỉ tiêu", max_length=9, blank=True)
    # a vacancy
    post = models.CharField("chức danh", max_length=200, blank=True)
    vacant_since = models.DateField("khuyết từ", null=True, blank=True)
    planned_on = models.DateField("dự kiến bổ nhiệm", null=True, blank=True)
    filled_on = models.DateField("đã bổ nhiệm ngày", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["deadline", "pk"]
        verbose_name = "nhiệm vụ"
        verbose_name_plural = "nhiệm vụ"
        indexes = [models.Index(fields=["state", "deadline"], name="task_open_by_deadline"),
                   models.Index(fields=["owner", "state"], name="task_owner")]

    def __str__(self) -> str:
        return self.title


class Progress(models.Model):
    """A progress report on a task: words, a percent, files."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reports")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    text = models.TextField("nội dung")
    percent = models.PositiveSmallIntegerField("tiến độ (%)")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"#{self.task_id} {self.percent}%"


class Attachment(models.Model):
    progress = models.ForeignKey(Progress, on_delete=models.CASCADE, related_name="files")
    name = models.CharField(max_length=200)
    content = models.BinaryField()
    size = models.PositiveIntegerField()

    def __str__(self) -> str:
        return self.name


class Reminder(models.Model):
    """A reminder event already sent: (task, kind, the date it is about). `nghiquyet remind` sends an event
    once, whatever the number of runs or servers (the unique constraint decides)."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10)  # soon, overdue, report
    about = models.DateField()  # the deadline, or the end of the reporting period
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["task", "kind", "about"], name="reminder_once")]

    def __str__(self) -> str:
        return f"#{self.task_id} {self.kind} {self.about}"
