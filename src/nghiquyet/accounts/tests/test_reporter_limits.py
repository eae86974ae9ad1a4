"""A reporter enters the figures of their own unit and does nothing more: no approving, no changing an
approved figure, no reaching a sibling unit's drafts by guessing ids, no plans. An approver above the unit
approves or returns (with a reason), and a viewer never sees a figure that is not approved.

The cast (conftest `people`): Alice admins the city, Bob reports for ward A, Dana views ward B; draft_a
(ward A, 95) and draft_b (ward B, 92) are drafts of target 10 for 2022. Ward A's official 2021 figure of
target 10 (95,1) comes approved from the demo import.
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from nghiquyet.accounts.models import Role
from nghiquyet.accounts.services import grant_role
from nghiquyet.audit.models import AuditEvent
from nghiquyet.figures.writes import record_result, set_plan
from nghiquyet.lib.periods import parse_period
from nghiquyet.orgunits.models import OrgUnit
from nghiquyet.targets.models import Plan, Result

pytestmark = pytest.mark.django_db

JSON = "application/json"
NO_SUCH_ID = 987_654_321


@pytest.fixture
def approved_a(people):
    """Ward A's approved official result of target 10 for 2021 (from the demo)."""
    result = Result.objects.get(target=people.insurance, org_unit=people.ward_a, period="2021", kind="official")
    assert result.state == "approved" and result.value == D("95.1")
    return result


@pytest.fixture
def as_bob(client, people):
    client.force_login(people.bob)
    client.raise_request_exception = False
    return client


@pytest.fixture
def erin(people, django_user_model):
    """An approver of the district (Ninh Kiều) above both wards."""
    user = django_user_model.objects.create_user(username="erin", password="mat-khau-dai-1")
    grant_role(user=user, org_unit=OrgUnit.objects.get(code="CT-NK"), role=Role.APPROVER)
    return user


def result_events(result: Result):
    return AuditEvent.objects.filter(object_type="targets.result", object_id=str(result.pk))


# --- what a reporter may not do ------------------------------------------------------------------------


def test_a_reporter_cannot_approve_a_draft_of_their_own_unit(as_bob, people):
    before = result_events(people.draft_a).count()
    response = as_bob.post(f"/api/v1/results/{people.draft_a.pk}/approve", content_type=JSON)
    assert response.status_code == 403
    people.draft_a.refresh_from_db()
    assert people.draft_a.state == "draft"
    assert result_events(people.draft_a).count() == before


def test_a_reporter_cannot_return_a_draft_of_their_own_unit_either(as_bob, people):
    response = as_bob.post(f"/api/v1/results/{people.draft_a.pk}/return", {"reason": "Xem lại"}, content_type=JSON)
    assert response.status_code == 403
    people.draft_a.refresh_from_db()
    assert people.draft_a.state == "draft" and people.draft_a.note == ""


@pytest.mark.parametrize("body", [{"value": 99}, {"note": "sửa ghi chú"}, {"value": 99, "note": "sửa"}])
def test_a_reporter_cannot_patch_an_approved_result(as_bob, approved_a, body):
    response = as_bob.patch(f"/api/v1/results/{approved_a.pk}", body, content_type=JSON)
    assert response.status_code == 403
    approved_a.refresh_from_db()
    assert approved_a.value == D("95.1") and approved_a.note == "" and approved_a.state == "approved"


def test_a_reporter_cannot_overwrite_an_approved_result_by_posting_the_same_cell(as_bob, people, approved_a):
    body = {"target_id": people.insurance.pk, "org_unit_id": people.ward_a.pk, "period": "2021", "value": 99, "kind": "official"}
    response = as_bob.post("/api/v1/results", body, content_type=JSON)
    assert response.status_code == 403
    approved_a.refresh_from_db()
    assert approved_a.value == D("95.1") and approved_a.state == "approved"
    assert Result.objects.filter(target=people.insurance, org_unit=people.ward_a, period="2021").count() == 1


def test_a_reporter_still_edits_their_own_draft(as_bob, people):
    """The control for the refusals above: the same request on a draft of ward A goes through."""
    response = as_bob.patch(f"/api/v1/results/{people.draft_a.pk}", {"value": 96}, content_type=JSON)
    assert response.status_code == 200 and response.json()["state"] == "draft"
    people.draft_a.refresh_from_db()
    assert people.draft_a.value == D(96)


@pytest.mark.parametrize("method, suffix, body", [
    ("get", "", None),
    ("patch", "", {"value": 1}),
    ("post", "/approve", {}),
    ("post", "/return", {"reason": "x"}),
])
@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_sibling_units_draft_looks_exactly_like_an_id_that_does_not_exist(as_bob, people, method, suffix, body, language):
    def call(result_id: int):
        return getattr(as_bob, method)(
            f"/api/v1/results/{result_id}{suffix}", **({"data": body, "content_type": JSON} if body is not None else {}),
            HTTP_ACCEPT_LANGUAGE=language,
        )

    sibling, missing = call(people.draft_b.pk), call(NO_SUCH_ID)
    assert sibling.status_code == missing.status_code == 404
    assert sibling.json() == missing.json()
    people.draft_b.refresh_from_db()
    assert people.draft_b.value == D(92) and people.draft_b.state == "draft"


def test_a_sibling_units_draft_is_not_in_the_reporters_list(as_bob, people):
    ids = {item["id"] for item in as_bob.get("/api/v1/results", {"period": "2022"}).json()["items"]}
    assert people.draft_a.pk in ids
    assert people.draft_b.pk not in ids


def test_a_reporter_never_sets_a_plan(as_bob, people):
    body = {"target_id": people.insurance.pk, "org_unit_id": people.ward_a.pk, "period": "2022", "value": 99}
    assert as_bob.post("/api/v1/plans", body, content_type=JSON).status_code == 403
    assert not Plan.objects.filter(target=people.insurance, org_unit=people.ward_a, period="2022").exists()
    plan = Plan.objects.get(target=people.insurance, org_unit=people.ward_a, period="2021")
    assert as_bob.patch(f"/api/v1/plans/{plan.pk}", {"value": 80}, content_type=JSON).status_code == 403
    plan.refresh_from_db()
    assert plan.value == D("94.5")


# --- approving and returning ---------------------------------------------------------------------------


def test_an_approver_above_the_unit_approves_and_the_audit_keeps_both_states(client, people, erin):
    client.force_login(erin)
    response = client.post(f"/api/v1/results/{people.draft_a.pk}/approve", content_type=JSON)
    assert response.status_code == 200
    assert response.json()["state"] == "approved"
    people.draft_a.refresh_from_db()
    assert people.draft_a.state == "approved" and people.draft_a.value == D(95)
    event = result_events(people.draft_a).filter(action="update").latest("id")
    assert event.old == {"state": "draft"} and event.new == {"state": "approved"}
    assert (event.actor, event.via, event.user_id, event.org_unit_id) == ("erin", "api", erin.pk, people.ward_a.pk)


def test_approving_an_approved_figure_again_is_a_409(client, people, erin):
    client.force_login(erin)
    assert client.post(f"/api/v1/results/{people.draft_a.pk}/approve", content_type=JSON).status_code == 200
    assert client.post(f"/api/v1/results/{people.draft_a.pk}/approve", content_type=JSON).status_code == 409


def test_an_approver_at_the_unit_itself_cannot_approve_its_own_figures(client, people, django_user_model):
    """Approval comes from above: an approver of ward A is, for ward A's own figures, a reporter."""
    frank = django_user_model.objects.create_user(username="frank", password="mat-khau-dai-1")
    grant_role(user=frank, org_unit=people.ward_a, role=Role.APPROVER)
    client.force_login(frank)
    assert client.post(f"/api/v1/results/{people.draft_a.pk}/approve", content_type=JSON).status_code == 403
    people.draft_a.refresh_from_db()
    assert people.draft_a.state == "draft"


@pytest.mark.parametrize("body, status", [({}, 422), ({"reason": ""}, 422), ({"reason": "   "}, 400)])
def test_returning_a_figure_needs_a_reason(client, people, erin, body, status):
    client.force_login(erin)
    response = client.post(f"/api/v1/results/{people.draft_a.pk}/return", body, content_type=JSON)
    assert response.status_code == status
    people.draft_a.refresh_from_db()
    assert people.draft_a.state == "draft" and people.draft_a.note == ""


def test_returning_with_a_reason_sets_the_state_returned_and_keeps_the_reason(client, people, erin):
    client.force_login(erin)
    response = client.post(f"/api/v1/results/{people.draft_a.pk}/return", {"reason": "Chưa khớp báo cáo quý"}, content_type=JSON)
    assert response.status_code == 200
    assert response.json()["state"] == "returned"
    people.draft_a.refresh_from_db()
    assert people.draft_a.state == "returned"
    assert "Chưa khớp báo cáo quý" in people.draft_a.note
    event = result_events(people.draft_a).filter(action="update").latest("id")
    assert event.old["state"] == "draft" and event.new["state"] == "returned"


# --- a viewer never sees drafts -------------------------------------------------------------------------


@pytest.fixture
def approved_b(people):
    """An approved figure of ward B, so Dana's lists are not empty for the wrong reason."""
    result, _ = record_result(target=people.insurance, org_unit=people.ward_b, period=parse_period("2021"), value=D(91))
    return result


@pytest.mark.parametrize("query", [{}, {"period": "2022"}, {"state": "draft"}, {"org_unit_id": "ward_b"}])
def test_a_viewer_never_sees_a_draft_in_the_results_list(client, people, approved_b, query):
    query = {k: (people.ward_b.pk if v == "ward_b" else v) for k, v in query.items()}
    client.force_login(people.dana)
    items = client.get("/api/v1/results", query | {"page_size": 500}).json()["items"]
    assert all(item["state"] == "approved" for item in items)
    assert people.draft_b.pk not in {item["id"] for item in items}
    if "state" not in query and query.get("period") != "2022":
        assert approved_b.pk in {item["id"] for item in items}


def test_a_viewer_cannot_read_a_draft_of_their_own_unit_by_id(client, people, approved_b):
    client.force_login(people.dana)
    assert client.get(f"/api/v1/results/{approved_b.pk}").status_code == 200
    assert client.get(f"/api/v1/results/{people.draft_b.pk}").status_code == 404


@pytest.mark.parametrize("drafts", [None, "true"])
def test_a_viewers_scorecard_does_not_count_a_draft_even_when_asked_to(client, people, drafts):
    set_plan(target=people.insurance, org_unit=people.ward_b, period=parse_period("2022"), value=D(90))
    client.force_login(people.dana)
    query = {"resolution": "ct-2021", "org": "CT-NK-XK", "period": "2022"} | ({"drafts": drafts} if drafts else {})
    response = client.get("/api/v1/scorecard", query)
    assert response.status_code == 200
    row = next(row for row in response.json()["targets"] if row["code"] == "10")
    assert row["plan"] == 90
    assert row["actual"] is None and row["state"] is None


def test_a_viewers_scorecard_page_does_not_show_a_draft(client, people):
    set_plan(target=people.insurance, org_unit=people.ward_b, period=parse_period("2022"), value=D(90))
    client.force_login(people.dana)
    response = client.get("/nghi-quyet/ct-2021/danh-gia/", {"org": "CT-NK-XK", "period": "2022"})
    assert response.status_code == 200
    row = next(row for row in response.context["scorecard"].rows if row.target.code == "10")
    assert row.plan == D(90) and row.actual is None and row.state is None
    html = response.content.decode()
    assert 'data-label="Kế hoạch">90</td>' in html  # the plan is shown
    assert ">92</td>" not in html and ">92 " not in html  # the draft is not


@pytest.mark.parametrize("who, sees_a, sees_b", [("dana", False, False), ("bob", True, False), ("alice", True, True)])
def test_the_target_page_shows_drafts_only_to_reporters_of_the_unit(client, people, who, sees_a, sees_b):
    client.force_login(getattr(people, who))
    response = client.get("/nghi-quyet/ct-2021/chi-tieu/10/")
    assert response.status_code == 200
    shown = {(item.org_unit.code, item.row.actual) for _, items in response.context["history"] for item in items if item.period.code == "2022"}
    assert (("CT-NK-TA", D(95)) in shown) is sees_a
    assert (("CT-NK-XK", D(92)) in shown) is sees_b


def test_a_reporter_sees_drafts_only_when_asked_and_marked_by_state(as_bob, people):
    query = {"resolution": "ct-2021", "org": "CT-NK-TA", "period": "2022"}
    plain = as_bob.get("/api/v1/scorecard", query).json()
    assert all(row["code"] != "10" or row["actual"] is None for row in plain["targets"])
    with_drafts = as_bob.get("/api/v1/scorecard", query | {"drafts": "true"}).json()
    row = next(row for row in with_drafts["targets"] if row["code"] == "10")
    assert row["actual"] == 95 and row["state"] == "draft"


def test_approved_figures_in_a_scorecard_with_drafts_are_marked_approved(as_bob, people):
    query = {"resolution": "ct-2021", "org": "CT-NK-TA", "period": "2021", "drafts": "true"}
    row = next(row for row in as_bob.get("/api/v1/scorecard", query).json()["targets"] if row["code"] == "10")
    assert row["actual"] == 95.1 and row["state"] == "approved"
