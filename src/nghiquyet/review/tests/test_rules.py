"""The rating rules of each shipped rule set, case by case (review.rules, review.rule_files). No database."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from nghiquyet.lib.errors import DomainError, NotFound
from nghiquyet.review import rule_files
from nghiquyet.review.checks import (
    ballot_outcome,
    band_of,
    check_head_cap,
    check_quota,
    quota_limit,
    year_points,
)
from nghiquyet.review.rules import Level, ceiling, evaluate

E, G, C, N = Level.EXCELLENT, Level.GOOD, Level.COMPLETED, Level.NOT_COMPLETED
ALL = ("qd-132-2018", "qd-124-2023", "qd-366-2025")

# A collective with nothing against it: every yes/no fact recorded as "no".
CLEAN = {"collective_disciplined": False, "subordinate_units_disciplined_share": 0, "corruption_in_scope": False,
         "disunity": False, "members_degraded": 0, "leadership_member_disciplined": False, "subordinate_unit_disciplined": False,
         "shortcomings_fixed": True, "cadre_work_wrongdoing": False, "key_targets_missed": 0, "basic_targets_missed": 0,
         "tasks_late_share": 0}


def rs(key: str):
    return rule_files.get(key)


# --- the files -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("year", "key"), [(2018, "qd-132-2018"), (2021, "qd-132-2018"), (2022, "qd-132-2018"),
                                           (2023, "qd-124-2023"), (2024, "qd-124-2023"), (2025, "qd-366-2025"), (2031, "qd-366-2025")])
def test_the_rule_set_follows_the_review_year(year, key):
    assert rule_files.for_year(year).key == key


def test_no_rule_set_before_2018():
    with pytest.raises(NotFound, match="2017"):
        rule_files.for_year(2017)


@pytest.mark.parametrize("key", ALL)
def test_every_rule_names_its_source_and_certainty(key):
    for rule in rs(key).rules:
        assert rule.source.strip() and rule.ref.strip()
        assert rule.certainty in {"Q", "S", "unverified"}
        assert rule.text["vi"].strip() and rule.text["en"].strip()


def test_what_we_could_not_read_is_marked_unverified():
    assert rs("qd-366-2025").rule("task_points").certainty == "unverified"  # HD 43's mapping not read
    for key in ALL:
        assert rs(key).rule("ballot").certainty == "unverified"  # only HD 07 (2011) found
        assert rs(key).rule("quota").params["rounding_certainty"] == "unverified"


def test_an_adjustment_changes_a_parameter_for_one_cycle_only():
    raised = rule_files.adjusted(rs("qd-132-2018"), {"quota": {"rounding": "round"}})
    assert raised.rule("quota").params["rounding"] == "round"
    assert rs("qd-132-2018").rule("quota").params["rounding"] == "floor"


@pytest.mark.parametrize("adjustment", [{"nope": {"share": "0.3"}}, {"quota": {"test": {}}}])
def test_an_adjustment_of_an_unknown_rule_or_parameter_is_refused(adjustment):
    with pytest.raises(DomainError):
        rule_files.adjusted(rs("qd-132-2018"), adjustment)


# --- test expressions --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("test", "facts", "expected"), [
    ({"fact": "x", "below": "0.5"}, {"x": Fraction(1, 2)}, False),
    ({"fact": "x", "below": "0.5"}, {"x": Fraction(49, 100)}, True),
    ({"fact": "x", "at_least": "2/3"}, {"x": Fraction(2, 3)}, True),
    ({"fact": "x", "above": "0.2"}, {"x": Fraction(1, 5)}, False),
    ({"fact": "x", "is": True}, {"x": False}, False),
    ({"fact": "x", "is": True}, {}, None),
    ({"all": [{"fact": "x", "is": True}, {"fact": "y", "is": True}]}, {"x": False}, False),  # settled without y
    ({"all": [{"fact": "x", "is": True}, {"fact": "y", "is": True}]}, {"x": True}, None),
    ({"any": [{"fact": "x", "is": True}, {"fact": "y", "is": True}]}, {"y": True}, True),
])
def test_expressions(test, facts, expected):
    assert evaluate(test, facts) is expected


# --- the quota -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", ALL)
@pytest.mark.parametrize(("excellent", "good", "passes"), [
    (1, 5, True),    # 20% of 5 = 1
    (2, 5, False),
    (2, 8, False),   # separates readings: 20% of 8 = 1,6 → 1 by floor; "good and above" (10) would allow 2
    (1, 8, True),
    (2, 10, True),
    (1, 4, False),   # 0,8 → 0 by floor
    (0, 0, True),
])
def test_the_quota_counts_those_rated_exactly_good_and_rounds_down(key, excellent, good, passes):
    levels = [E] * excellent + [G] * good + [C]
    check = check_quota(rs(key), levels)
    assert check.passed is passes
    assert f"{excellent} xuất sắc, {good} tốt" in check.text


def test_rounding_is_a_parameter_and_the_reading_shows_in_the_text():
    rounded = rule_files.adjusted(rs("qd-132-2018"), {"quota": {"rounding": "round"}})
    assert check_quota(rounded, [E, E] + [G] * 8).passed  # 1,6 → 2 when rounded half up
    assert "làm tròn gần nhất" in check_quota(rounded, [E, E] + [G] * 8).text
    assert "làm tròn xuống" in check_quota(rs("qd-132-2018"), [E, E] + [G] * 8).text


def test_qd_366_may_raise_the_quota_to_a_quarter_for_outstanding_units():
    rule = rs("qd-366-2025").rule("quota")
    assert quota_limit(rule, 8) == 1 and quota_limit(rule, 8, raised=True) == 2
    assert not check_quota(rs("qd-366-2025"), [E, E] + [G] * 8).passed
    assert check_quota(rs("qd-366-2025"), [E, E] + [G] * 8, raised=True).passed
    assert quota_limit(rs("qd-124-2023").rule("quota"), 8, raised=True) == 1  # no raised share before 2025


# --- the head --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", ALL)
@pytest.mark.parametrize(("head", "collective", "passes"), [(G, G, True), (C, G, True), (E, G, False), (G, None, False), (N, N, True)])
def test_the_head_is_never_above_the_collective_and_is_rated_after_it(key, head, collective, passes):
    assert check_head_cap(rs(key), head=head, collective=collective).passed is passes


# --- "not completed" -------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["qd-132-2018", "qd-124-2023"])
@pytest.mark.parametrize(("changed", "rule_id"), [
    ({"targets_completed_share": Fraction(9, 19), "key_targets_missed": 2}, "nc_targets"),
    ({"collective_disciplined": True}, "nc_disciplined"),
    ({"subordinate_units_disciplined_share": Fraction(21, 100)}, "nc_subordinates"),
    ({"corruption_in_scope": True}, "nc_corruption"),
    ({"disunity": True}, "nc_disunity"),
    ({"members_degraded": 1}, "nc_degraded_member"),
])
def test_collective_triggers_before_2025(key, changed, rule_id):
    facts = {**CLEAN, "targets_completed_share": Fraction(15, 19), **changed}
    result = ceiling(rs(key), facts)
    assert result.level == N
    assert [reason.rule_id for reason in result.reasons if reason.verdict == "triggers"] == [rule_id]


@pytest.mark.parametrize("key", ["qd-132-2018", "qd-124-2023"])
def test_under_half_of_the_targets_alone_does_not_trigger_without_key_targets_missed(key):
    facts = {**CLEAN, "targets_completed_share": Fraction(9, 19), "key_targets_missed": 0}
    assert ceiling(rs(key), facts).level != N
    facts["subordinate_units_disciplined_share"] = Fraction(1, 5)  # exactly 20%: not "over"
    assert ceiling(rs(key), facts).level != N


@pytest.mark.parametrize(("changed", "rule_id"), [
    ({"targets_completed_share": Fraction(69, 100)}, "nc_tasks"),
    ({"basic_targets_missed": 1}, "nc_basic_targets"),
    ({"cadre_work_wrongdoing": True}, "nc_cadre_work"),
    ({"disunity": True}, "nc_disunity"),
    ({"leadership_member_disciplined": True}, "nc_member_disciplined"),
    ({"members_degraded": 2}, "nc_degraded_member"),
    ({"points": 49}, "nc_points"),
])
def test_collective_triggers_from_2025(changed, rule_id):
    facts = {**CLEAN, "targets_completed_share": Fraction(1), "targets_exceeded_share": Fraction(1, 2), **changed}
    result = ceiling(rs("qd-366-2025"), facts)
    assert result.level == N
    assert rule_id in [reason.rule_id for reason in result.reasons if reason.verdict == "triggers"]


@pytest.mark.parametrize(("key", "subject", "facts", "rule_id"), [
    ("qd-132-2018", "member", {"criterion_graded_poor": True}, "nc_poor_criterion"),
    ("qd-132-2018", "leader", {"degraded": True}, "nc_degraded"),
    ("qd-124-2023", "member", {"broke_rules": True}, "nc_broke_rules"),
    ("qd-366-2025", "leader", {"units_led_not_completed_share": Fraction(3, 5)}, "nc_units_led"),
    ("qd-366-2025", "leader", {"low_confidence_share": Fraction(51, 100)}, "nc_low_confidence"),
    ("qd-366-2025", "member", {"tasks_not_completed_share": Fraction(51, 100)}, "nc_member_tasks"),
    ("qd-366-2025", "member", {"disciplined": True}, "nc_disciplined"),
])
def test_individual_triggers(key, subject, facts, rule_id):
    result = ceiling(rs(key), facts, subject=subject)
    assert result.level == N and result.reasons[0].rule_id == rule_id


def test_a_collective_trigger_does_not_apply_to_a_member():
    assert ceiling(rs("qd-132-2018"), {"collective_disciplined": True}, subject="member").level != N


# --- excellent and the ceiling from the figures ----------------------------------------------------------


def test_2021_can_tho_eleven_of_nineteen_is_not_excellent():
    facts = {**CLEAN, "targets_completed_share": Fraction(11, 19), "targets_exceeded_share": Fraction(8, 19), "key_targets_missed": 5}
    result = ceiling(rs("qd-132-2018"), facts, shown={"targets_completed_share": "đạt và vượt 11/19 chỉ tiêu"})
    assert result.level == G
    out = next(reason for reason in result.reasons if reason.verdict == "rules_out")
    assert out.rule_id == "excellent_targets" and "11/19" in out.text and "chưa kiểm chứng" in out.text
    # and "good" has no numeric criterion: said, not invented
    assert any(reason.verdict == "qualitative" and reason.rule_id == "good_criteria" for reason in result.reasons)


def test_every_target_met_leaves_excellent_open_but_qualitative():
    facts = {**CLEAN, "targets_completed_share": Fraction(1), "targets_exceeded_share": Fraction(1, 2)}
    result = ceiling(rs("qd-132-2018"), facts)
    assert result.level == E
    assert any(reason.verdict == "qualitative" and reason.rule_id == "excellent_criteria" for reason in result.reasons)


def test_unknown_facts_are_listed_not_assumed():
    result = ceiling(rs("qd-132-2018"), {"targets_completed_share": Fraction(1)})
    unknown = next(reason for reason in result.reasons if reason.verdict == "unknown")
    assert "tập thể bị kỷ luật" in unknown.text


def test_qd_124_excellent_needs_no_discipline_in_the_collective():
    facts = {**CLEAN, "targets_completed_share": Fraction(1), "targets_exceeded_share": Fraction(1, 2), "subordinate_unit_disciplined": True}
    result = ceiling(rs("qd-124-2023"), facts)
    assert result.level != E


@pytest.mark.parametrize(("exceeded", "expected"), [(Fraction(3, 10), E), (Fraction(29, 100), G)])
def test_qd_366_excellent_needs_thirty_percent_exceeded(exceeded, expected):
    facts = {**CLEAN, "targets_completed_share": Fraction(1), "targets_exceeded_share": exceeded, "points": 95}
    assert ceiling(rs("qd-366-2025"), facts).level == expected


@pytest.mark.parametrize(("points", "expected"), [(Decimal("90"), E), (Decimal("89.9"), G), (Decimal("70"), G), (Decimal("69.5"), C)])
def test_qd_366_points_bands(points, expected):
    facts = {**CLEAN, "targets_completed_share": Fraction(1), "targets_exceeded_share": Fraction(1, 2), "points": points}
    assert ceiling(rs("qd-366-2025"), facts).level == expected
    assert band_of(rs("qd-366-2025"), points) == expected


def test_qd_366_excellent_also_needs_earlier_shortcomings_fixed():
    facts = {**CLEAN, "targets_completed_share": Fraction(1), "targets_exceeded_share": Fraction(1, 2), "points": 95, "shortcomings_fixed": False}
    assert ceiling(rs("qd-366-2025"), facts).level == G


def test_qd_366_points_from_the_figures_are_a_best_case_and_say_so():
    facts = {**CLEAN, "targets_completed_share": Fraction(1), "targets_exceeded_share": Fraction(1, 2)}
    result = ceiling(rs("qd-366-2025"), facts)
    assert result.points == Decimal("100.0")
    assert any(reason.verdict == "points" and "tối đa" in reason.text and "chưa kiểm chứng" in reason.text for reason in result.reasons)


def test_qd_366_gap_is_flagged_never_guessed():
    # 80 points, no listed case, but tasks unfinished (80% completed): "completed" needs 100%; nothing fits.
    facts = {**CLEAN, "targets_completed_share": Fraction(4, 5), "targets_exceeded_share": Fraction(0), "points": 80}
    result = ceiling(rs("qd-366-2025"), facts)
    assert result.gap is True
    assert result.reasons[-1].verdict == "gap"


# --- ballot and quarters ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("counts", "members", "present", "expected"), [
    ({"excellent": 10, "good": 3, "completed": 2}, 15, 15, E),   # exactly 2/3: carries
    ({"excellent": 9, "good": 4, "completed": 2}, 15, 15, G),    # 9/15 < 2/3, 13/15 > 1/2 cumulative
    ({"excellent": 4, "good": 4, "completed": 0}, 16, 8, None),  # 8/16 is not over a half of all members
    ({"completed": 8, "not_completed": 7}, 15, 15, C),
    ({"not_completed": 9, "completed": 6}, 15, 15, N),           # 6/15 for completed does not carry; 9/15 against does
    ({"good": 7, "not_completed": 7}, 15, 14, None),             # neither over half of all members
])
def test_ballot_outcome_by_the_default_thresholds(counts, members, present, expected):
    outcome = ballot_outcome(rs("qd-132-2018"), counts, members=members, present=present)
    assert outcome.level == expected


def test_ballot_denominator_is_data():
    present_based = rule_files.adjusted(rs("qd-132-2018"), {"ballot": {"denominator": "present"}})
    outcome = ballot_outcome(present_based, {"excellent": 4, "good": 4}, members=16, present=8)
    assert outcome.level == G and outcome.denominator == 8  # 8/8 of those present; 8/16 of all would not carry
    assert ballot_outcome(rs("qd-132-2018"), {"excellent": 4, "good": 4}, members=16, present=8).level is None


@pytest.mark.parametrize(("quarters", "expected"), [([Decimal(80), Decimal(90), Decimal(85), Decimal(95)], Decimal("87.5")), ([], None)])
def test_quarterly_points_roll_up_to_the_year(quarters, expected):
    assert year_points(rs("qd-366-2025"), quarters) == expected


def test_a_reason_names_the_level_of_the_rule_it_cites():
    facts = {**CLEAN, "targets_completed_share": Fraction(4, 5), "targets_exceeded_share": Fraction(0), "points": 80}
    result = ceiling(rs("qd-366-2025"), facts)
    texts = {reason.rule_id: reason.text for reason in result.reasons if reason.verdict == "rules_out"}
    assert texts["completed_tasks"].startswith('Không thể "Hoàn thành nhiệm vụ"')
    assert texts["good_tasks"].startswith('Không thể "Hoàn thành tốt nhiệm vụ"')


def test_qd_366_good_and_excellent_need_every_task_on_time():
    facts = {**CLEAN, "targets_completed_share": Fraction(1), "targets_exceeded_share": Fraction(1, 2), "points": 85,
             "tasks_late_share": Fraction(15, 100)}
    assert ceiling(rs("qd-366-2025"), facts).level == C  # 15% late: completed (≤ 20%), not good
