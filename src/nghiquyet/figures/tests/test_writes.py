"""The figure-write service, one value at a time: upserts, validation, values both databases keep exactly."""

from datetime import date
from decimal import Decimal as D

import pytest

from nghiquyet.figures import writes
from nghiquyet.figures.reads import read_figures
from nghiquyet.figures.writes import Writer
from nghiquyet.lib.errors import Invalid
from nghiquyet.lib.numbers import exact_sum
from nghiquyet.lib.periods import parse_period
from nghiquyet.orgunits.services import save_org_unit
from nghiquyet.targets import services as target_services
from nghiquyet.targets.models import Plan, Result

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(small_resolution):
    return small_resolution


def _sum(target, units, period):
    return exact_sum(cell.result.value for cell in read_figures(targets=[target], units=units, periods=[period]) if cell.result)


def test_it_sets_and_resets_a_plan(setup):
    city, _, _, count, *_ = setup
    plan, changed = writes.set_plan(target=count, org_unit=city, period=parse_period("2021"), value=D("1603"))
    assert changed and plan.period_start == date(2021, 1, 1) and plan.period_end == date(2021, 12, 31)
    _, changed = writes.set_plan(target=count, org_unit=city, period=parse_period("2021"), value=D("1603.0"))
    assert not changed
    _, changed = writes.set_plan(target=count, org_unit=city, period=parse_period("2021"), value=D("1600"))
    assert changed and Plan.objects.get().value == D("1600")


def test_a_period_outside_the_term_is_refused(setup):
    city, _, _, count, *_ = setup
    with pytest.raises(Invalid, match="ngoài nhiệm kỳ"):
        writes.set_plan(target=count, org_unit=city, period=parse_period("2026"), value=D(1))


def test_a_unit_not_valid_in_the_period_is_refused(setup):
    _, ward, _, count, *_ = setup
    writes.record_result(target=count, org_unit=ward, period=parse_period("2025-H1"), value=D(3))
    with pytest.raises(Invalid, match="không có hiệu lực"):
        writes.record_result(target=count, org_unit=ward, period=parse_period("2025-H2"), value=D(3))


def test_a_milestone_takes_one_or_zero(setup):
    city, _, _, _, milestone, _ = setup
    writes.record_result(target=milestone, org_unit=city, period=parse_period("2021"), value=D(1))
    with pytest.raises(Invalid, match="1 .có. hoặc 0"):
        writes.record_result(target=milestone, org_unit=city, period=parse_period("2021"), value=D(2))


def test_value_max_is_for_ranges_and_not_below_value(setup):
    city, _, _, count, _, growth = setup
    with pytest.raises(Invalid, match="nhỏ hơn"):
        writes.set_plan(target=growth, org_unit=city, period=parse_period("2021"), value=D("7"), value_max=D("6.5"))
    with pytest.raises(Invalid, match="khoảng"):
        writes.set_plan(target=count, org_unit=city, period=parse_period("2021"), value=D("7"), value_max=D("8"))
    plan, _ = writes.set_plan(target=growth, org_unit=city, period=parse_period("2021"), value=D("6.5"), value_max=D("7"))
    assert (plan.value, plan.value_max) == (D("6.5"), D("7"))


@pytest.mark.parametrize(
    "value, accepted",
    [
        (D("123456789012.345"), True),  # 15 significant digits
        (D("1234567890123.4567"), False),  # 17
        (D("0.00001"), False),  # 5 decimals
        (D("1E+14"), True),
        (D("-99999999999999.9"), True),
    ],
)
def test_figures_keep_what_both_databases_store_exactly(setup, value, accepted):
    city, _, _, count, *_ = setup
    if accepted:
        writes.record_result(target=count, org_unit=city, period=parse_period("2021"), value=value)
        assert Result.objects.get().value == value
    else:
        with pytest.raises(Invalid):
            writes.record_result(target=count, org_unit=city, period=parse_period("2021"), value=value)


def test_an_estimate_and_an_official_result_live_side_by_side(setup):
    city, _, _, count, *_ = setup
    writes.record_result(target=count, org_unit=city, period=parse_period("2021"), value=D(1600), kind="estimate")
    writes.record_result(target=count, org_unit=city, period=parse_period("2021"), value=D(1635))
    assert sorted(Result.objects.values_list("kind", "value")) == [("estimate", D(1600)), ("official", D(1635))]
    with pytest.raises(Invalid, match="estimate"):
        writes.record_result(target=count, org_unit=city, period=parse_period("2021"), value=D(1), kind="guess")


def test_sums_are_exact_on_every_database(setup):
    """SQLite adds DECIMAL columns as floats (0.1 + 0.2 = 0.30000000000000004); our sums never do."""
    city, _, resolution, _, _, growth = setup
    share, _ = target_services.save_target(resolution=resolution, code="4", name="Share", direction="increase", value_kind="percent")
    units = [save_org_unit(code=f"U{i}", name=f"Unit {i}", parent=city)[0] for i in range(10)]
    for unit in units:
        writes.record_result(target=share, org_unit=unit, period=parse_period("2021"), value=D("0.1"))
    total = _sum(share, units, parse_period("2021"))
    assert total == D("1.0")
    assert str(total.normalize()) == "1"
    big = [D("99999999999.9999"), D("0.0001"), D("12345678901.2345")]
    for unit, value in zip(units, big, strict=False):
        writes.record_result(target=growth, org_unit=unit, period=parse_period("2022"), value=value)
    assert _sum(growth, units, parse_period("2022")) == D("112345678901.2345")


def test_who_recorded_a_result_changes_only_with_the_figure(setup, django_user_model):
    city, _, _, count, *_ = setup
    user = django_user_model.objects.create(username="clerk")
    writes.record_result(target=count, org_unit=city, period=parse_period("2021"), value=D(5), writer=Writer.trusted_road(user=user, source="import:first"))
    writes.record_result(target=count, org_unit=city, period=parse_period("2021"), value=D(5), writer=Writer.trusted_road(source="cli:other"))
    result = Result.objects.get()
    assert result.recorded_by == user and result.source == "import:first"
