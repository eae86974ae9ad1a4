"""Self-assessments (the collective's Mẫu 01, a member's 2A/2B/2C: review/forms.json), the other members'
comments, and complaints about a decided level. Keyword-only services, as in review.services.

Who writes what: a member writes their own form; the collective's report is drafted by its members or the
appraisers. Everyone the cycle names reads them (review.policies); comments go on submitted forms only."""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from importlib import resources
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from nghiquyet.accounts.permissions import Forbidden
from nghiquyet.audit.services import record, refuse_stale
from nghiquyet.lib.errors import Conflict, Invalid, NotFound, Stale
from nghiquyet.lib.validation import clean_text
from nghiquyet.review.checks import band_of
from nghiquyet.review.models import (
    AssessmentComment,
    AssessmentState,
    Complaint,
    ComplaintState,
    CycleRole,
    Decision,
    ReviewCycle,
    ReviewMember,
    SelfAssessment,
)
from nghiquyet.review.policies import ReviewAction, require_review, roles_of
from nghiquyet.review.rules import LEVELS, Level, level_label

FORMS: dict[str, Any] = json.loads(resources.files("nghiquyet.review").joinpath("forms.json").read_text(encoding="utf-8"))
SECTION_LIMIT = 20_000


def forms_for(member: ReviewMember | None) -> list[str]:
    """The forms a subject may use: the collective 01; the head 2A; another member 2B or 2C (or 2A when
    they hold a leading post: the form is theirs to pick)."""
    if member is None:
        return ["01"]
    return ["2A"] if member.is_head else ["2B", "2A", "2C"]


def _may_write(user: Any, cycle: ReviewCycle, member: ReviewMember | None) -> bool:
    if member is not None:
        return member.user_id is not None and member.user_id == getattr(user, "pk", None)
    return bool(roles_of(user, cycle) & {CycleRole.MEMBER, CycleRole.APPRAISER})


def _points(value: Any, top: int, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        points = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        raise Invalid(f'"{str(value)[:20]}" không phải là số điểm.', en=f'"{str(value)[:20]}" is not a number of points.', field=field) from None
    if not points.is_finite() or not 0 <= points <= top or points != points.quantize(Decimal("0.1")):
        raise Invalid(f"Điểm phải từ 0 đến {top}, nhiều nhất một chữ số thập phân.", en=f"Points from 0 to {top}, one decimal at most.", field=field)
    return points


@transaction.atomic
def save_assessment(*, user: Any, cycle: ReviewCycle, member: ReviewMember | None = None, form: str | None = None,
                    sections: dict[str, str] | None = None, general_points: Any = None, task_points: Any = None,
                    proposed_level: str = "", submit: bool = False, version: int | None = None) -> SelfAssessment:
    """Save a draft (or submit it). A submitted form is changed only after `revise`. With QĐ 366's scale the
    two parts' points are checked against their maxima, and the level proposed may not be above the band
    of their total."""
    require_review(user, ReviewAction.READ_RECORDS, cycle)
    if member is not None and member.cycle_id != cycle.pk:
        raise NotFound("Không có người này trong đợt.", en="No such member in the cycle.", field="member")
    if not _may_write(user, cycle, member):
        raise Forbidden("Mỗi người tự viết bản kiểm điểm của mình.", en="Each member writes their own self-assessment.")
    form = form or forms_for(member)[0]
    if form not in forms_for(member):
        raise Invalid(f'Mẫu "{form}" không dùng cho người này.', en=f'Form "{form}" is not for this subject.', field="form")
    known = {section["key"] for section in FORMS["forms"][form]["sections"]}
    texts = {}
    for key, text in (sections or {}).items():
        if key not in known:
            raise Invalid(f'Mẫu {form} không có mục "{key}".', en=f'Form {form} has no section "{key}".', field=key)
        texts[key] = clean_text(text or "", key, limit=SECTION_LIMIT, multiline=True)
    if proposed_level and proposed_level not in {level.value for level in LEVELS}:
        raise Invalid(f'Không có mức "{proposed_level[:20]}".', en=f'No level "{proposed_level[:20]}".', field="proposed_level")
    from nghiquyet.review.tally import cycle_rules

    rule_set = cycle_rules(cycle)
    general = task = None
    if rule_set.scale:
        general = _points(general_points, rule_set.scale["general"], "general_points")
        task = _points(task_points, rule_set.scale["tasks"], "task_points")
        if proposed_level and general is not None and task is not None:
            band = band_of(rule_set, general + task)
            if Level(proposed_level).rank > band.rank:
                raise Invalid(f"Tổng {general + task} điểm chỉ đến mức \"{level_label(band)}\".",
                              en=f"{general + task} points reach only '{level_label(band, 'en')}'.", field="proposed_level")
    elif general_points not in (None, "") or task_points not in (None, ""):
        raise Invalid(f"{rule_set.short} không chấm điểm.", en=f"{rule_set.short} has no points.", field="general_points")
    found = SelfAssessment.objects.select_for_update().filter(cycle=cycle, member=member).first()
    if found is not None:
        if version is None:  # written from an empty form while someone else's draft exists: never overwrite it
            raise Stale("Đã có bản kiểm điểm này (do người khác vừa lưu); tải lại trang để sửa tiếp, không có gì bị ghi đè.",
                        en="This self-assessment exists already (someone just saved it); reload to edit it, nothing was overwritten.",
                        version=found.version, changed_by=None, changed_at=None)
        refuse_stale(found, version, current=found.version, what="Bản kiểm điểm", what_en="The self-assessment")
        if found.state == AssessmentState.SUBMITTED:
            raise Conflict("Bản kiểm điểm đã nộp; chọn \"Sửa lại\" trước khi sửa.", en="Submitted: revise it first.")
    assessment = found or SelfAssessment(cycle=cycle, member=member)
    assessment.form, assessment.sections, assessment.proposed_level = form, texts, proposed_level
    assessment.general_points, assessment.task_points, assessment.updated_by = general, task, user
    assessment.state = AssessmentState.SUBMITTED if submit else AssessmentState.DRAFT
    if found is not None:
        assessment.version += 1
    try:
        with transaction.atomic():
            assessment.save()
    except IntegrityError:  # two first saves at once: the other one is kept
        raise Stale("Bản kiểm điểm vừa được người khác tạo; tải lại trang để sửa tiếp.", en="Someone created it a moment ago; reload.",
                    version=1, changed_by=None, changed_at=None) from None
    record("review_submit" if submit else "review_draft", obj=assessment, org_unit=cycle.org_unit,
           summary=f"{cycle.key}: mẫu {form} #{member.pk if member else 'tập thể'}")
    return assessment


@transaction.atomic
def revise(*, user: Any, assessment: SelfAssessment) -> SelfAssessment:
    """A submitted form back to draft, for its writer (after comments)."""
    require_review(user, ReviewAction.READ_RECORDS, assessment.cycle)
    if not _may_write(user, assessment.cycle, assessment.member):
        raise Forbidden("Mỗi người tự sửa bản kiểm điểm của mình.", en="Each member revises their own self-assessment.")
    assessment.state = AssessmentState.DRAFT
    assessment.version += 1
    assessment.save(update_fields=["state", "version", "updated_at"])
    record("review_revise", obj=assessment, org_unit=assessment.cycle.org_unit, summary=f"{assessment.cycle.key}: sửa lại #{assessment.pk}")
    return assessment


@transaction.atomic
def comment(*, user: Any, assessment: SelfAssessment, text: str) -> AssessmentComment:
    require_review(user, ReviewAction.READ_RECORDS, assessment.cycle)
    if assessment.state != AssessmentState.SUBMITTED:
        raise Conflict("Chỉ góp ý bản kiểm điểm đã nộp.", en="Comments go on submitted self-assessments only.")
    text = clean_text(text, "text", limit=5000, multiline=True)
    if not text:
        raise Invalid("Góp ý trống.", en="The comment is empty.", field="text")
    made = AssessmentComment.objects.create(assessment=assessment, author=user, text=text)
    record("review_comment", obj=assessment, org_unit=assessment.cycle.org_unit, summary=f"{assessment.cycle.key}: góp ý #{assessment.pk}")
    return made


# --- complaints ---------------------------------------------------------------------------------------


@transaction.atomic
def file_complaint(*, user: Any, decision: Decision, text: str) -> Complaint:
    """By the member the decision rates (any member of the collective for the collective's), to the
    cycle's deciding level; one open complaint per decision."""
    cycle = decision.cycle
    require_review(user, ReviewAction.READ_RECORDS, cycle)
    concerned = (decision.member is not None and decision.member.user_id == user.pk) or (
        decision.member is None and CycleRole.MEMBER in roles_of(user, cycle))
    if not concerned:
        raise Forbidden("Chỉ người được xếp loại mới khiếu nại kết quả của mình.", en="Only the person rated may complain about it.")
    text = clean_text(text, "text", limit=10_000, multiline=True)
    if not text:
        raise Invalid("Nội dung khiếu nại trống.", en="The complaint is empty.", field="text")
    if Complaint.objects.filter(decision=decision, state=ComplaintState.FILED).exists():
        raise Conflict("Đã có khiếu nại đang chờ giải quyết.", en="A complaint is already waiting.")
    made = Complaint.objects.create(decision=decision, filed_by=user, text=text)
    record("review_complaint", obj=made, org_unit=cycle.org_unit, summary=f"{cycle.key}: khiếu nại #{made.pk}")
    return made


@transaction.atomic
def resolve_complaint(*, user: Any, complaint: Complaint, upheld: bool, outcome: str, new_level: str = "") -> Complaint:
    """The deciding level's answer; upheld with a new level, the decision changes (its checks run again,
    the outcome standing as the reason where a check fails)."""
    from nghiquyet.review.services import decide

    decision = complaint.decision
    require_review(user, ReviewAction.DECIDE, decision.cycle)
    if complaint.state != ComplaintState.FILED:
        raise Conflict("Khiếu nại này đã được giải quyết.", en="This complaint was resolved already.")
    outcome = clean_text(outcome, "outcome", limit=10_000, multiline=True)
    if not outcome:
        raise Invalid("Ghi kết quả giải quyết.", en="Write the outcome.", field="outcome")
    if upheld and new_level:
        decide(user=user, cycle=decision.cycle, member=decision.member, level=new_level, override_reason=outcome)
    complaint.state = ComplaintState.UPHELD if upheld else ComplaintState.REJECTED
    complaint.outcome, complaint.new_level = outcome, new_level if upheld else ""
    complaint.resolved_by, complaint.resolved_at = user, timezone.now()
    complaint.save()
    record("review_complaint_resolved", obj=complaint, org_unit=decision.cycle.org_unit,
           summary=f"{decision.cycle.key}: khiếu nại #{complaint.pk} — {complaint.get_state_display()}")
    return complaint
