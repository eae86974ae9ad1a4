"""The annual review: a cycle of a collective's year (its rule set, members, participants), the findings on
the 27 manifestations, the meeting's secret ballot, and the decisions of the competent level.

Who may see what is not read from the org tree: each cycle names its participants (CycleGrant), and only they
see its records (review.policies). The ballot keeps no row per ballot: a counter per question × level and a
row saying that a voter took part (BallotParticipation, no timestamp, no choice), both written in one
transaction, so nothing stored links a voter to a choice."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

LEVEL_CHOICES = [("excellent", "Hoàn thành xuất sắc nhiệm vụ"), ("good", "Hoàn thành tốt nhiệm vụ"),
                 ("completed", "Hoàn thành nhiệm vụ"), ("not_completed", "Không hoàn thành nhiệm vụ")]


class CycleState(models.TextChoices):
    PREPARING = "preparing", "Chuẩn bị"
    SELF_ASSESSMENT = "self_assessment", "Tự kiểm điểm"
    MEETING = "meeting", "Hội nghị kiểm điểm"
    DECIDED = "decided", "Đã xếp loại"


class ReviewCycle(models.Model):
    key = models.SlugField("mã đợt", max_length=40, unique=True)  # "ct-btv-2021"
    title = models.CharField("tên đợt", max_length=300)
    org_unit = models.ForeignKey("orgunits.OrgUnit", on_delete=models.PROTECT, related_name="+")  # whose collective
    collective = models.CharField("tập thể", max_length=200)  # "Ban Thường vụ Thành ủy Cần Thơ"
    year = models.PositiveSmallIntegerField("năm kiểm điểm")
    rule_set = models.CharField("bộ quy tắc", max_length=40)  # a key of review/rule_sets; picked by the year
    rule_set_overridden = models.BooleanField("bộ quy tắc do quản trị chọn", default=False)
    adjustments = models.JSONField("điều chỉnh tham số", default=dict, blank=True)  # {rule id: {param: value}}
    quota_raised = models.BooleanField("nâng tỷ lệ xuất sắc lên 25% (QĐ 366)", default=False)
    resolution = models.ForeignKey("targets.Resolution", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    period = models.CharField("kỳ của bảng chỉ tiêu", max_length=9, blank=True)
    basic_targets = models.JSONField("mã 5 chỉ tiêu cơ bản (QĐ 366)", default=list, blank=True)
    facts = models.JSONField("thông tin đã ghi nhận về tập thể", default=dict, blank=True)  # disciplined, disunity …
    self_assessment_due = models.DateField("hạn tự kiểm điểm", null=True, blank=True)
    meeting_on = models.DateField("ngày hội nghị", null=True, blank=True)
    state = models.CharField("giai đoạn", max_length=16, choices=CycleState.choices, default=CycleState.PREPARING)
    illustrative = models.BooleanField("dữ liệu minh họa", default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "đợt kiểm điểm"
        verbose_name_plural = "đợt kiểm điểm"

    def __str__(self) -> str:
        return self.key


class ReviewMember(models.Model):
    """A person under review in the cycle: a user, or a name only (a person record)."""

    cycle = models.ForeignKey(ReviewCycle, on_delete=models.CASCADE, related_name="members")
    position_order = models.PositiveSmallIntegerField("thứ tự", default=0)
    name = models.CharField("họ và tên", max_length=120)
    position = models.CharField("chức vụ", max_length=200)
    is_head = models.BooleanField("người đứng đầu", default=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    present = models.BooleanField("có mặt tại hội nghị", default=False)
    facts = models.JSONField("thông tin đã ghi nhận", default=dict, blank=True)  # disciplined, broke_rules …

    class Meta:
        ordering = ["cycle", "position_order", "pk"]
        verbose_name = "người được kiểm điểm"
        constraints = [
            models.UniqueConstraint(fields=["cycle"], condition=Q(is_head=True), name="review_one_head_per_cycle"),
            models.UniqueConstraint(fields=["cycle", "user"], condition=Q(user__isnull=False), name="review_member_user_once"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.position})"


class CycleRole(models.TextChoices):
    MEMBER = "member", "Thành viên được kiểm điểm"
    MEETING = "meeting", "Dự hội nghị"
    APPRAISER = "appraiser", "Cơ quan tổ chức thẩm định"
    COUNTER = "counter", "Ban kiểm phiếu"
    DECIDER = "decider", "Cấp có thẩm quyền quyết định"


class CycleGrant(models.Model):
    """An explicit grant to a cycle's records: never inherited through the org tree, never implied by being
    an administrator (review.policies)."""

    cycle = models.ForeignKey(ReviewCycle, on_delete=models.CASCADE, related_name="grants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    role = models.CharField("vai trò", max_length=16, choices=CycleRole.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["cycle", "user", "role"], name="review_grant_unique")]

    def __str__(self) -> str:
        return f"{self.cycle}: {self.user} ({self.role})"


class Finding(models.Model):
    """One of the 27 manifestations checked for a member: found or clear."""

    member = models.ForeignKey(ReviewMember, on_delete=models.CASCADE, related_name="findings")
    manifestation = models.CharField("biểu hiện", max_length=8)  # "A3" (review/manifestations.json)
    found = models.BooleanField("có biểu hiện")
    note = models.TextField("ghi chú", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["member", "manifestation"], name="review_finding_once")]

    def __str__(self) -> str:
        return f"#{self.member_id} {self.manifestation}"


class QuestionState(models.TextChoices):
    DRAFT = "draft", "Chưa mở"
    OPEN = "open", "Đang bỏ phiếu"
    CLOSED = "closed", "Đã đóng"


class BallotQuestion(models.Model):
    """The meeting's vote on one member's level, or the collective's (member empty)."""

    cycle = models.ForeignKey(ReviewCycle, on_delete=models.CASCADE, related_name="questions")
    member = models.ForeignKey(ReviewMember, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    state = models.CharField(max_length=8, choices=QuestionState.choices, default=QuestionState.DRAFT)
    paper = models.BooleanField("phiếu giấy (nhập tổng số)", default=False)
    members_total = models.PositiveSmallIntegerField("tổng số thành viên", default=0)  # fixed when opened
    present_total = models.PositiveSmallIntegerField("số có mặt", default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cycle", "member"], name="review_question_per_member"),
            models.UniqueConstraint(fields=["cycle"], condition=Q(member__isnull=True), name="review_question_collective"),
        ]

    def __str__(self) -> str:
        return f"{self.cycle}: {self.member or 'tập thể'}"


class BallotCount(models.Model):
    """How many ballots chose a level: made for every level when the question opens, only ever incremented."""

    question = models.ForeignKey(BallotQuestion, on_delete=models.CASCADE, related_name="counts")
    level = models.CharField(max_length=16, choices=LEVEL_CHOICES)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["question", "level"], name="review_count_per_level")]

    def __str__(self) -> str:
        return f"#{self.question_id} {self.level}"


class BallotParticipation(models.Model):
    """That a voter voted on a question: no choice, no time. The primary key is random (a UUID) so that even
    the order of rows says nothing; the unique constraint is what stops a second vote."""

    id = models.UUIDField(primary_key=True)
    question = models.ForeignKey(BallotQuestion, on_delete=models.CASCADE, related_name="+")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["question", "voter"], name="review_vote_once")]

    def __str__(self) -> str:
        return f"#{self.question_id}"


class PaperTally(models.Model):
    """The totals of a paper ballot as one member of the counting committee entered them; two independent
    entries must agree before the result stands."""

    question = models.ForeignKey(BallotQuestion, on_delete=models.CASCADE, related_name="paper_tallies")
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    counts = models.JSONField()  # {level: n}
    ballots = models.PositiveSmallIntegerField("số phiếu thu về")
    invalid = models.PositiveSmallIntegerField("phiếu không hợp lệ", default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["question", "entered_by"], name="review_tally_per_counter")]

    def __str__(self) -> str:
        return f"#{self.question_id} ({self.entered_by_id})"


class Decision(models.Model):
    """The level the competent level gives a member (or the collective: member empty), with the checks as
    they stood; a failed check stands only with an override reason (audited)."""

    cycle = models.ForeignKey(ReviewCycle, on_delete=models.CASCADE, related_name="decisions")
    member = models.ForeignKey(ReviewMember, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    level = models.CharField(max_length=16, choices=LEVEL_CHOICES)
    checks = models.JSONField(default=list)
    override_reason = models.TextField("lý do vẫn quyết định khi vi phạm quy tắc", blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cycle", "member"], name="review_decision_per_member"),
            models.UniqueConstraint(fields=["cycle"], condition=Q(member__isnull=True), name="review_decision_collective"),
        ]

    def __str__(self) -> str:
        return f"{self.cycle_id}: #{self.member_id or 'tập thể'}"


class AssessmentState(models.TextChoices):
    DRAFT = "draft", "Bản nháp"
    SUBMITTED = "submitted", "Đã nộp"


class SelfAssessment(models.Model):
    """A self-assessment by form (review/forms.json): the collective's (Mẫu 01, member empty) or a member's
    (2A/2B/2C). Sections as text; for QĐ 366 the points claimed (general /30, tasks /70) and their total;
    the level proposed. A draft until submitted; submitted, it can be revised (back to draft), each save a
    new version."""

    cycle = models.ForeignKey(ReviewCycle, on_delete=models.CASCADE, related_name="assessments")
    member = models.ForeignKey(ReviewMember, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    form = models.CharField("mẫu", max_length=4)  # 01, 2A, 2B, 2C
    sections = models.JSONField(default=dict)  # {section key: text}
    general_points = models.DecimalField("điểm phần chung", max_digits=4, decimal_places=1, null=True, blank=True)
    task_points = models.DecimalField("điểm phần nhiệm vụ", max_digits=4, decimal_places=1, null=True, blank=True)
    proposed_level = models.CharField("tự xếp loại", max_length=16, choices=LEVEL_CHOICES, blank=True)
    state = models.CharField(max_length=10, choices=AssessmentState.choices, default=AssessmentState.DRAFT)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cycle", "member"], name="review_assessment_per_member"),
            models.UniqueConstraint(fields=["cycle"], condition=Q(member__isnull=True), name="review_assessment_collective"),
        ]

    def __str__(self) -> str:
        return f"{self.cycle_id}: {self.form} #{self.member_id or 'tập thể'}"


class AssessmentComment(models.Model):
    """Another participant's comment on a submitted self-assessment (góp ý)."""

    assessment = models.ForeignKey(SelfAssessment, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField("góp ý")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"#{self.assessment_id} ({self.author_id})"


class ComplaintState(models.TextChoices):
    FILED = "filed", "Đã gửi"
    UPHELD = "upheld", "Chấp nhận, xếp loại lại"
    REJECTED = "rejected", "Không chấp nhận"


class Complaint(models.Model):
    """A complaint about a decided level, to the level above (the cycle's deciders), with its outcome."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="complaints")
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField("nội dung khiếu nại")
    filed_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField(max_length=10, choices=ComplaintState.choices, default=ComplaintState.FILED)
    outcome = models.TextField("kết quả giải quyết", blank=True)
    new_level = models.CharField(max_length=16, choices=LEVEL_CHOICES, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    resolved_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"#{self.decision_id}: {self.state}"
