"""Changing a resolution's term or a target's direction may not strand figures already recorded."""

import pytest

from nghiquyet.lib.errors import Invalid
from nghiquyet.targets import services
from nghiquyet.targets.models import Resolution, Target

pytestmark = pytest.mark.django_db


def resave(resolution, **changes):
    values = dict(
        key=resolution.key, number=resolution.number, title=resolution.title, org_unit=resolution.org_unit,
        term_start=resolution.term_start, term_end=resolution.term_end, parent=resolution.parent,
    )
    return services.save_resolution(**(values | changes))


def test_a_term_that_leaves_out_recorded_plans_is_refused(demo):
    resolution = Resolution.objects.get(key="ct-2021")
    with pytest.raises(Invalid, match="2020") as caught:
        resave(resolution, term_start=2021, term_end=2026)
    assert caught.value.field == "term"
    resolution.refresh_from_db()
    assert (resolution.term_start, resolution.term_end) == (2020, 2025)


def test_a_term_that_still_holds_every_figure_is_accepted(demo):
    resolution = Resolution.objects.get(key="ct-2021")
    _, changed = resave(resolution, term_start=2019, term_end=2025)
    assert changed


def test_a_target_with_counts_cannot_become_a_milestone(demo):
    members = Target.objects.get(resolution__key="ct-2021", code="19")
    with pytest.raises(Invalid, match="1/0"):
        services.save_target(resolution=members.resolution, code="19", name=members.name, direction="milestone")
    members.refresh_from_db()
    assert members.direction == "increase"


def test_a_target_whose_figures_are_all_one_or_zero_may_become_a_milestone(demo):
    done = Target.objects.get(resolution__key="ct-2021", code="16")
    services.save_target(resolution=done.resolution, code="16", name=done.name, direction="increase")
    _, changed = services.save_target(resolution=done.resolution, code="16", name=done.name, direction="milestone", value_kind="boolean")
    assert changed
