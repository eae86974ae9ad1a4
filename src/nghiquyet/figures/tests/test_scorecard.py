"""The scorecard of the demo: the figures the Cần Thơ review quotes."""

from decimal import Decimal as D

import pytest

from nghiquyet.figures import writes
from nghiquyet.figures.scorecard import build_scorecard
from nghiquyet.lib.errors import Invalid, NotFound
from nghiquyet.lib.periods import PeriodError, parse_period
from nghiquyet.orgunits.models import OrgUnit
from nghiquyet.targets import services
from nghiquyet.targets.models import Resolution
from nghiquyet.targets.rules import Status

pytestmark = pytest.mark.django_db


def row(scorecard, code):
    return next(r for r in scorecard.rows if r.target.code == code)


def test_2021_meets_or_exceeds_11_of_19(demo):
    scorecard = build_scorecard(resolution_key="ct-2021", org_code="CT", period="2021")
    summary = scorecard.summary
    assert (summary.total, summary.achieved, summary.not_met) == (19, 11, 8)
    assert summary.nearly_met == summary.no_data == summary.no_plan == 0
    assert scorecard.sentence == "Thực hiện đạt và vượt 11/19 chỉ tiêu; 8/19 chỉ tiêu không đạt."


def test_new_party_members_reach_102_percent_of_plan(demo):
    members = row(build_scorecard(resolution_key="ct-2021", org_code="CT", period="2021"), "19")
    assert (members.plan, members.actual, members.status) == (D(1603), D(1635), Status.EXCEEDED)
    assert abs(members.percent_of_plan - D(102)) < D("0.01")
    assert members.percent_text == "102%"
    assert members.actual_text == "1.635"


def test_the_official_figure_wins_over_the_estimate(demo):
    revenue = row(build_scorecard(resolution_key="ct-2021", org_code="CT", period="2021"), "03")
    assert (revenue.actual, revenue.kind) == (D(12064), "official")


def test_an_estimate_is_used_and_named_when_alone(demo):
    ward = build_scorecard(resolution_key="ct-2021", org_code="CT-NK-TA", period="2021")
    poverty = row(ward, "09")
    assert (poverty.actual, poverty.kind) == (D("0.03"), "estimate")


def test_change_against_the_same_period_a_year_earlier(demo):
    scorecard = build_scorecard(resolution_key="ct-2021", org_code="CT", period="2021")
    poverty, revenue = row(scorecard, "09"), row(scorecard, "03")
    assert poverty.change.amount == D("-0.24") and poverty.change_text == "giảm 0,24 điểm %"
    assert revenue.previous_actual == D(10950)
    assert revenue.change_text == "tăng 10,17%"


def test_a_unit_below_the_owner_sees_only_its_own_targets(demo):
    district = build_scorecard(resolution_key="ct-2021", org_code="CT-NK", period="2021")
    assert [r.target.code for r in district.rows] == ["08", "09", "10", "19"]
    assert district.summary.total == 4


def test_the_nearly_met_threshold_is_off_until_set(demo):
    resolution = Resolution.objects.get(key="ct-2021")
    beds = row(build_scorecard(resolution_key="ct-2021", org_code="CT", period="2021"), "12")
    assert beds.status == Status.NOT_MET  # 98,95% of plan
    services.save_resolution(
        key="ct-2021",
        number=resolution.number,
        title=resolution.title,
        org_unit=resolution.org_unit,
        term_start=2020,
        term_end=2025,
        parent=resolution.parent,
        nearly_met_threshold=D(95),
    )
    scorecard = build_scorecard(resolution_key="ct-2021", org_code="CT", period="2021")
    assert row(scorecard, "12").status == Status.NEARLY_MET
    assert row(scorecard, "12").percent_text == "98,95%"
    assert scorecard.summary.nearly_met == 1


def test_json_has_the_documented_shape(demo):
    data = build_scorecard(resolution_key="ct-2021", org_code="CT", period="2021").as_json()
    assert list(data) == ["resolution", "org_unit", "period", "summary", "targets"]
    assert data["summary"] == {
        "total": 19, "exceeded": 8, "met": 3, "nearly_met": 0, "not_met": 8, "no_data": 0, "no_plan": 0, "in_progress": 0
    }
    members = next(t for t in data["targets"] if t["code"] == "19")
    assert list(members) == [
        "code", "name", "unit", "direction", "plan", "plan_max", "actual", "kind",
        "percent_of_plan", "status", "previous_actual", "change", "change_unit", "state", "cause", "source", "derived",
    ]  # the 13 keys in its order, then "state" (added by the access issue), "cause" (the collection issue), "source" and "derived" (roll-ups)
    assert members["actual"] == 1635 and isinstance(members["actual"], int)
    assert 101.99 < members["percent_of_plan"] < 102.0  # unrounded
    milestone = next(t for t in data["targets"] if t["code"] == "16")
    assert (milestone["plan"], milestone["actual"], milestone["status"]) == (1, 1, "met")


def test_the_term_resolution_scores_the_city_as_it_was(demo):
    scorecard = build_scorecard(resolution_key="ct-xiv", org_code="CT", period="2020-2025")
    assert scorecard.org_unit.valid_to is not None  # the city before the 2025 merger
    assert scorecard.summary.total == 5 and scorecard.summary.no_data == 3


@pytest.mark.parametrize(
    "key, org, period, error",
    [
        ("nope", "CT", "2021", NotFound),
        ("ct-2021", "XX", "2021", NotFound),
        ("ct-2021", "CT", "2021-13", PeriodError),
        ("ct-2021", "CT", "2027", Invalid),
        ("ct-2021", "CT-NK", "2025-H2", NotFound),  # districts ended on 30/6/2025
    ],
)
def test_bad_input_is_a_clear_error(demo, key, org, period, error):
    with pytest.raises(error):
        build_scorecard(resolution_key=key, org_code=org, period=period)


def test_no_result_is_no_data_and_no_plan_is_no_plan(demo):
    city = OrgUnit.objects.get(code="CT", valid_to__isnull=False)
    resolution = Resolution.objects.get(key="ct-2021")
    extra, _ = services.save_target(resolution=resolution, code="20", name="Extra", direction="increase")
    writes.record_result(target=extra, org_unit=city, period=parse_period("2021"), value=D(3))
    scorecard = build_scorecard(resolution_key="ct-2021", org_code="CT", period="2021")
    assert row(scorecard, "20").status == Status.NO_PLAN
    assert scorecard.summary.no_plan == 1 and scorecard.summary.total == 20
    services.save_target(resolution=resolution, code="21", name="Empty", direction="increase")
    assert build_scorecard(resolution_key="ct-2021", org_code="CT", period="2021").summary.no_data == 1


def test_a_running_year_is_in_progress_not_a_failure(demo):
    """2026 is running (the clock is frozen in the middle of it): a flow figure below its plan is in progress,
    with the share of the year gone; a stock below its plan is not met; one above its plan is met already."""
    from datetime import date
    from unittest import mock

    from nghiquyet.figures.writes import record_result, set_plan
    from nghiquyet.lib.periods import parse_period
    from nghiquyet.orgunits.models import OrgUnit
    from nghiquyet.targets.models import Resolution, Target

    Resolution.objects.filter(key="ct-2021").update(term_end=2026)
    city = OrgUnit.objects.get(code="CT", valid_to__isnull=True)  # the city since the 2025 merger
    year = parse_period("2026")
    members, doctors, revenue = (Target.objects.get(resolution__key="ct-2021", code=c) for c in ("19", "11", "03"))
    for target, plan, actual in ((members, 1600, 900), (doctors, 14, 12), (revenue, 10000, 12000)):
        set_plan(target=target, org_unit=city, period=year, value=plan)
        record_result(target=target, org_unit=city, period=year, value=actual)
    with mock.patch("django.utils.timezone.localdate", return_value=date(2026, 7, 2)):
        scorecard = build_scorecard(resolution_key="ct-2021", org_code="CT", period="2026")
    rows = {row.target.code: row for row in scorecard.rows}
    assert (rows["19"].status, rows["19"].elapsed_text) == ("in_progress", "đã qua 50% thời gian")  # a flow
    assert rows["11"].status == "not_met"  # a stock: a level, due whole at any moment
    assert rows["03"].status in ("met", "exceeded")  # a flow already past its plan
    assert scorecard.summary.in_progress == 1 and "đang thực hiện" in scorecard.sentence
    with mock.patch("django.utils.timezone.localdate", return_value=date(2027, 1, 5)):
        after = build_scorecard(resolution_key="ct-2021", org_code="CT", period="2026")
    assert {row.target.code: row.status for row in after.rows}["19"] == "not_met"  # the year is over
