"""Shared fixtures. Every test that touches the database runs in a transaction rolled back afterwards."""

from __future__ import annotations

from decimal import Decimal

import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Argon2 is slow on purpose; tests that create many users use a fast hasher instead (tests only)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def demo(db):
    """The illustrative Cần Thơ 2021 data, loaded through the import path (tables are already migrated)."""
    from nghiquyet.demo.loader import load_demo

    return load_demo(migrate=False)


@pytest.fixture
def people(demo, django_user_model):
    """The classic cast on the demo data, with a draft result in each of two sibling wards (2022):
    Alice — admin of the city; Bob — reporter of ward A (Tân An); Charlie — no role; Dana — viewer of
    ward B (Xuân Khánh). Everyone's password is "mat-khau-dai-1"."""
    from types import SimpleNamespace

    from nghiquyet.accounts.models import Role
    from nghiquyet.accounts.services import grant_role
    from nghiquyet.lib.periods import parse_period
    from nghiquyet.orgunits.models import OrgUnit
    from nghiquyet.targets.models import Target
    from nghiquyet.targets.services import record_result

    city = OrgUnit.objects.get(code="CT", valid_to__isnull=False)
    ward_a, ward_b = OrgUnit.objects.get(code="CT-NK-TA"), OrgUnit.objects.get(code="CT-NK-XK")
    users = {name: django_user_model.objects.create_user(username=name, password="mat-khau-dai-1") for name in ("alice", "bob", "charlie", "dana")}
    grant_role(user=users["alice"], org_unit=city, role=Role.ADMIN)
    grant_role(user=users["bob"], org_unit=ward_a, role=Role.REPORTER)
    grant_role(user=users["dana"], org_unit=ward_b, role=Role.VIEWER)
    insurance = Target.objects.get(resolution__key="ct-2021", code="10")
    draft_a, _ = record_result(target=insurance, org_unit=ward_a, period=parse_period("2022"), value=Decimal(95), state="draft", user=users["bob"])
    draft_b, _ = record_result(target=insurance, org_unit=ward_b, period=parse_period("2022"), value=Decimal(92), state="draft")
    return SimpleNamespace(city=city, ward_a=ward_a, ward_b=ward_b, insurance=insurance, draft_a=draft_a, draft_b=draft_b, **users)
