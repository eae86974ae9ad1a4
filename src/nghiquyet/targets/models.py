"""Resolutions, their targets, and the plans and results of each target per org unit and period.

Figures are Decimal with explicit precision, never floats. SQLite keeps 15 significant digits of a
DECIMAL column exactly, so services refuse values with more (docs/decisions/0003-decimal-figures.md).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from nghiquyet.lib.versions import Versioned
from nghiquyet.targets.rules import Direction, ValueKind

FIGURE_DIGITS = 19
FIGURE_DECIMALS = 4


def figure_field(verbose_name: str, **kwargs) -> models.DecimalField:
    return models.DecimalField(verbose_name, max_digits=FIGURE_DIGITS, decimal_places=FIGURE_DECIMALS, **kwargs)


class Resolution(Versioned):
    key = models.SlugField("khóa", max_length=64, unique=True)
    number = models.CharField("số hiệu", max_length=64, help_text='Ví dụ "59-NQ/TW"; không duy nhất.')
    title = models.CharField("tên nghị quyết", max_length=500)
    issuer = models.CharField("cơ quan ban hành", max_length=255, blank=True)
    issued_on = models.DateField("ngày ban hành", null=True, blank=True)
    org_unit = models.ForeignKey(
        "orgunits.OrgUnit", on_delete=models.PROTECT, related_name="resolutions", verbose_name="đơn vị chủ trì"
    )
    term_start = models.PositiveSmallIntegerField("nhiệm kỳ từ năm", null=True, blank=True)
    term_end = models.PositiveSmallIntegerField("nhiệm kỳ đến năm", null=True, blank=True)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name="nghị quyết cấp trên"
    )
    nearly_met_threshold = models.DecimalField(
        "ngưỡng cơ bản đạt (% kế hoạch)",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Để trống: không dùng mức “cơ bản đạt”.",
    )
    notice = models.CharField(
        "lưu ý hiển thị",
        max_length=500,
        blank=True,
        help_text="Hiện ở mọi nơi nghị quyết được hiển thị, ví dụ: “Dữ liệu minh họa”.",
    )
    # Entry closes this many days after a period ends (None: never); after that only an admin reopens a set.
    entry_closes_after_days = models.PositiveIntegerField("khóa nhập sau (ngày)", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-term_start", "key"]
        verbose_name = "nghị quyết"
        verbose_name_plural = "nghị quyết"

    def __str__(self) -> str:
        return f"{self.number} — {self.title}"

    @property
    def term(self) -> str:
        if self.term_start and self.term_end:
            return f"{self.term_start}-{self.term_end}"
        return ""


class Accumulation(models.TextChoices):
    FLOW = "flow", "Cộng dồn theo kỳ"
    STOCK = "stock", "Số tại thời điểm"
    YEAR_TO_DATE = "year_to_date", "Lũy kế từ đầu năm"


class Rollup(models.TextChoices):
    SUM = "sum", "Cộng"
    RATIO = "ratio", "Tính lại từ tử số / mẫu số"
    NONE = "none", "Không tổng hợp"


DIRECTION_CHOICES = [(d.value, d.value) for d in Direction]
VALUE_KIND_CHOICES = [(k.value, k.value) for k in ValueKind]


class Target(Versioned):
    resolution = models.ForeignKey(Resolution, on_delete=models.CASCADE, related_name="targets")
    code = models.CharField("mã chỉ tiêu", max_length=32)
    name = models.CharField("tên chỉ tiêu", max_length=500)
    unit = models.CharField("đơn vị tính", max_length=64, blank=True)
    direction = models.CharField("chiều đánh giá", max_length=16, choices=DIRECTION_CHOICES)
    value_kind = models.CharField("loại giá trị", max_length=16, choices=VALUE_KIND_CHOICES, default=ValueKind.COUNT)
    accumulation = models.CharField("cách lũy kế", max_length=16, choices=Accumulation.choices, default=Accumulation.FLOW)
    rollup = models.CharField("cách tổng hợp", max_length=8, choices=Rollup.choices, default=Rollup.SUM)
    numerator = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    denominator = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    is_key = models.BooleanField("chỉ tiêu chủ yếu", default=False)
    decimals = models.PositiveSmallIntegerField("số chữ số thập phân hiển thị", default=0)
    position = models.PositiveIntegerField("thứ tự", default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["resolution", "position", "code"]
        verbose_name = "chỉ tiêu"
        verbose_name_plural = "chỉ tiêu"
        constraints = [models.UniqueConstraint(fields=["resolution", "code"], name="target_code_unique_in_resolution")]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"


class PeriodFields(Versioned):
    """A period code and its dates: the code is what people write, the dates are what queries use."""

    period = models.CharField("kỳ", max_length=9)
    period_start = models.DateField(editable=False)
    period_end = models.DateField(editable=False)

    class Meta:
        abstract = True


class Plan(PeriodFields):
    # No single-column indexes on the two keys: the unique (target, …) and (org_unit, period) indexes
    # cover them, and every index costs the bulk import time.
    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="plans", db_index=False)
    org_unit = models.ForeignKey("orgunits.OrgUnit", on_delete=models.PROTECT, related_name="plans", db_index=False)
    value = figure_field("kế hoạch")
    value_max = figure_field("kế hoạch (cận trên)", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "kế hoạch"
        verbose_name_plural = "kế hoạch"
        constraints = [models.UniqueConstraint(fields=["target", "org_unit", "period"], name="plan_unique")]
        indexes = [models.Index(fields=["org_unit", "period"])]

    def __str__(self) -> str:
        return f"{self.target.code} / {self.org_unit.code} / {self.period}: {self.value}"


class ResultKind(models.TextChoices):
    ESTIMATE = "estimate", "Ước thực hiện"
    OFFICIAL = "official", "Chính thức"


class ResultState(models.TextChoices):
    DRAFT = "draft", "Chưa duyệt"
    RETURNED = "returned", "Trả lại"
    APPROVED = "approved", "Đã duyệt"


class Result(PeriodFields):
    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="results", db_index=False)
    org_unit = models.ForeignKey("orgunits.OrgUnit", on_delete=models.PROTECT, related_name="results", db_index=False)
    kind = models.CharField("loại số liệu", max_length=8, choices=ResultKind.choices, default=ResultKind.OFFICIAL)
    # Entered in the web or the API: a draft until an approver above approves it. Imports are approved.
    state = models.CharField("trạng thái", max_length=8, choices=ResultState.choices, default=ResultState.APPROVED)
    value = figure_field("kết quả")
    note = models.TextField("ghi chú", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Who entered it when there is no user account: "cli:root", "import:demo".
    source = models.CharField("nguồn", max_length=128, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "kết quả"
        verbose_name_plural = "kết quả"
        constraints = [models.UniqueConstraint(fields=["target", "org_unit", "period", "kind"], name="result_unique")]
        indexes = [models.Index(fields=["org_unit", "period"])]

    def __str__(self) -> str:
        return f"{self.target.code} / {self.org_unit.code} / {self.period} ({self.kind}): {self.value}"
