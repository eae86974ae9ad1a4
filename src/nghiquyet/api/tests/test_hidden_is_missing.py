"""A hidden object answers exactly as a missing one, everywhere: same status, same body (once the
probed id, key or code is blanked out). Otherwise a user could map what exists in other units by
the difference ("Không tìm thấy." against "Không có chỉ tiêu id 99999", 409 against 404, a name echoed).

Probed as Alice (admin of Cần Thơ; Sóc Trăng is hidden from her) and Dana (viewer of ward B; ward A
and Sóc Trăng are hidden from her), on every road that takes an id, a key or a code."""

from __future__ import annotations

import json

import pytest

from nghiquyet.accounts.models import Membership
from nghiquyet.orgunits.models import OrgUnit
from nghiquyet.targets import services
from nghiquyet.targets.models import Plan, Result

MISSING_ID = 2_147_483_000

# (method, path, body): "{X}" is the probed id, key or code
CASES: list[tuple[str, str, dict | None, str]] = [
    ("GET", "/api/v1/org-units/{X}", None, "unit"),
    ("PATCH", "/api/v1/org-units/{X}", {"name": "Đổi tên"}, "unit"),
    ("GET", "/api/v1/org-units?under={X}", None, "unit"),
    ("POST", "/api/v1/org-units", {"code": "MOI", "name": "Mới", "parent_id": "{X}"}, "unit"),
    ("POST", "/api/v1/org-units", {"code": "MOI", "name": "Mới", "parent_id": "{city}", "predecessor_ids": ["{X}"]}, "unit"),
    ("GET", "/api/v1/resolutions/{X}", None, "key"),
    ("PATCH", "/api/v1/resolutions/{X}", {"issuer": "Ai đó"}, "key"),
    ("GET", "/api/v1/resolutions/{X}/targets", None, "key"),
    ("POST", "/api/v1/resolutions/{X}/targets", {"code": "99", "name": "Mới", "direction": "increase"}, "key"),
    ("PATCH", "/api/v1/resolutions/ct-2021", {"parent_key": "{X}"}, "key"),
    ("POST", "/api/v1/resolutions", {"key": "moi", "number": "1", "title": "Mới", "org_unit_id": "{X}"}, "unit"),
    ("GET", "/api/v1/targets/{X}", None, "target"),
    ("PATCH", "/api/v1/targets/{X}", {"unit": "%"}, "target"),
    ("GET", "/api/v1/plans/{X}", None, "plan"),
    ("PATCH", "/api/v1/plans/{X}", {"value": 1}, "plan"),
    ("GET", "/api/v1/results/{X}", None, "result"),
    ("PATCH", "/api/v1/results/{X}", {"value": 1}, "result"),
    ("POST", "/api/v1/results/{X}/approve", None, "result"),
    ("POST", "/api/v1/results/{X}/return", {"reason": "Chưa khớp"}, "result"),
    ("POST", "/api/v1/results", {"target_id": "{X}", "org_unit_id": "{ward_b}", "period": "2022", "value": 1}, "target"),
    ("POST", "/api/v1/results", {"target_id": "{target}", "org_unit_id": "{X}", "period": "2022", "value": 1}, "unit"),
    ("POST", "/api/v1/results", {"resolution": "{X}", "target": "1", "org_unit": "CT", "period": "2022", "value": 1}, "key"),
    ("POST", "/api/v1/results", {"target_id": "{target}", "org_unit": "{X}", "period": "2022", "value": 1}, "code"),
    ("POST", "/api/v1/plans", {"target_id": "{X}", "org_unit_id": "{ward_b}", "period": "2022", "value": 1}, "target"),
    ("POST", "/api/v1/plans", {"target_id": "{target}", "org_unit": "{X}", "period": "2022", "value": 1}, "code"),
    ("GET", "/api/v1/scorecard?resolution={X}&org=CT&period=2021", None, "key"),
    ("GET", "/api/v1/scorecard?resolution=ct-2021&org={X}&period=2021", None, "code"),
    ("POST", "/api/v1/memberships", {"username": "charlie", "org_unit_id": "{X}", "role": "viewer"}, "unit"),
    ("DELETE", "/api/v1/memberships/{X}", None, "membership"),
    ("GET", "/api/v1/data-sets?resolution=ct-2021&period=2022&under={X}", None, "code"),
    ("GET", "/api/v1/data-sets?resolution={X}&period=2022", None, "key"),
    ("POST", "/api/v1/data-sets/submit", {"resolution": "ct-2021", "org_unit": "{X}", "period": "2022"}, "code"),
    ("POST", "/api/v1/data-sets/approve", {"resolution": "{X}", "org_unit": "CT", "period": "2022"}, "key"),
]


@pytest.fixture
def world(people):
    """What each prober may not see, of every kind, and what no one has."""
    soc_trang = OrgUnit.objects.get(code="ST")
    hidden_resolution, _ = services.save_resolution(key="st-an", number="02-NQ/TU", title="Sóc Trăng", org_unit=soc_trang,
                                                     term_start=2020, term_end=2025)
    hidden_target, _ = services.save_target(resolution=hidden_resolution, code="1", name="Mật", direction="increase")
    hidden = {
        # Alice administers the city: only Sóc Trăng's things are hidden from her
        "alice": {"unit": soc_trang.pk, "key": "st-an", "target": hidden_target.pk, "code": "ST",
                  "plan": None, "result": None, "membership": None},
        # Dana sees ward B and the units above it: ward A's things are hidden from her
        "dana": {"unit": people.ward_a.pk, "key": "st-an", "target": hidden_target.pk, "code": people.ward_a.code,
                 "plan": Plan.objects.filter(org_unit=people.ward_a).first().pk, "result": people.draft_a.pk,
                 "membership": Membership.objects.get(user=people.bob).pk},
    }
    missing = {"unit": MISSING_ID, "key": "khong-co", "target": MISSING_ID, "code": "KHONGCO", "plan": MISSING_ID,
               "result": MISSING_ID, "membership": MISSING_ID}
    context = {"city": people.city.pk, "ward_b": people.ward_b.pk, "target": people.insurance.pk}
    return hidden, missing, context


def _fill(value, probe, context):
    if isinstance(value, str):
        if value == "{X}":
            return probe
        if value.startswith("{") and value.endswith("}"):
            return context[value[1:-1]]
        return value.replace("{X}", str(probe))
    if isinstance(value, list):
        return [_fill(v, probe, context) for v in value]
    if isinstance(value, dict):
        return {k: _fill(v, probe, context) for k, v in value.items()}
    return value


def _answer(client, method, path, body, probe, context):
    url = _fill(path, probe, context)
    if method == "GET":
        response = client.get(url)
    else:
        response = getattr(client, method.lower())(url, data=json.dumps(_fill(body or {}, probe, context)), content_type="application/json")
    text = response.content.decode().replace(str(probe), "X")
    return response.status_code, text


@pytest.mark.parametrize("who", ["alice", "dana"])
@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c[0]} {c[1]} {sorted(c[2] or {})}")
def test_a_hidden_object_answers_as_a_missing_one(client, people, world, who, case):
    method, path, body, kind = case
    hidden, missing, context = world
    probe = hidden[who][kind]
    if probe is None:
        pytest.skip(f"nothing of this kind is hidden from {who}")
    client.force_login(getattr(people, who))
    client.raise_request_exception = False
    seen_hidden = _answer(client, method, path, body, probe, context)
    seen_missing = _answer(client, method, path, body, missing[kind], context)
    assert seen_hidden == seen_missing
    assert seen_hidden[0] in (400, 403, 404, 422), seen_hidden
    assert "Sóc Trăng" not in seen_hidden[1] and "Tân An" not in seen_hidden[1]
    assert Result.objects.filter(note="Chưa khớp").count() == 0
