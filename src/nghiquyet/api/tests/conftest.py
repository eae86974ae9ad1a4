"""Fixtures for the REST API tests: a user, a client logged in as that user, and the demo's units."""

from __future__ import annotations

import pytest

from nghiquyet.orgunits.models import OrgUnit


@pytest.fixture
def user(db, django_user_model):
    """A superuser: these tests are about the API's shapes and errors, not about who may do what, so
    they keep working when roles scoped to the org tree narrow what a plain user may do."""
    return django_user_model.objects.create_superuser("can-bo", password="mat-khau-dai-1")


@pytest.fixture
def api(client, user):
    """The pytest-django client, logged in. A 500 comes back as a response so a test can assert on it."""
    client.force_login(user)
    client.raise_request_exception = False
    return client


@pytest.fixture
def anonymous(client):
    client.raise_request_exception = False
    return client


@pytest.fixture
def ct(demo):
    """Thành phố Cần Thơ as it was until 30/6/2025 (the code CT is reused by the merged city)."""
    return OrgUnit.objects.get(code="CT", valid_to__isnull=False)


@pytest.fixture
def ct_nk(demo):
    return OrgUnit.objects.get(code="CT-NK")
