"""Shared fixtures. Every test that touches the database runs in a transaction rolled back afterwards."""

from __future__ import annotations

from decimal import Decimal

import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Argon2 is slow on purpose; tests that create many users use a fast hasher instead (tests only)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def one_rate_window(monkeypatch):
    """The rate-limit counters key each bucket by the minute: a test that counts across several calls holds
    the windows' clock still, 15 s into a minute, or a minute turning mid-test splits its hits over two
    windows (all counted, none lost) and resets a limit the test is reaching."""
    from nghiquyet.web import ratelimit

    monkeypatch.setattr(ratelimit, "now", lambda: 1_800_000_015.0)


@pytest.fixture
def small_resolution(db):
    """A city with a ward (until 30/06/2025), a resolution for 2020–2025 and three targets: a count, a
    milestone and a percent range. Returns (city, ward, resolution, count, milestone, growth)."""
    from datetime import date

    from nghiquyet.orgunits.services import save_org_unit
    from nghiquyet.targets import services

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


_DEMO: dict = {}  # per test process: the rows the demo's import added, and its report


@pytest.fixture
def demo(request, db):
    """The illustrative Cần Thơ 2021 data, loaded through the import path (tables are already migrated).

    The first test of a process that asks for it imports the workbook and keeps the rows the import added
    (every model's new rows, with their ids, audit events included); later tests put those same rows back,
    which is ten times faster than importing again — the suite's largest cost. Tests in a transaction-flushing
    database (live server, threads) import for real, as do tests marked `demo_import`."""
    from nghiquyet.demo.loader import load_demo

    if "rows" not in _DEMO or "transactional_db" in request.fixturenames or request.node.get_closest_marker("demo_import"):
        before = _row_ids()
        report = load_demo(migrate=False)
        if "rows" not in _DEMO and "transactional_db" not in request.fixturenames:
            _DEMO["report"], _DEMO["rows"] = report, _rows_added(before)
        return report
    _put_back(_DEMO["rows"])
    return _DEMO["report"]


def _kept_models():
    from django.apps import apps

    return [model for model in apps.get_models() if model._meta.managed and not model._meta.proxy]


def _row_ids() -> dict:
    return {model: set(model._base_manager.values_list("pk", flat=True)) for model in _kept_models()}


def _rows_added(before: dict) -> list:
    """The new rows as serialized objects (m2m included), parents before children."""
    from django.core import serializers

    added = []
    for model in _kept_models():
        new = model._base_manager.exclude(pk__in=before.get(model, set())).order_by("pk")
        added += list(serializers.serialize("python", new))
    return added


def _put_back(rows: list) -> None:
    """The demo's rows as they were imported (raw saves: timestamps and ids kept; foreign keys are checked at
    commit on both databases, so order does not matter)."""
    from django.core import serializers

    for item in serializers.deserialize("python", rows):
        item.save()


@pytest.fixture
def people(demo, django_user_model):
    """The classic cast on the demo data, with a draft result in each of two sibling wards (2022):
    Alice — admin of the city; Bob — reporter of ward A (Tân An); Charlie — no role; Dana — viewer of
    ward B (Xuân Khánh). Everyone's password is "mat-khau-dai-1"."""
    from types import SimpleNamespace

    from nghiquyet.accounts.models import Role
    from nghiquyet.accounts.services import grant_role
    from nghiquyet.figures.writes import Writer, record_result
    from nghiquyet.lib.periods import parse_period
    from nghiquyet.orgunits.models import OrgUnit
    from nghiquyet.targets.models import Target

    city = OrgUnit.objects.get(code="CT", valid_to__isnull=False)
    ward_a, ward_b = OrgUnit.objects.get(code="CT-NK-TA"), OrgUnit.objects.get(code="CT-NK-XK")
    users = {name: django_user_model.objects.create_user(username=name, password="mat-khau-dai-1") for name in ("alice", "bob", "charlie", "dana")}
    grant_role(user=users["alice"], org_unit=city, role=Role.ADMIN)
    grant_role(user=users["bob"], org_unit=ward_a, role=Role.REPORTER)
    grant_role(user=users["dana"], org_unit=ward_b, role=Role.VIEWER)
    insurance = Target.objects.get(resolution__key="ct-2021", code="10")
    draft_a, _ = record_result(target=insurance, org_unit=ward_a, period=parse_period("2022"), value=Decimal(95), writer=Writer.person(users["bob"]))
    draft_b, _ = record_result(target=insurance, org_unit=ward_b, period=parse_period("2022"), value=Decimal(92), writer=Writer.person(users["alice"]))
    return SimpleNamespace(city=city, ward_a=ward_a, ward_b=ward_b, insurance=insurance, draft_a=draft_a, draft_b=draft_b, **users)


@pytest.fixture
def cycle(people, django_user_model):
    """The review's cast (review.services): Alice (admin of the city) sets up a 2021 cycle of five members, four with accounts (m1 … m4, m1 the
    head); Olga appraises (runs the meeting), Carl and Cora count paper ballots, Dora decides."""
    from types import SimpleNamespace

    from nghiquyet.review import services
    from nghiquyet.review.models import CycleRole

    made = services.create_cycle(user=people.alice, key="ct-btv-2021", title="Kiểm điểm năm 2021", org_code="CT",
                                 collective="Ban Thường vụ (minh họa)", year=2021, resolution_key="ct-2021", period="2021")
    users = {name: django_user_model.objects.create_user(username=name, password="mat-khau-dai-1")
             for name in ("m1", "m2", "m3", "m4", "olga", "carl", "cora", "dora")}
    members = [services.add_member(user=people.alice, cycle=made, name=f"Nguyễn Văn {letter}", position="Ủy viên",
                                   is_head=(i == 0), member_user=users.get(f"m{i + 1}"))
               for i, letter in enumerate("ABCDE")]
    for name, role in (("olga", CycleRole.APPRAISER), ("carl", CycleRole.COUNTER), ("cora", CycleRole.COUNTER), ("dora", CycleRole.DECIDER)):
        services.grant(user=people.alice, cycle=made, to=users[name], role=role)
    return SimpleNamespace(cycle=made, members=members, people=people, **users)
