"""A new app adds its access rules by registering them: accounts needs no change. Grants and a token's
scope live in the request's own context, never on the user object."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from nghiquyet.accounts import permissions
from nghiquyet.accounts.models import TokenScope
from nghiquyet.accounts.permissions import (
    ADMIN,
    Access,
    may,
    register,
    register_action,
    request_scope,
    set_token_scope,
)
from nghiquyet.lib.errors import NotFound

pytestmark = pytest.mark.django_db


@dataclass
class Minutes:
    """A record of a meeting held by a unit: a stand-in for a later app's object."""

    org_unit: object
    secret: bool = False


def minutes_rule(access: Access, action: str, minutes: Minutes) -> bool:
    if action == "read_minutes":
        return not minutes.secret and access.rank_at(minutes.org_unit) >= ADMIN
    return False


@pytest.fixture
def minutes_policy():
    register(Minutes, minutes_rule)
    register_action("read_minutes", anywhere=ADMIN, read_only=True)
    yield
    permissions._rules.pop(Minutes)
    permissions.ANYWHERE.pop("read_minutes")
    permissions.READ_ACTIONS.discard("read_minutes")


def test_a_registered_rule_decides_for_its_objects(people, minutes_policy):
    city_minutes, secret = Minutes(people.city), Minutes(people.city, secret=True)
    assert may(people.alice, "read_minutes", city_minutes)
    assert not may(people.alice, "read_minutes", secret)
    assert not may(people.bob, "read_minutes", Minutes(people.ward_a))
    assert may(people.alice, "read_minutes") and not may(people.bob, "read_minutes")


def test_an_object_without_a_rule_is_refused_to_all_but_superusers(people, django_user_model):
    assert not may(people.alice, "read_minutes", Minutes(people.city))
    root = django_user_model.objects.create_superuser("root-2", password="mat-khau-dai-1")
    assert may(root, "read_minutes", Minutes(people.city))
    with pytest.raises(NotFound):
        permissions.require(people.alice, "anything", Minutes(people.city))


def test_a_subclass_follows_its_parents_rule(people, minutes_policy):
    class BoardMinutes(Minutes):
        pass

    assert may(people.alice, "read_minutes", BoardMinutes(people.city))


def test_a_read_token_allows_only_registered_read_actions(people, minutes_policy):
    register_action("sign_minutes", anywhere=ADMIN)
    try:
        with request_scope():
            set_token_scope(TokenScope.READ)
            assert may(people.alice, "read_minutes", Minutes(people.city))
            assert not may(people.alice, "sign_minutes")
        assert may(people.alice, "sign_minutes")  # the scope ended with the request
    finally:
        permissions.ANYWHERE.pop("sign_minutes")


def test_grants_are_read_once_per_request_and_never_stored_on_the_user(people, django_assert_num_queries):
    with request_scope(), django_assert_num_queries(1):
        for _ in range(3):
            assert may(people.alice, "view", people.city)
    assert not [name for name in vars(people.alice) if name.startswith("_nq")]
    with django_assert_num_queries(2):  # outside a request every question reads the grants again
        may(people.alice, "view", people.city)
        may(people.alice, "view", people.city)
