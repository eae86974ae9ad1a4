"""Resolution, target, plan and result services: upserts, validation, exact sums on both databases."""

from datetime import date
from decimal import Decimal as D

import pytest

from nghiquyet.lib.errors import Invalid, NotFound
from nghiquyet.lib.periods import parse_period
from nghiquyet.orgunits.services import save_org_unit
from nghiquyet.targets import services
from nghiquyet.targets.models import Plan, Result

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    city, _ = save_org_unit(code="C", name="City")
    ward, _ = save_org_unit(code="W", name="Ward", parent=city, valid_to=date(2025, 6, 30))
    resolution, _ = services.save_resolution(
        key="r", number="01-NQ/TU", title="Tasks", org_unit=city, term_start=2020, term_end=2025
    )
    count, _ = services.save_target(resolution=resolution, code="1", name="Members", direction="increase")
    milestone, _ = services.save_target(
        resolution=resolution, code="2", name="Done", direction="milestone", value_kind="boolean"
    )
    growth, _ = services.save_target(
        resolution=resolution, code="3", name="Growth", direction="range", value_kind="percent", decimals=2
    )
    return city, ward, resolution, count, milestone, growth


def test_it_upserts_a_resolution_by_key(setup):
    city, *_ = setup
    resolution, changed = services.save_resolution(
        key="r", number="01-NQ/TU", title="Tasks", org_unit=city, term_start=2020, term_end=2025
    )
    assert not changed
    again, changed = services.save_resolution(
        key="r", number="01-NQ/TU", title="Tasks of 2021", org_unit=city, term_start=2020, term_end=2025
    )
    assert changed and again.pk == resolution.pk


def test_resolution_numbers_are_not_unique(setup):
    city, *_ = setup
    services.save_resolution(key="59-2020", number="59-NQ/TW", title="Cần Thơ", org_unit=city)
    services.save_resolution(key="59-2025", number="59-NQ/TW", title="Hội nhập", org_unit=city)
    assert services.get_resolution(key="59-2025").title == "Hội nhập"


def test_an_unknown_resolution_is_not_found():
    with pytest.raises(NotFound, match='"nope"'):
        services.get_resolution(key="nope")


def test_it_refuses_a_resolution_cycle(setup):
    city, _, resolution, *_ = setup
    child, _ = services.save_resolution(key="child", number="2", title="Child", org_unit=city, parent=resolution)
    with pytest.raises(Invalid, match="vòng lặp"):
        services.save_resolution(key="r", number="01-NQ/TU", title="Tasks", org_unit=city, parent=child)


def test_a_ratio_target_needs_numerator_and_denominator(setup):
    _, _, resolution, count, *_ = setup
    with pytest.raises(Invalid, match="tử số"):
        services.save_target(resolution=resolution, code="9", name="Share", direction="increase", rollup="ratio")
    other, _ = services.save_target(resolution=resolution, code="8", name="All", direction="increase")
    share, _ = services.save_target(
        resolution=resolution, code="9", name="Share", direction="increase", rollup="ratio", numerator=count, denominator=other
    )
    assert share.numerator == count and share.denominator == other


def test_it_refuses_unknown_choices(setup):
    _, _, resolution, *_ = setup
    with pytest.raises(Invalid, match="increase"):
        services.save_target(resolution=resolution, code="x", name="X", direction="upwards")


def test_it_sets_and_resets_a_plan(setup):
    city, _, _, count, *_ = setup
    plan, changed = services.set_plan(target=count, org_unit=city, period=parse_period("2021"), value=D("1603"))
    assert changed and plan.period_start == date(2021, 1, 1) and plan.period_end == date(2021, 12, 31)
    _, changed = services.set_plan(target=count, org_unit=city, period=parse_period("2021"), value=D("1603.0"))
    assert not changed
    _, changed = services.set_plan(target=count, org_unit=city, period=parse_period("2021"), value=D("1600"))
    assert changed and Plan.objects.get().value == D("1600")


def test_a_period_outside_the_term_is_refused(setup):
    city, _, _, count, *_ = setup
    with pytest.raises(Invalid, match="ngoài nhiệm kỳ"):
        services.set_plan(target=count, org_unit=city, period=parse_period("2026"), value=D(1))


def test_a_unit_not_valid_in_the_period_is_refused(setup):
    _, ward, _, count, *_ = setup
    services.record_result(target=count, org_unit=ward, period=parse_period("2025-H1"), value=D(3))
    with pytest.raises(Invalid, match="không có hiệu lực"):
        services.record_result(target=count, org_unit=ward, period=parse_period("2025-H2"), value=D(3))


def test_a_milestone_takes_one_or_zero(setup):
    city, _, _, _, milestone, _ = setup
    services.record_result(target=milestone, org_unit=city, period=parse_period("2021"), value=D(1))
    with pytest.raises(Invalid, match="1 .có. hoặc 0"):
        services.record_result(target=milestone, org_unit=city, period=parse_period("2021"), value=D(2))


def test_value_max_is_for_ranges_and_not_below_value(setup):
    city, _, _, count, _, growth = setup
    with pytest.raises(Invalid, match="nhỏ hơn"):
        services.set_plan(target=growth, org_unit=city, period=parse_period("2021"), value=D("7"), value_max=D("6.5"))
    with pytest.raises(Invalid, match="khoảng"):
        services.set_plan(target=count, org_unit=city, period=parse_period("2021"), value=D("7"), value_max=D("8"))
    plan, _ = services.set_plan(target=growth, org_unit=city, period=parse_period("2021"), value=D("6.5"), value_max=D("7"))
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
        services.record_result(target=count, org_unit=city, period=parse_period("2021"), value=value)
        assert Result.objects.get().value == value
    else:
        with pytest.raises(Invalid):
            services.record_result(target=count, org_unit=city, period=parse_period("2021"), value=value)


def test_an_estimate_and_an_official_result_live_side_by_side(setup):
    city, _, _, count, *_ = setup
    services.record_result(target=count, org_unit=city, period=parse_period("2021"), value=D(1600), kind="estimate")
    services.record_result(target=count, org_unit=city, period=parse_period("2021"), value=D(1635))
    assert sorted(Result.objects.values_list("kind", "value")) == [("estimate", D(1600)), ("official", D(1635))]
    with pytest.raises(Invalid, match="estimate"):
        services.record_result(target=count, org_unit=city, period=parse_period("2021"), value=D(1), kind="guess")


def test_sums_are_exact_on_every_database(setup):
    """SQLite adds DECIMAL columns as floats (0.1 + 0.2 = 0.30000000000000004); our sums never do."""
    city, _, resolution, _, _, growth = setup
    share, _ = services.save_target(resolution=resolution, code="4", name="Share", direction="increase", value_kind="percent")
    units = [save_org_unit(code=f"U{i}", name=f"Unit {i}", parent=city)[0] for i in range(10)]
    for unit in units:
        services.record_result(target=share, org_unit=unit, period=parse_period("2021"), value=D("0.1"))
    total = services.sum_results(target=share, org_units=units, period=parse_period("2021"))
    assert total == D("1.0")
    assert str(total.normalize()) == "1"
    big = [D("99999999999.9999"), D("0.0001"), D("12345678901.2345")]
    for unit, value in zip(units, big, strict=False):
        services.record_result(target=growth, org_unit=unit, period=parse_period("2022"), value=value)
    assert services.sum_results(target=growth, org_units=units, period=parse_period("2022")) == D("112345678901.2345")


def test_who_recorded_a_result_changes_only_with_the_figure(setup, django_user_model):
    city, _, _, count, *_ = setup
    user = django_user_model.objects.create(username="clerk")
    services.record_result(target=count, org_unit=city, period=parse_period("2021"), value=D(5), user=user)
    services.record_result(target=count, org_unit=city, period=parse_period("2021"), value=D(5), source="cli:other")
    result = Result.objects.get()
    assert result.recorded_by == user and result.source == ""
