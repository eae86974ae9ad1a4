"""Table tests for the status rules (nghiquyet.targets.rules). Pure: no database."""

from __future__ import annotations

from decimal import Decimal

import pytest

from nghiquyet.targets.rules import (
    ACHIEVED,
    Change,
    ChangeUnit,
    Direction,
    Status,
    Summary,
    ValueKind,
    change_vs_previous,
    evaluate,
    percent_of_plan,
    summarise,
)

D = Decimal
INC = Direction.INCREASE
DEC = Direction.DECREASE
RNG = Direction.RANGE
BND = Direction.BAND
MST = Direction.MILESTONE

EXCEEDED = Status.EXCEEDED
MET = Status.MET
NEARLY = Status.NEARLY_MET
NOT_MET = Status.NOT_MET
NO_DATA = Status.NO_DATA
NO_PLAN = Status.NO_PLAN


# --------------------------------------------------------------------------------------------------------
# evaluate
# columns: direction, plan, actual, plan_max, nearly_met_threshold, expected status
# --------------------------------------------------------------------------------------------------------

EVALUATE_CASES = [
    # increase: higher is better
    pytest.param(INC, D("1600"), D("1635"), None, None, EXCEEDED, id="increase-above-plan-exceeded"),
    pytest.param(INC, D("1600"), D("1600"), None, None, MET, id="increase-equal-plan-met"),
    pytest.param(INC, D("1600"), D("1600.00"), None, None, MET, id="increase-equal-plan-other-scale-met"),
    pytest.param(INC, D("1600"), D("1599"), None, None, NOT_MET, id="increase-below-plan-not-met"),
    pytest.param(INC, D("75"), D("75.01"), None, None, EXCEEDED, id="increase-hair-above-exceeded"),
    pytest.param(INC, D("75"), D("74.99"), None, None, NOT_MET, id="increase-hair-below-not-met"),
    pytest.param(INC, D("100"), D("0"), None, None, NOT_MET, id="increase-zero-actual-not-met"),
    # decrease: lower is better
    pytest.param(DEC, D("1.5"), D("1.2"), None, None, EXCEEDED, id="decrease-below-plan-exceeded"),
    pytest.param(DEC, D("1.5"), D("1.5"), None, None, MET, id="decrease-equal-plan-met"),
    pytest.param(DEC, D("1.5"), D("1.50"), None, None, MET, id="decrease-equal-plan-other-scale-met"),
    pytest.param(DEC, D("1.5"), D("1.8"), None, None, NOT_MET, id="decrease-above-plan-not-met"),
    pytest.param(DEC, D("1.5"), D("1.49"), None, None, EXCEEDED, id="decrease-hair-below-exceeded"),
    pytest.param(DEC, D("1.5"), D("1.51"), None, None, NOT_MET, id="decrease-hair-above-not-met"),
    # range [lo, hi], higher is better
    pytest.param(RNG, D("6.5"), D("6.4"), D("7"), None, NOT_MET, id="range-below-low-not-met"),
    pytest.param(RNG, D("6.5"), D("6.5"), D("7"), None, MET, id="range-at-low-met"),
    pytest.param(RNG, D("6.5"), D("6.8"), D("7"), None, MET, id="range-inside-met"),
    pytest.param(RNG, D("6.5"), D("7"), D("7"), None, MET, id="range-at-high-met"),
    pytest.param(RNG, D("6.5"), D("7.00"), D("7"), None, MET, id="range-at-high-other-scale-met"),
    pytest.param(RNG, D("6.5"), D("7.01"), D("7"), None, EXCEEDED, id="range-above-high-exceeded"),
    pytest.param(RNG, D("6.5"), D("6.49"), D("7"), None, NOT_MET, id="range-hair-below-low-not-met"),
    # range without plan_max: the range is the single point [plan, plan]
    pytest.param(RNG, D("6.5"), D("6.4"), None, None, NOT_MET, id="range-no-max-below-not-met"),
    pytest.param(RNG, D("6.5"), D("6.5"), None, None, MET, id="range-no-max-equal-met"),
    pytest.param(RNG, D("6.5"), D("6.6"), None, None, EXCEEDED, id="range-no-max-above-exceeded"),
    # band [lo, hi]: both sides are bad
    pytest.param(BND, D("3"), D("2.9"), D("4"), None, NOT_MET, id="band-below-low-not-met"),
    pytest.param(BND, D("3"), D("3"), D("4"), None, MET, id="band-at-low-met"),
    pytest.param(BND, D("3"), D("3.5"), D("4"), None, MET, id="band-inside-met"),
    pytest.param(BND, D("3"), D("4"), D("4"), None, MET, id="band-at-high-met"),
    pytest.param(BND, D("3"), D("4.1"), D("4"), None, NOT_MET, id="band-above-high-not-met"),
    pytest.param(BND, D("3"), D("4.01"), D("4"), None, NOT_MET, id="band-hair-above-high-not-met"),
    # band without plan_max: the band is the single point [plan, plan]
    pytest.param(BND, D("4"), D("3.9"), None, None, NOT_MET, id="band-no-max-below-not-met"),
    pytest.param(BND, D("4"), D("4"), None, None, MET, id="band-no-max-equal-met"),
    pytest.param(BND, D("4"), D("4.1"), None, None, NOT_MET, id="band-no-max-above-not-met"),
    # milestone: done (1) / not done (0)
    pytest.param(MST, D("1"), D("1"), None, None, MET, id="milestone-done-met"),
    pytest.param(MST, D("1"), D("1.0"), None, None, MET, id="milestone-done-other-scale-met"),
    pytest.param(MST, D("1"), D("0"), None, None, NOT_MET, id="milestone-not-done-not-met"),
    pytest.param(MST, D("1"), D("1"), None, D("95"), MET, id="milestone-done-threshold-ignored-met"),
    pytest.param(MST, D("1"), D("0"), None, D("95"), NOT_MET, id="milestone-not-done-threshold-ignored"),
    # no result: no_data, whatever the plan (even without one)
    pytest.param(INC, D("1600"), None, None, None, NO_DATA, id="increase-no-result-no-data"),
    pytest.param(DEC, D("1.5"), None, None, None, NO_DATA, id="decrease-no-result-no-data"),
    pytest.param(RNG, D("6.5"), None, D("7"), None, NO_DATA, id="range-no-result-no-data"),
    pytest.param(BND, D("3"), None, D("4"), None, NO_DATA, id="band-no-result-no-data"),
    pytest.param(MST, D("1"), None, None, None, NO_DATA, id="milestone-no-result-no-data"),
    pytest.param(INC, None, None, None, None, NO_DATA, id="increase-no-result-no-plan-no-data"),
    pytest.param(DEC, None, None, None, None, NO_DATA, id="decrease-no-result-no-plan-no-data"),
    pytest.param(RNG, None, None, None, None, NO_DATA, id="range-no-result-no-plan-no-data"),
    pytest.param(BND, None, None, None, None, NO_DATA, id="band-no-result-no-plan-no-data"),
    pytest.param(MST, None, None, None, None, NO_DATA, id="milestone-no-result-no-plan-no-data"),
    pytest.param(INC, None, None, None, D("95"), NO_DATA, id="increase-no-result-no-plan-threshold-no-data"),
    pytest.param(INC, D("0"), None, None, None, NO_DATA, id="increase-no-result-zero-plan-no-data"),
    # a result without a plan: no_plan
    pytest.param(INC, None, D("1635"), None, None, NO_PLAN, id="increase-no-plan"),
    pytest.param(INC, None, D("0"), None, None, NO_PLAN, id="increase-zero-result-no-plan"),
    pytest.param(INC, None, D("1635"), None, D("95"), NO_PLAN, id="increase-no-plan-threshold-set"),
    pytest.param(DEC, None, D("1.2"), None, None, NO_PLAN, id="decrease-no-plan"),
    pytest.param(RNG, None, D("6.8"), None, None, NO_PLAN, id="range-no-plan"),
    pytest.param(RNG, None, D("6.8"), D("7"), None, NO_PLAN, id="range-only-max-no-plan"),
    pytest.param(BND, None, D("3.5"), None, None, NO_PLAN, id="band-no-plan"),
    pytest.param(BND, None, D("3.5"), D("4"), None, NO_PLAN, id="band-only-max-no-plan"),
    pytest.param(MST, None, D("1"), None, None, NO_PLAN, id="milestone-done-no-plan"),
    pytest.param(MST, None, D("0"), None, None, NO_PLAN, id="milestone-not-done-no-plan"),
    # zero plans: statuses still come from numeric comparison
    pytest.param(INC, D("0"), D("1"), None, None, EXCEEDED, id="increase-zero-plan-positive-exceeded"),
    pytest.param(INC, D("0"), D("0"), None, None, MET, id="increase-zero-plan-zero-met"),
    pytest.param(INC, D("0"), D("-1"), None, None, NOT_MET, id="increase-zero-plan-negative-not-met"),
    pytest.param(INC, D("0"), D("-0.01"), None, D("95"), NOT_MET, id="increase-zero-plan-threshold-not-nearly"),
    pytest.param(DEC, D("0"), D("-1"), None, None, EXCEEDED, id="decrease-zero-plan-negative-exceeded"),
    pytest.param(DEC, D("0"), D("0"), None, None, MET, id="decrease-zero-plan-zero-met"),
    pytest.param(DEC, D("0"), D("0.1"), None, None, NOT_MET, id="decrease-zero-plan-positive-not-met"),
    pytest.param(RNG, D("0"), D("-0.1"), D("2"), None, NOT_MET, id="range-zero-low-below-not-met"),
    pytest.param(RNG, D("0"), D("0"), D("2"), None, MET, id="range-zero-low-at-low-met"),
    pytest.param(RNG, D("0"), D("2.5"), D("2"), None, EXCEEDED, id="range-zero-low-above-exceeded"),
    pytest.param(BND, D("0"), D("-0.1"), D("2"), None, NOT_MET, id="band-zero-low-below-not-met"),
    pytest.param(BND, D("0"), D("1"), D("2"), None, MET, id="band-zero-low-inside-met"),
    pytest.param(BND, D("0"), D("2.5"), D("2"), None, NOT_MET, id="band-zero-low-above-not-met"),
    # negative plans: statuses still come from numeric comparison
    pytest.param(INC, D("-5"), D("-3"), None, None, EXCEEDED, id="increase-negative-plan-above-exceeded"),
    pytest.param(INC, D("-5"), D("-5"), None, None, MET, id="increase-negative-plan-equal-met"),
    pytest.param(INC, D("-5"), D("-6"), None, None, NOT_MET, id="increase-negative-plan-below-not-met"),
    pytest.param(INC, D("-5"), D("2"), None, None, EXCEEDED, id="increase-negative-plan-positive-exceeded"),
    pytest.param(INC, D("-5"), D("-5.1"), None, D("95"), NOT_MET, id="increase-negative-plan-no-nearly"),
    pytest.param(INC, D("-100"), D("-104"), None, D("95"), NOT_MET, id="increase-negative-plan-104pc-no-nearly"),
    pytest.param(DEC, D("-5"), D("-6"), None, None, EXCEEDED, id="decrease-negative-plan-below-exceeded"),
    pytest.param(DEC, D("-5"), D("-5"), None, None, MET, id="decrease-negative-plan-equal-met"),
    pytest.param(DEC, D("-5"), D("-4"), None, None, NOT_MET, id="decrease-negative-plan-above-not-met"),
    pytest.param(RNG, D("-2"), D("-3"), D("-1"), None, NOT_MET, id="range-negative-below-not-met"),
    pytest.param(RNG, D("-2"), D("-1.5"), D("-1"), None, MET, id="range-negative-inside-met"),
    pytest.param(RNG, D("-2"), D("0"), D("-1"), None, EXCEEDED, id="range-negative-above-exceeded"),
    pytest.param(BND, D("-2"), D("-3"), D("-1"), None, NOT_MET, id="band-negative-below-not-met"),
    pytest.param(BND, D("-2"), D("-2"), D("-1"), None, MET, id="band-negative-at-low-met"),
    pytest.param(BND, D("-2"), D("0"), D("-1"), None, NOT_MET, id="band-negative-above-not-met"),
    # nearly-met threshold on: increase targets at or above it but below plan
    pytest.param(INC, D("100"), D("95"), None, D("95"), NEARLY, id="nearly-at-threshold"),
    pytest.param(INC, D("100"), D("97.5"), None, D("95"), NEARLY, id="nearly-between-threshold-and-plan"),
    pytest.param(INC, D("100"), D("99.99"), None, D("95"), NEARLY, id="nearly-just-below-plan"),
    pytest.param(INC, D("100"), D("94.99"), None, D("95"), NOT_MET, id="nearly-just-below-threshold-not-met"),
    pytest.param(INC, D("100"), D("50"), None, D("95"), NOT_MET, id="nearly-far-below-not-met"),
    pytest.param(INC, D("100"), D("0"), None, D("95"), NOT_MET, id="nearly-zero-actual-not-met"),
    pytest.param(INC, D("100"), D("100"), None, D("95"), MET, id="nearly-at-plan-met"),
    pytest.param(INC, D("100"), D("101"), None, D("95"), EXCEEDED, id="nearly-above-plan-exceeded"),
    pytest.param(INC, D("1600"), D("1520"), None, D("95"), NEARLY, id="nearly-1520-of-1600-is-95pc"),
    pytest.param(INC, D("1600"), D("1519.99"), None, D("95"), NOT_MET, id="nearly-1519.99-of-1600-not-met"),
    pytest.param(INC, D("3"), D("2.85"), None, D("95"), NEARLY, id="nearly-2.85-of-3-is-95pc"),
    pytest.param(INC, D("3"), D("2.84"), None, D("95"), NOT_MET, id="nearly-2.84-of-3-not-met"),
    pytest.param(INC, D("100"), D("90"), None, D("90"), NEARLY, id="nearly-other-threshold-90"),
    pytest.param(INC, D("100"), D("89.9"), None, D("90"), NOT_MET, id="nearly-below-other-threshold-90"),
    # nearly-met threshold off: never produced
    pytest.param(INC, D("100"), D("99.99"), None, None, NOT_MET, id="no-threshold-just-below-plan-not-met"),
    pytest.param(INC, D("100"), D("95"), None, None, NOT_MET, id="no-threshold-95pc-not-met"),
    # nearly-met threshold never applies to decrease, range, band
    pytest.param(DEC, D("100"), D("101"), None, D("95"), NOT_MET, id="decrease-threshold-ignored"),
    pytest.param(DEC, D("100"), D("104"), None, D("95"), NOT_MET, id="decrease-threshold-ignored-104"),
    pytest.param(DEC, D("100"), D("99"), None, D("95"), EXCEEDED, id="decrease-threshold-exceeded"),
    pytest.param(DEC, D("100"), D("100"), None, D("95"), MET, id="decrease-threshold-met"),
    pytest.param(RNG, D("100"), D("99"), D("110"), None, NOT_MET, id="range-no-threshold-below-not-met"),
    pytest.param(RNG, D("100"), D("99"), D("110"), D("95"), NOT_MET, id="range-threshold-ignored"),
    pytest.param(RNG, D("6.5"), D("6.4"), D("7"), D("95"), NOT_MET, id="range-threshold-ignored-6.4"),
    pytest.param(RNG, D("100"), D("99"), None, D("95"), NOT_MET, id="range-no-max-threshold-ignored"),
    pytest.param(BND, D("100"), D("99"), D("110"), D("95"), NOT_MET, id="band-threshold-ignored-below"),
    pytest.param(BND, D("3"), D("2.9"), D("4"), D("95"), NOT_MET, id="band-threshold-ignored-2.9"),
    pytest.param(BND, D("100"), D("99"), None, D("95"), NOT_MET, id="band-no-max-threshold-ignored"),
]


@pytest.mark.parametrize(("direction", "plan", "actual", "plan_max", "threshold", "expected"), EVALUATE_CASES)
def test_it_evaluates_the_status_by_the_direction(direction, plan, actual, plan_max, threshold, expected):
    status = evaluate(
        direction=direction, plan=plan, actual=actual, plan_max=plan_max, nearly_met_threshold=threshold
    )
    assert status is expected


def test_it_never_produces_nearly_met_when_no_threshold_is_set():
    plan = D("100")
    statuses = {
        evaluate(direction=direction, plan=plan, actual=D(actual))
        for direction in Direction
        for actual in ("0", "50", "94.99", "95", "99", "99.99", "100", "101", "1")
    }
    assert Status.NEARLY_MET not in statuses


def test_it_applies_the_nearly_met_threshold_to_increase_targets_only():
    plan, actual, threshold = D("100"), D("97"), D("95")
    by_direction = {
        direction: evaluate(direction=direction, plan=plan, actual=actual, nearly_met_threshold=threshold)
        for direction in Direction
    }
    assert by_direction == {
        Direction.INCREASE: Status.NEARLY_MET,
        Direction.DECREASE: Status.EXCEEDED,
        Direction.RANGE: Status.NOT_MET,
        Direction.BAND: Status.NOT_MET,
        Direction.MILESTONE: Status.NOT_MET,
    }


def test_it_counts_only_exceeded_and_met_as_achieved():
    assert frozenset({Status.EXCEEDED, Status.MET}) == ACHIEVED


# --------------------------------------------------------------------------------------------------------
# percent_of_plan
# columns: direction, plan, actual, expected
# --------------------------------------------------------------------------------------------------------

PERCENT_OF_PLAN_CASES = [
    pytest.param(INC, D("1600"), D("1632"), D("102"), id="increase-above-plan-102"),
    pytest.param(INC, D("1600"), D("1600"), D("100"), id="increase-at-plan-100"),
    pytest.param(INC, D("1000"), D("947"), D("94.7"), id="increase-below-plan-94.7"),
    pytest.param(INC, D("80"), D("59.504"), D("74.38"), id="increase-below-plan-74.38"),
    pytest.param(INC, D("100"), D("0"), D("0"), id="increase-zero-actual-0"),
    pytest.param(INC, D("100"), D("-10"), D("-10"), id="increase-negative-actual"),
    pytest.param(INC, D("0.5"), D("0.75"), D("150"), id="increase-fractional-plan-150"),
    pytest.param(INC, D("3"), D("1"), D("100") / D("3"), id="increase-repeating-third"),
    # None in every other case
    pytest.param(INC, D("0"), D("5"), None, id="increase-zero-plan-none"),
    pytest.param(INC, D("0"), D("0"), None, id="increase-zero-plan-zero-actual-none"),
    pytest.param(INC, D("-5"), D("-3"), None, id="increase-negative-plan-none"),
    pytest.param(INC, D("-5"), D("5"), None, id="increase-negative-plan-positive-actual-none"),
    pytest.param(INC, None, D("5"), None, id="increase-missing-plan-none"),
    pytest.param(INC, D("100"), None, None, id="increase-missing-actual-none"),
    pytest.param(INC, None, None, None, id="increase-missing-both-none"),
    pytest.param(DEC, D("1.5"), D("1.2"), None, id="decrease-none"),
    pytest.param(DEC, D("100"), D("100"), None, id="decrease-at-plan-none"),
    pytest.param(RNG, D("6.5"), D("6.8"), None, id="range-none"),
    pytest.param(BND, D("3"), D("3.5"), None, id="band-none"),
    pytest.param(MST, D("1"), D("1"), None, id="milestone-done-none"),
    pytest.param(MST, D("1"), D("0"), None, id="milestone-not-done-none"),
]


@pytest.mark.parametrize(("direction", "plan", "actual", "expected"), PERCENT_OF_PLAN_CASES)
def test_it_computes_percent_of_plan_for_positive_increase_plans_only(direction, plan, actual, expected):
    share = percent_of_plan(direction=direction, plan=plan, actual=actual)
    if expected is None:
        assert share is None
    else:
        assert isinstance(share, Decimal)
        assert share == expected


# --------------------------------------------------------------------------------------------------------
# change_vs_previous
# columns: value kind, actual, previous, expected Change (or None)
# --------------------------------------------------------------------------------------------------------

PP = ChangeUnit.PERCENTAGE_POINTS
PCT = ChangeUnit.PERCENT

CHANGE_CASES = [
    # percent-valued targets change in percentage points
    pytest.param(ValueKind.PERCENT, D("45.5"), D("45"), Change(D("0.5"), PP), id="percent-up-points"),
    pytest.param(ValueKind.PERCENT, D("1.2"), D("1.7"), Change(D("-0.5"), PP), id="percent-down-points"),
    pytest.param(ValueKind.PERCENT, D("3"), D("3"), Change(D("0"), PP), id="percent-unchanged-points"),
    pytest.param(ValueKind.PERCENT, D("74.38"), D("0"), Change(D("74.38"), PP), id="percent-from-zero-points"),
    pytest.param(ValueKind.PERCENT, D("-1"), D("2"), Change(D("-3"), PP), id="percent-negative-points"),
    # others change in percent of the previous value
    pytest.param(ValueKind.COUNT, D("105.75"), D("100"), Change(D("5.75"), PCT), id="count-up-percent"),
    pytest.param(ValueKind.COUNT, D("1635"), D("1500"), Change(D("9"), PCT), id="count-1635-vs-1500"),
    pytest.param(ValueKind.COUNT, D("90"), D("100"), Change(D("-10"), PCT), id="count-down-percent"),
    pytest.param(ValueKind.COUNT, D("100"), D("100"), Change(D("0"), PCT), id="count-unchanged"),
    pytest.param(ValueKind.MONEY, D("2000"), D("1600"), Change(D("25"), PCT), id="money-up-percent"),
    pytest.param(ValueKind.MONEY, D("0"), D("1600"), Change(D("-100"), PCT), id="money-to-zero"),
    pytest.param(ValueKind.RATE, D("9.5"), D("10"), Change(D("-5"), PCT), id="rate-down-percent"),
    pytest.param(ValueKind.MONEY, D("-50"), D("-100"), Change(D("50"), PCT), id="money-negative-prev-up"),
    pytest.param(ValueKind.MONEY, D("-150"), D("-100"), Change(D("-50"), PCT), id="money-negative-prev-down"),
    pytest.param(ValueKind.MONEY, D("50"), D("-100"), Change(D("150"), PCT), id="money-negative-to-positive"),
    # None: previous is 0 (relative change), a value is missing, or the target is yes/no
    pytest.param(ValueKind.COUNT, D("5"), D("0"), None, id="count-previous-zero-none"),
    pytest.param(ValueKind.MONEY, D("0"), D("0"), None, id="money-both-zero-none"),
    pytest.param(ValueKind.RATE, D("1"), D("0.00"), None, id="rate-previous-zero-other-scale-none"),
    pytest.param(ValueKind.COUNT, None, D("100"), None, id="count-missing-actual-none"),
    pytest.param(ValueKind.COUNT, D("100"), None, None, id="count-missing-previous-none"),
    pytest.param(ValueKind.COUNT, None, None, None, id="count-missing-both-none"),
    pytest.param(ValueKind.PERCENT, None, D("45"), None, id="percent-missing-actual-none"),
    pytest.param(ValueKind.PERCENT, D("45"), None, None, id="percent-missing-previous-none"),
    pytest.param(ValueKind.BOOLEAN, D("1"), D("0"), None, id="boolean-none"),
    pytest.param(ValueKind.BOOLEAN, D("1"), D("1"), None, id="boolean-same-none"),
    pytest.param(ValueKind.BOOLEAN, None, D("1"), None, id="boolean-missing-none"),
]


@pytest.mark.parametrize(("value_kind", "actual", "previous", "expected"), CHANGE_CASES)
def test_it_measures_the_change_against_the_same_period_a_year_earlier(value_kind, actual, previous, expected):
    change = change_vs_previous(value_kind=value_kind, actual=actual, previous=previous)
    if expected is None:
        assert change is None
    else:
        assert isinstance(change, Change)
        assert change.unit is expected.unit
        assert isinstance(change.amount, Decimal)
        assert change.amount == expected.amount


def test_it_gives_a_repeating_relative_change_as_an_exact_decimal_quotient():
    change = change_vs_previous(value_kind=ValueKind.COUNT, actual=D("4"), previous=D("3"))
    assert change == Change(D("100") / D("3"), ChangeUnit.PERCENT)


# --------------------------------------------------------------------------------------------------------
# summarise / Summary
# --------------------------------------------------------------------------------------------------------

SUMMARISE_CASES = [
    pytest.param([], Summary(), 0, id="empty"),
    pytest.param([MET], Summary(total=1, met=1), 1, id="one-met"),
    pytest.param(
        [EXCEEDED] * 5 + [MET] * 6 + [NOT_MET] * 8,
        Summary(total=19, exceeded=5, met=6, not_met=8),
        11,
        id="review-11-of-19",
    ),
    pytest.param(
        [EXCEEDED, MET, NEARLY, NOT_MET, NO_DATA, NO_PLAN],
        Summary(total=6, exceeded=1, met=1, nearly_met=1, not_met=1, no_data=1, no_plan=1),
        2,
        id="one-of-each",
    ),
    pytest.param(
        [NO_DATA, NO_DATA, NO_PLAN, NEARLY],
        Summary(total=4, nearly_met=1, no_data=2, no_plan=1),
        0,
        id="nothing-achieved",
    ),
    pytest.param(
        [NEARLY, NOT_MET, EXCEEDED, NEARLY, EXCEEDED],
        Summary(total=5, exceeded=2, nearly_met=2, not_met=1),
        2,
        id="unordered",
    ),
]


@pytest.mark.parametrize(("statuses", "expected", "achieved"), SUMMARISE_CASES)
def test_it_counts_each_status_and_the_achieved_ones(statuses, expected, achieved):
    summary = summarise(statuses)
    assert summary == expected
    assert summary.achieved == achieved
    assert summary.total == len(statuses)


def test_it_lays_out_the_summary_as_a_dict_of_every_status():
    summary = summarise([EXCEEDED, EXCEEDED, MET, NEARLY, NOT_MET, NOT_MET, NOT_MET, NO_DATA, NO_PLAN])
    assert summary.as_dict() == {
        "total": 9,
        "exceeded": 2,
        "met": 1,
        "nearly_met": 1,
        "not_met": 3,
        "no_data": 1,
        "no_plan": 1,
        "in_progress": 0,
    }


def test_it_sums_the_status_counts_to_the_total():
    summary = summarise([EXCEEDED, MET, NEARLY, NOT_MET, NO_DATA, NO_PLAN, MET, NOT_MET])
    counts = summary.as_dict()
    total = counts.pop("total")
    assert total == 8
    assert sum(counts.values()) == 8
