"""A review cycle on the demo's 2021 Cần Thơ figures: set-up, confidentiality, the secret ballot, paper totals,
decisions and their checks (review.services, review.tally)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection

from nghiquyet.accounts.permissions import Forbidden
from nghiquyet.audit.models import AuditEvent
from nghiquyet.lib.errors import Conflict, Invalid, NotFound
from nghiquyet.review import services
from nghiquyet.review.manifestations import CODES
from nghiquyet.review.models import BallotCount, BallotParticipation, CycleRole, Decision
from nghiquyet.review.policies import ReviewAction, may_review
from nghiquyet.review.tally import checks_for, collective_ceiling, tally_of


def present_all(c):
    for member in c.members:
        services.set_present(user=c.olga, member=member, present=True)


def test_the_rule_set_follows_the_year_and_the_ceiling_follows_the_scorecard(cycle):
    assert cycle.cycle.rule_set == "qd-132-2018" and not cycle.cycle.rule_set_overridden
    proposal = collective_ceiling(cycle.cycle)
    assert proposal.ceiling.level == "good"
    assert any("11/19" in text for text in proposal.ceiling.texts)


def test_a_finding_of_degradation_forces_not_completed(cycle):
    services.record_findings(user=cycle.olga, member=cycle.members[2], found={"B4": True})
    assert collective_ceiling(cycle.cycle).ceiling.level == "not_completed"


def test_all_clear_checklists_and_recorded_facts_leave_only_the_figures(cycle):
    for member in cycle.members:
        services.record_findings(user=cycle.olga, member=member, found=dict.fromkeys(CODES, False))
        services.record_facts(user=cycle.olga, cycle=cycle.cycle, member=member, facts={"disciplined": False})
    services.record_facts(user=cycle.olga, cycle=cycle.cycle, facts={"collective_disciplined": False, "subordinate_units_disciplined_share": "0.05",
                                                                      "corruption_in_scope": False, "disunity": False})
    texts = collective_ceiling(cycle.cycle).ceiling.texts
    assert not any(text.startswith("Chưa có thông tin") for text in texts)


@pytest.mark.parametrize("facts", [{"nope": True}, {"disunity": "yes"}, {"subordinate_units_disciplined_share": "1,5"}])
def test_facts_are_checked(cycle, facts):
    with pytest.raises(Invalid):
        services.record_facts(user=cycle.olga, cycle=cycle.cycle, facts=facts)


def test_an_unknown_manifestation_is_refused(cycle):
    with pytest.raises(Invalid, match="D1"):
        services.record_findings(user=cycle.olga, member=cycle.members[0], found={"D1": True})


# --- confidentiality ------------------------------------------------------------------------------------


def test_records_are_for_those_the_cycle_names_only(cycle, django_user_model):
    root = django_user_model.objects.create_superuser(username="root", password="mat-khau-dai-1")
    # Alice administers the city and set the cycle up: she sees its frame, not its records
    assert may_review(cycle.people.alice, ReviewAction.SEE_FRAME, cycle.cycle)
    assert not may_review(cycle.people.alice, ReviewAction.READ_RECORDS, cycle.cycle)
    assert not may_review(root, ReviewAction.READ_RECORDS, cycle.cycle)  # not even a superuser
    # Bob reports in a ward of the city: nothing, not even the frame
    assert not may_review(cycle.people.bob, ReviewAction.SEE_FRAME, cycle.cycle)
    with pytest.raises(NotFound):
        services.get_cycle(key="ct-btv-2021", user=cycle.people.bob)
    with pytest.raises(Forbidden):
        services.get_cycle(key="ct-btv-2021", user=cycle.people.alice, action=ReviewAction.READ_RECORDS)
    for name in ("m2", "olga", "carl", "dora"):
        assert may_review(getattr(cycle, name), ReviewAction.READ_RECORDS, cycle.cycle)
    # roles do their own work only
    assert not may_review(cycle.m2, ReviewAction.DECIDE, cycle.cycle)
    with pytest.raises(Forbidden):
        services.record_findings(user=cycle.dora, member=cycle.members[0], found={"A1": False})


def test_reading_the_tally_is_audited_by_reference(cycle):
    tally_of(cycle.cycle)
    event = AuditEvent.objects.filter(action="review_read").first()
    assert event.object_id == str(cycle.cycle.pk) and "ct-btv-2021" in event.summary


# --- the secret ballot ----------------------------------------------------------------------------------


def test_the_collective_is_voted_on_before_its_head(cycle):
    present_all(cycle)
    with pytest.raises(Conflict, match="tập thể trước"):
        services.open_question(user=cycle.olga, cycle=cycle.cycle, member=cycle.members[0])


def test_only_present_members_vote_once_while_open_in_a_session(cycle):
    services.set_present(user=cycle.olga, member=cycle.members[1], present=True)
    services.set_present(user=cycle.olga, member=cycle.members[2], present=True)
    question = services.open_question(user=cycle.olga, cycle=cycle.cycle)
    with pytest.raises(Forbidden):
        services.cast_vote(user=cycle.m2, question=question, level="good", via="token")
    with pytest.raises(Forbidden):
        services.cast_vote(user=cycle.m4, question=question, level="good", via="session")  # not marked present
    with pytest.raises(Forbidden):
        services.cast_vote(user=cycle.olga, question=question, level="good", via="session")  # not a member
    with pytest.raises(Invalid):
        services.cast_vote(user=cycle.m2, question=question, level="best", via="session")
    services.cast_vote(user=cycle.m2, question=question, level="good", via="session")
    with pytest.raises(Conflict):
        services.cast_vote(user=cycle.m2, question=question, level="excellent", via="session")
    with pytest.raises(Conflict):
        services.set_present(user=cycle.olga, member=cycle.members[3], present=True)  # attendance fixed while voting
    hidden = tally_of(cycle.cycle).collective.as_json()
    assert hidden["voted"] == 1 and hidden["counts"] is None  # the tally is hidden until the question closes
    services.cast_vote(user=cycle.m3, question=question, level="good", via="session")
    services.close_question(user=cycle.olga, question=question)
    with pytest.raises(Conflict):
        services.cast_vote(user=cycle.m3, question=question, level="good", via="session")
    shown = tally_of(cycle.cycle).collective.as_json()
    assert shown["counts"]["good"] == 2 and shown["counts_match"] is True


def test_nothing_stored_links_a_voter_to_a_choice(cycle):
    present_all(cycle)
    question = services.open_question(user=cycle.olga, cycle=cycle.cycle)
    events_before = AuditEvent.objects.count()
    services.cast_vote(user=cycle.m2, question=question, level="excellent", via="session")
    services.cast_vote(user=cycle.m3, question=question, level="good", via="session")
    assert AuditEvent.objects.count() == events_before  # a vote leaves no event
    # the tables as the database holds them: participation has no choice and no time; counts have no voter
    with connection.cursor() as cursor:
        columns = {column.name for column in connection.introspection.get_table_description(cursor, BallotParticipation._meta.db_table)}
        counts = {column.name for column in connection.introspection.get_table_description(cursor, BallotCount._meta.db_table)}
    assert columns == {"id", "question_id", "voter_id"}
    assert counts == {"id", "question_id", "level", "count"}
    assert sum(BallotCount.objects.filter(question=question).values_list("count", flat=True)) == \
        BallotParticipation.objects.filter(question=question).count() == 2
    # participation ids are random, so their order is not the order of voting
    assert all(row.id.version == 4 for row in BallotParticipation.objects.all())


# --- paper ballots -------------------------------------------------------------------------------------


def test_paper_totals_entered_twice_must_agree(cycle):
    present_all(cycle)
    question = services.open_question(user=cycle.olga, cycle=cycle.cycle, paper=True)
    with pytest.raises(Forbidden):
        services.enter_paper_tally(user=cycle.olga, question=question, counts={"good": 4}, ballots=4)
    with pytest.raises(Invalid, match="khác số phiếu"):
        services.enter_paper_tally(user=cycle.carl, question=question, counts={"good": 3}, ballots=4)
    services.enter_paper_tally(user=cycle.carl, question=question, counts={"good": 3, "excellent": 1}, ballots=4)
    with pytest.raises(Conflict, match="hai lần"):
        services.close_question(user=cycle.olga, question=question)
    services.enter_paper_tally(user=cycle.cora, question=question, counts={"good": 4}, ballots=4)
    with pytest.raises(Conflict, match="excellent: 1 ≠ 0"):
        services.close_question(user=cycle.olga, question=question)
    assert services.differences(question) == ["excellent: 1 ≠ 0", "good: 3 ≠ 4"]
    services.enter_paper_tally(user=cycle.carl, question=question, counts={"good": 4}, ballots=4)  # Carl mends his own entry
    assert services.differences(question) == []
    services.close_question(user=cycle.olga, question=question)


def test_agreeing_paper_totals_stand(cycle):
    present_all(cycle)
    question = services.open_question(user=cycle.olga, cycle=cycle.cycle, paper=True)
    for counter in (cycle.carl, cycle.cora):
        services.enter_paper_tally(user=counter, question=question, counts={"good": 3, "completed": 1}, ballots=4)
    services.close_question(user=cycle.olga, question=question)
    result = tally_of(cycle.cycle).collective.as_json()
    assert result["counts"]["good"] == 3 and result["carried"] == "good"  # 3 (plus 1 … cumulative 4) of 5 members


# --- decisions -------------------------------------------------------------------------------------------


def test_a_decision_above_the_ceiling_needs_a_reason(cycle):
    with pytest.raises(Conflict, match="Mức cao nhất"):
        services.decide(user=cycle.dora, cycle=cycle.cycle, level="excellent")
    decision = services.decide(user=cycle.dora, cycle=cycle.cycle, level="excellent", override_reason="Kết luận của cấp trên (minh họa)")
    assert decision.override_reason and not next(check for check in decision.checks if check["rule"] == "ceiling")["passed"]
    assert AuditEvent.objects.filter(action="review_override", object_id=str(decision.pk)).exists()
    assert "excellent" not in str(AuditEvent.objects.filter(action="review_override").values_list("new", flat=True)[0])


def test_the_head_is_decided_after_the_collective_and_not_above_it(cycle):
    head = cycle.members[0]
    with pytest.raises(Conflict, match="trước người đứng đầu"):
        services.decide(user=cycle.dora, cycle=cycle.cycle, member=head, level="good")
    services.decide(user=cycle.dora, cycle=cycle.cycle, level="completed")
    with pytest.raises(Conflict, match="CAO HƠN"):
        services.decide(user=cycle.dora, cycle=cycle.cycle, member=head, level="good")
    services.decide(user=cycle.dora, cycle=cycle.cycle, member=head, level="completed")


def test_the_quota_blocks_a_second_excellent_among_five_good(cycle, django_user_model):
    services.decide(user=cycle.dora, cycle=cycle.cycle, level="good")
    extra = [services.add_member(user=cycle.people.alice, cycle=cycle.cycle, name=f"Lê Văn {c}", position="Ủy viên") for c in "FGH"]
    people = cycle.members[1:] + extra  # seven, none the head
    for member in people[:5]:
        services.decide(user=cycle.dora, cycle=cycle.cycle, member=member, level="good")
    services.decide(user=cycle.dora, cycle=cycle.cycle, member=people[5], level="excellent")  # 1 with 5 good
    checks = checks_for(cycle.cycle, people[6], "excellent")
    assert not next(check for check in checks if check["rule"] == "quota")["passed"]  # 2 with 5 good
    with pytest.raises(Conflict, match="vượt giới hạn"):
        services.decide(user=cycle.dora, cycle=cycle.cycle, member=people[6], level="excellent")
    assert Decision.objects.filter(cycle=cycle.cycle).count() == 7


# --- inflated ratings -----------------------------------------------------------------------------------


def _decide_all(c, cycle, members, level):
    services.decide(user=c.dora, cycle=cycle, level="good", override_reason="minh họa")
    for member in members:
        services.decide(user=c.dora, cycle=cycle, member=member, level=level, override_reason="minh họa")


def test_everyone_good_while_the_targets_lag_is_flagged_with_the_figures(cycle):
    assert tally_of(cycle.cycle).flags == []
    _decide_all(cycle, cycle.cycle, cycle.members, "good")
    flags = tally_of(cycle.cycle).flags
    assert [flag["flag"] for flag in flags] == ["all_good_while_targets_lag"] and "11/19" in flags[0]["text"]


def test_a_mix_of_levels_is_not_flagged(cycle):
    services.decide(user=cycle.dora, cycle=cycle.cycle, level="good")
    for member, level in zip(cycle.members, ["completed", "good", "good", "completed", "good"], strict=True):
        services.decide(user=cycle.dora, cycle=cycle.cycle, member=member, level=level, override_reason="minh họa")
    assert tally_of(cycle.cycle).flags == []


def test_ratings_that_never_vary_for_three_years_are_flagged(cycle):
    earlier = []
    for year in (2019, 2020):
        other = services.create_cycle(user=cycle.people.alice, key=f"ct-btv-{year}", title=f"Kiểm điểm {year}", org_code="CT",
                                      collective="Ban Thường vụ (minh họa)", year=year)
        services.grant(user=cycle.people.alice, cycle=other, to=cycle.dora, role=CycleRole.DECIDER)
        members = [services.add_member(user=cycle.people.alice, cycle=other, name=m.name, position=m.position, is_head=m.is_head,
                                       member_user=m.user) for m in cycle.members]
        _decide_all(cycle, other, members, "completed")
        earlier.append(other)
    _decide_all(cycle, cycle.cycle, cycle.members, "completed")
    flags = tally_of(cycle.cycle).flags
    assert [flag["flag"] for flag in flags] == ["ratings_never_vary"] and "2019–2021" in flags[0]["text"]
    # a reader not named in the earlier cycles does not get them read for her
    assert tally_of(cycle.cycle, reader=cycle.carl).flags == []  # Carl counts ballots in 2021 only
    assert [flag["flag"] for flag in tally_of(cycle.cycle, reader=cycle.dora).flags] == ["ratings_never_vary"]
    # one member rated differently in one year: no flag
    Decision.objects.filter(cycle=earlier[0], member__name="Nguyễn Văn B").update(level="good")
    assert tally_of(cycle.cycle).flags == []


def test_quarterly_scores_make_the_year_s_points_under_qd_366(cycle):
    cycle.cycle.rule_set = "qd-366-2025"
    cycle.cycle.save()
    with pytest.raises(Invalid):
        services.record_facts(user=cycle.olga, cycle=cycle.cycle, facts={"quarter_points": [80, 90, 85, 95, 70]})
    with pytest.raises(Invalid):
        services.record_facts(user=cycle.olga, cycle=cycle.cycle, facts={"quarter_points": [80, 101]})
    services.record_facts(user=cycle.olga, cycle=cycle.cycle, facts={"quarter_points": [40, 45, 50, 55]})
    from nghiquyet.review.tally import collective_facts

    assert collective_facts(cycle.cycle)["points"] == Decimal("47.5")
    assert collective_ceiling(cycle.cycle).ceiling.level == "not_completed"  # under 50 points for the year


def test_members_without_an_account_count_among_all_and_present(cycle):
    present_all(cycle)
    question = services.open_question(user=cycle.olga, cycle=cycle.cycle)
    assert (question.members_total, question.present_total) == (5, 5)  # Nguyễn Văn E has no account: still a member


def test_in_the_qd_366_gap_people_decide_but_not_above_completed(cycle):
    from nghiquyet.review.tally import collective_ceiling as ceiling_of

    cycle.cycle.rule_set, cycle.cycle.resolution = "qd-366-2025", None
    cycle.cycle.facts = {"points": "80", "tasks_late_share": "0.5", "cadre_work_wrongdoing": False, "disunity": False}
    cycle.cycle.save()
    assert ceiling_of(cycle.cycle).gap is True  # 80 points, half the tasks late: no level's conditions hold
    checks = {level: checks_for(cycle.cycle, None, level)[0]["passed"] for level in ("excellent", "good", "completed", "not_completed")}
    assert checks == {"excellent": False, "good": False, "completed": True, "not_completed": True}


def test_a_qd_366_member_is_judged_on_their_own_tasks_and_the_head_on_the_unit_s_too(cycle):
    from nghiquyet.review.tally import member_ceiling

    cycle.cycle.rule_set = "qd-366-2025"
    cycle.cycle.save()
    member, head = cycle.members[1], cycle.members[0]
    services.record_facts(user=cycle.olga, cycle=cycle.cycle, member=member, facts={"points": "95", "tasks_exceeded_share": "0"})
    assert member_ceiling(cycle.cycle, member).level != "excellent"  # none of their tasks exceeded
    services.record_facts(user=cycle.olga, cycle=cycle.cycle, member=head, facts={"points": "95"})
    assert member_ceiling(cycle.cycle, head).level == "not_completed"  # the unit met 11/19: under 70%


def test_decisions_are_not_refused_for_their_order(cycle):
    services.decide(user=cycle.dora, cycle=cycle.cycle, level="good")
    extra = [services.add_member(user=cycle.people.alice, cycle=cycle.cycle, name=f"Lê Văn {c}", position="Ủy viên") for c in "FGH"]
    first = cycle.members[1]
    decision = services.decide(user=cycle.dora, cycle=cycle.cycle, member=first, level="excellent")  # before the goods
    quota = next(check for check in decision.checks if check["rule"] == "quota")
    assert quota["passed"] and "chưa xếp loại" in quota["text"] and not decision.override_reason
    assert len(extra) == 3
