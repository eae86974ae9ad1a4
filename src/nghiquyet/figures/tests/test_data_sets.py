"""A unit's figures as a whole: submitted, approved bottom-up (then locked) or returned with a reason,
reopened by an admin, waived; four eyes; a period that closes for entry. Through the API, on the one write
path: a locked set refuses every person's change, on every road."""

from __future__ import annotations

from decimal import Decimal

import pytest

from nghiquyet.accounts.models import Role
from nghiquyet.accounts.services import grant_role
from nghiquyet.figures import workflow
from nghiquyet.figures.models import DataSet
from nghiquyet.targets.models import Result, ResultState

pytestmark = pytest.mark.django_db


def step(client, name, org, *, period="2022", **body):
    return client.post(f"/api/v1/data-sets/{name}", {"resolution": "ct-2021", "org_unit": org, "period": period} | body,
                       content_type="application/json")


def patch_draft(client, people, value):
    return client.patch(f"/api/v1/results/{people.draft_a.pk}", {"value": value}, content_type="application/json")


@pytest.fixture
def vy(people, django_user_model):
    """An approver of the city: the second pair of eyes where Alice entered or submitted something."""
    user = django_user_model.objects.create_user(username="vy", password="mat-khau-dai-1")
    grant_role(user=user, org_unit=people.city, role=Role.APPROVER)
    return user


def as_(client, user):
    client.force_login(user)
    client.raise_request_exception = False
    return client


@pytest.mark.parametrize(
    "name, state, expected",
    [("submit", "draft", "submitted"), ("submit", "returned", "submitted"), ("submit", "approved", None),
     ("approve", "submitted", "approved"), ("approve", "draft", None), ("return", "submitted", "returned"),
     ("return", "approved", None), ("reopen", "approved", "draft"), ("reopen", "waived", None),
     ("waive", "draft", "waived"), ("waive", "submitted", None)],
)
def test_the_steps_table(name, state, expected):
    assert workflow.set_step(name, state) == expected


def test_submit_locks_return_reopens_for_entry_approve_locks_and_approves_the_figures(client, people):
    bob = as_(client, people.bob)
    assert step(bob, "submit", "CT-NK-TA").json()["state"] == "submitted"
    refused = patch_draft(bob, people, 96)
    assert refused.status_code == 409 and "chờ duyệt" in refused.json()["detail"]
    assert Result.objects.get(pk=people.draft_a.pk).value == Decimal(95)

    alice = as_(client, people.alice)
    assert step(alice, "return", "CT-NK-TA").status_code == 400  # a reason is needed
    returned = step(alice, "return", "CT-NK-TA", reason="Số bảo hiểm chưa khớp báo cáo quý")
    assert returned.json()["state"] == "returned" and returned.json()["note"].startswith("Số bảo hiểm")

    bob = as_(client, people.bob)
    assert patch_draft(bob, people, 96).status_code == 200
    assert step(bob, "submit", "CT-NK-TA").json()["state"] == "submitted"
    alice = as_(client, people.alice)
    approved = step(alice, "approve", "CT-NK-TA")
    assert approved.status_code == 200 and approved.json()["decided_by"] == "alice"
    result = Result.objects.get(pk=people.draft_a.pk)
    assert result.state == ResultState.APPROVED and result.value == Decimal(96)
    assert patch_draft(alice, people, 97).status_code == 409  # locked for everyone, the admin too, until reopened
    assert step(alice, "reopen", "CT-NK-TA", reason="Cục Thống kê điều chỉnh số liệu").json()["state"] == "draft"
    assert patch_draft(alice, people, 97).status_code == 200


def test_nobody_approves_a_set_they_submitted_or_whose_figures_they_entered(client, people, vy):
    alice = as_(client, people.alice)
    assert step(alice, "submit", "CT-NK-XK").status_code == 200  # ward B: Alice entered its draft, and submits it
    refused = step(alice, "approve", "CT-NK-XK")
    assert refused.status_code == 403 and "Không tự duyệt" in refused.json()["detail"]
    assert step(as_(client, vy), "approve", "CT-NK-XK").json()["state"] == "approved"


def test_a_parent_is_approved_only_after_its_reporting_children_are_approved_or_waived(client, people, vy):
    alice = as_(client, people.alice)
    assert step(alice, "submit", "CT-NK").status_code == 200
    vy_client = as_(client, vy)
    waiting = step(vy_client, "approve", "CT-NK")
    assert waiting.status_code == 409 and "CT-NK-TA" in waiting.json()["detail"] and "CT-NK-XK" in waiting.json()["detail"]
    assert step(as_(client, people.bob), "submit", "CT-NK-TA").status_code == 200
    vy_client = as_(client, vy)
    assert step(vy_client, "approve", "CT-NK-TA").status_code == 200
    assert step(vy_client, "waive", "CT-NK-XK", reason="Phường sáp nhập, không báo cáo kỳ này").json()["state"] == "waived"
    assert step(vy_client, "approve", "CT-NK").json()["state"] == "approved"


def test_a_step_from_an_old_version_is_refused(client, people):
    bob = as_(client, people.bob)
    first = step(bob, "submit", "CT-NK-TA").json()
    alice = as_(client, people.alice)
    assert step(alice, "return", "CT-NK-TA", reason="Thiếu ghi chú", version=first["version"]).status_code == 200
    stale = step(as_(client, people.bob), "submit", "CT-NK-TA", version=first["version"])
    assert stale.status_code == 409 and stale.json()["changed_by"] == "alice"


def test_who_may_take_each_step(client, people):
    assert step(as_(client, people.charlie), "submit", "CT-NK-TA").status_code == 404  # no role: the unit is hidden
    assert step(as_(client, people.dana), "submit", "CT-NK-XK").status_code == 403  # a viewer reads, never submits
    bob = as_(client, people.bob)
    assert step(bob, "submit", "CT-NK-TA").status_code == 200
    assert step(bob, "approve", "CT-NK-TA").status_code == 403  # a reporter never approves
    assert step(bob, "reopen", "CT-NK-TA", reason="x").status_code == 403
    assert step(bob, "explode", "CT-NK-TA").status_code == 422


def test_a_period_closes_for_entry_until_an_admin_reopens_it(client, people):
    from nghiquyet.targets.models import Resolution

    Resolution.objects.filter(key="ct-2021").update(entry_closes_after_days=15)  # 2022 ended on 31/12/2022
    bob = as_(client, people.bob)
    refused = patch_draft(bob, people, 96)
    assert refused.status_code == 409 and "khóa nhập từ ngày 16/01/2023" in refused.json()["detail"]
    alice = as_(client, people.alice)
    assert step(alice, "reopen", "CT-NK-TA", reason="Bổ sung số liệu năm 2022").json()["reopened"] is True
    assert patch_draft(as_(client, people.bob), people, 96).status_code == 200


def test_the_command_line_still_writes_into_a_locked_set(client, people):
    """A system administrator's trusted road (docs/decisions/0012-data-sets.md) is not held by sets."""
    from nghiquyet.figures.writes import record_result
    from nghiquyet.lib.periods import parse_period

    assert step(as_(client, people.bob), "submit", "CT-NK-TA").status_code == 200
    record_result(target=people.insurance, org_unit=people.ward_a, period=parse_period("2022"), value=Decimal(99))
    assert Result.objects.get(pk=people.draft_a.pk).value == Decimal(99)


def test_the_completeness_list_shows_the_unit_and_the_units_below(client, people):
    assert step(as_(client, people.bob), "submit", "CT-NK-TA").status_code == 200
    alice = as_(client, people.alice)
    listed = alice.get("/api/v1/data-sets", {"resolution": "ct-2021", "period": "2022", "under": "CT-NK"})
    assert listed.status_code == 200
    states = {item["org_unit"]: item["state"] for item in listed.json()}
    assert states["CT-NK"] == "draft" and states["CT-NK-TA"] == "submitted" and states["CT-NK-XK"] == "draft"
    owner = alice.get("/api/v1/data-sets", {"resolution": "ct-2021", "period": "2022"}).json()
    assert owner[0]["org_unit"] == "CT" and "CT-NK" in {item["org_unit"] for item in owner}  # the owner and the units below
    assert DataSet.objects.count() == 1  # reading never creates a set


def test_the_entry_page_shows_the_state_and_the_steps_and_locks_its_cells(client, people):
    bob = as_(client, people.bob)
    page = bob.get("/nghi-quyet/ct-2021/nhap-so-lieu/", {"org": "CT-NK-TA", "period": "2022"}).content.decode()
    assert 'data-step="submit"' in page and " disabled" not in page
    response = bob.post("/nghi-quyet/ct-2021/nhap-so-lieu/bo-so-lieu/", {"org": "CT-NK-TA", "period": "2022", "step": "submit"}, follow=True)
    page = response.content.decode()
    assert "Đã nộp, chờ duyệt" in page and 'data-step="submit"' not in page and " disabled" in page
    alice = as_(client, people.alice)
    page = alice.get("/nghi-quyet/ct-2021/nhap-so-lieu/", {"org": "CT-NK-TA", "period": "2022"}).content.decode()
    assert 'data-step="approve"' in page and 'data-step="return"' in page


def test_the_state_reads_in_english_on_english_pages(client, people, settings):
    bob = as_(client, people.bob)
    assert step(bob, "submit", "CT-NK-TA").status_code == 200
    bob.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = bob.get("/nghi-quyet/ct-2021/nhap-so-lieu/", {"org": "CT-NK-TA", "period": "2022"}).content.decode()
    assert "Submitted, awaiting approval" in page and "Data set" in page


def test_the_entry_page_offers_no_approval_to_who_submitted(client, people):
    alice = as_(client, people.alice)
    assert step(alice, "submit", "CT-NK-XK").status_code == 200
    page = alice.get("/nghi-quyet/ct-2021/nhap-so-lieu/", {"org": "CT-NK-XK", "period": "2022"}).content.decode()
    assert 'data-step="approve"' not in page and 'data-step="return"' in page
