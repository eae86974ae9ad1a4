"""Codes name units only with a date: the 2025 reform reused codes."""

from datetime import date

import pytest

from nghiquyet.lib.errors import Conflict, Invalid, NotFound
from nghiquyet.lib.periods import parse_period
from nghiquyet.orgunits.models import OrgUnit
from nghiquyet.orgunits.services import resolve, save_org_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def reused_code():
    """Code X named an old ward until 30/6/2025 and a different ward from 1/7/2025."""
    city, _ = save_org_unit(code="C", name="City")
    old, _ = save_org_unit(code="X", name="Old ward", parent=city, valid_to=date(2025, 6, 30))
    new, _ = save_org_unit(code="X", name="New ward", parent=city, valid_from=date(2025, 7, 1), predecessors=[old])
    return old, new


def test_it_resolves_a_reused_code_by_day(reused_code):
    old, new = reused_code
    assert resolve(code="X", on=date(2025, 6, 30)) == old
    assert resolve(code="X", on=date(2025, 7, 1)) == new


def test_it_resolves_a_reused_code_by_period(reused_code):
    old, new = reused_code
    assert resolve(code="X", period=parse_period("2021")) == old
    assert resolve(code="X", period=parse_period("2025-H1")) == old
    assert resolve(code="X", period=parse_period("2025-Q3")) == new
    # 181 days old, 184 days new: the year belongs to the unit valid longer in it
    assert resolve(code="X", period=parse_period("2025")) == new
    assert resolve(code="X", period=parse_period("2020-2025")) == old


def test_it_resolves_the_current_unit_without_a_date(reused_code):
    assert resolve(code="X").name == "New ward"


def test_it_keeps_predecessor_links(reused_code):
    old, new = reused_code
    assert list(new.predecessors.all()) == [old]
    assert list(old.successors.all()) == [new]


def test_it_refuses_a_code_twice_on_the_same_day(reused_code):
    with pytest.raises(Conflict, match="cùng thời gian hiệu lực"):
        save_org_unit(code="X", name="Third", valid_from=date(2025, 1, 1), valid_to=date(2025, 12, 31))


def test_it_names_the_missing_code_and_the_invalid_date(reused_code):
    with pytest.raises(NotFound, match='mã "Y"'):
        resolve(code="Y", on=date(2021, 1, 1))
    save_org_unit(code="Z", name="Short-lived", valid_from=date(2022, 1, 1), valid_to=date(2022, 12, 31))
    with pytest.raises(NotFound, match="không có hiệu lực"):
        resolve(code="Z", period=parse_period("2021"))


def test_it_refuses_a_backwards_span():
    with pytest.raises(Invalid):
        save_org_unit(code="B", name="Backwards", valid_from=date(2022, 1, 1), valid_to=date(2021, 1, 1))


def test_it_keeps_the_tree_a_tree():
    top, _ = save_org_unit(code="T", name="Top")
    middle, _ = save_org_unit(code="M", name="Middle", parent=top)
    leaf, _ = save_org_unit(code="L", name="Leaf", parent=middle)
    assert leaf.path == f"/{top.pk}/{middle.pk}/{leaf.pk}/"
    assert leaf.depth == 2
    assert set(OrgUnit.objects.subtree_of(middle)) == {middle, leaf}
    with pytest.raises(Invalid, match="cấp trên"):
        save_org_unit(unit=top, code="T", name="Top", parent=leaf)


def test_moving_a_unit_moves_its_subtree():
    a, _ = save_org_unit(code="A", name="A")
    b, _ = save_org_unit(code="B", name="B")
    middle, _ = save_org_unit(code="M", name="Middle", parent=a)
    leaf, _ = save_org_unit(code="L", name="Leaf", parent=middle)
    save_org_unit(unit=middle, code="M", name="Middle", parent=b)
    leaf.refresh_from_db()
    assert leaf.path == f"/{b.pk}/{middle.pk}/{leaf.pk}/"


def test_saving_the_same_values_is_no_change():
    unit, created = save_org_unit(code="S", name="Same", level="phường")
    assert created
    _, changed = save_org_unit(unit=unit, code="S", name="Same", level="phường")
    assert not changed


def test_a_parent_must_be_valid_while_the_child_is():
    parent, _ = save_org_unit(code="P", name="Parent", valid_to=date(2020, 12, 31))
    with pytest.raises(Invalid, match="không có hiệu lực"):
        save_org_unit(code="K", name="Kid", parent=parent, valid_from=date(2021, 1, 1))


def test_an_ambiguous_code_is_a_conflict_not_a_guess():
    save_org_unit(code="D", name="One", valid_from=date(2020, 1, 1), valid_to=date(2020, 6, 30))
    save_org_unit(code="D", name="Two", valid_from=date(2020, 7, 1), valid_to=date(2020, 12, 31))
    # both valid on no single day, but the half-year periods each pick one
    assert resolve(code="D", period=parse_period("2020-H1")).name == "One"
    assert resolve(code="D", period=parse_period("2020-H2")).name == "Two"
    with pytest.raises(NotFound):
        resolve(code="D")  # none is valid now
