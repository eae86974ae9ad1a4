"""Resolution and target services: upserts and validation."""


import pytest

from nghiquyet.lib.errors import Invalid, NotFound
from nghiquyet.targets import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(small_resolution):
    return small_resolution


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
