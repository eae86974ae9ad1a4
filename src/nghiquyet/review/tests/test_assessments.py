"""Self-assessments, comments and complaints (review.assessments)."""

from __future__ import annotations

import pytest

from nghiquyet.accounts.permissions import Forbidden
from nghiquyet.lib.errors import Conflict, Invalid, Stale
from nghiquyet.review import assessments, services
from nghiquyet.review.models import AssessmentState, ComplaintState, Decision


def test_a_member_writes_submits_and_revises_their_own_form(cycle):
    member = cycle.members[1]  # m2, not the head: 2B by default
    draft = assessments.save_assessment(user=cycle.m2, cycle=cycle.cycle, member=member, sections={"strengths": "Hoàn thành nhiệm vụ được giao."})
    assert draft.form == "2B" and draft.state == AssessmentState.DRAFT
    submitted = assessments.save_assessment(user=cycle.m2, cycle=cycle.cycle, member=member, sections={"strengths": "…"},
                                            proposed_level="good", submit=True, version=draft.version)
    assert submitted.state == AssessmentState.SUBMITTED
    with pytest.raises(Conflict, match="Sửa lại"):
        assessments.save_assessment(user=cycle.m2, cycle=cycle.cycle, member=member, sections={}, version=submitted.version)
    assessments.comment(user=cycle.m3, assessment=submitted, text="Cần nêu rõ nguyên nhân hạn chế.")
    revised = assessments.revise(user=cycle.m2, assessment=submitted)
    assert revised.state == AssessmentState.DRAFT and revised.comments.count() == 1


def test_nobody_writes_someone_else_s_form(cycle):
    with pytest.raises(Forbidden):
        assessments.save_assessment(user=cycle.m3, cycle=cycle.cycle, member=cycle.members[1], sections={})
    with pytest.raises(Forbidden):  # Alice set the cycle up; she is not named in it
        assessments.save_assessment(user=cycle.people.alice, cycle=cycle.cycle, sections={})


def test_two_saves_from_the_same_version_do_not_overwrite_each_other(cycle):
    first = assessments.save_assessment(user=cycle.m2, cycle=cycle.cycle, member=cycle.members[1], sections={"strengths": "a"})
    assessments.save_assessment(user=cycle.m2, cycle=cycle.cycle, member=cycle.members[1], sections={"strengths": "b"}, version=first.version)
    with pytest.raises(Stale):
        assessments.save_assessment(user=cycle.m2, cycle=cycle.cycle, member=cycle.members[1], sections={"strengths": "c"}, version=first.version)


@pytest.mark.parametrize(("form", "sections", "field"), [("01", {}, "form"), ("2B", {"nope": "x"}, "nope"), ("2B", {"strengths": "a\x00b"}, "strengths")])
def test_the_form_and_its_sections_are_checked(cycle, form, sections, field):
    with pytest.raises(Invalid) as error:
        assessments.save_assessment(user=cycle.m2, cycle=cycle.cycle, member=cycle.members[1], form=form, sections=sections)
    assert error.value.field == field


def test_points_are_checked_against_the_scale_and_the_level_against_the_band(cycle):
    cycle.cycle.rule_set = "qd-366-2025"
    cycle.cycle.save()
    with pytest.raises(Invalid, match="từ 0 đến 30"):
        assessments.save_assessment(user=cycle.m2, cycle=cycle.cycle, member=cycle.members[1], general_points="31")
    with pytest.raises(Invalid, match="chỉ đến mức"):
        assessments.save_assessment(user=cycle.m2, cycle=cycle.cycle, member=cycle.members[1], general_points="28", task_points="60,5",
                                    proposed_level="excellent")  # 88,5: good at most
    saved = assessments.save_assessment(user=cycle.m2, cycle=cycle.cycle, member=cycle.members[1], general_points="28", task_points="62",
                                        proposed_level="excellent")
    assert saved.general_points + saved.task_points == 90


def test_no_points_under_the_older_rules(cycle):
    with pytest.raises(Invalid, match="không chấm điểm"):
        assessments.save_assessment(user=cycle.m2, cycle=cycle.cycle, member=cycle.members[1], general_points="20")


def test_comments_only_on_submitted_forms(cycle):
    draft = assessments.save_assessment(user=cycle.m2, cycle=cycle.cycle, member=cycle.members[1], sections={})
    with pytest.raises(Conflict):
        assessments.comment(user=cycle.m3, assessment=draft, text="…")


def test_a_complaint_goes_up_and_its_outcome_changes_the_decision(cycle):
    services.decide(user=cycle.dora, cycle=cycle.cycle, level="good")
    decision = services.decide(user=cycle.dora, cycle=cycle.cycle, member=cycle.members[1], level="completed")
    with pytest.raises(Forbidden):
        assessments.file_complaint(user=cycle.m3, decision=decision, text="…")  # not theirs
    complaint = assessments.file_complaint(user=cycle.m2, decision=decision, text="Đề nghị xem xét lại (minh họa).")
    with pytest.raises(Conflict):
        assessments.file_complaint(user=cycle.m2, decision=decision, text="lần hai")
    with pytest.raises(Forbidden):
        assessments.resolve_complaint(user=cycle.olga, complaint=complaint, upheld=True, outcome="…", new_level="good")
    assessments.resolve_complaint(user=cycle.dora, complaint=complaint, upheld=True, outcome="Chấp nhận (minh họa).", new_level="good")
    complaint.refresh_from_db()
    assert complaint.state == ComplaintState.UPHELD
    assert Decision.objects.get(pk=decision.pk).level == "good"
