"""One input rule on every road: each family of bad text (NUL, other control characters, bidirectional
overrides, over-long, look-alike codes) fed to every text field of the API, and through the web form, the
command line and the import. Each answer is a clear 4xx (one line, the field named) and leaves the
database exactly as it was, audit trail included; text typed in NFD is stored in NFC."""

from __future__ import annotations

import html
import json
import unicodedata

import pytest
from django.core.management import call_command

from nghiquyet.accounts.models import ApiToken, Membership
from nghiquyet.audit.models import AuditEvent
from nghiquyet.imports.importer import import_file
from nghiquyet.imports.tests.helpers import write_csv
from nghiquyet.orgunits.models import OrgUnit
from nghiquyet.targets.models import Plan, Resolution, Result, Target

pytestmark = pytest.mark.django_db

TEXT = {  # family → a value that breaks the rule for any text field
    "NUL": "Ninh\x00Kiều",
    "control": "Ninh\x07Kiều",
    "escape": "Ninh\x1b[31mKiều",
    "bidi override": "Ninh\u202euềiK",
    "bidi isolate": "Ninh\u2066Kiều",
    "over-long": "x" * 5001,
}
CODES = {  # family → a value that breaks the rule for a code (on top of TEXT)
    "Cyrillic look-alike": "\u0421T",  # "СT": a Cyrillic Es, not a Latin C
    "zero-width space": "C\u200bT",
    "non-breaking hyphen": "CT\u2011NK",
    "space inside": "C T",
    "symbol": "CT;DROP",
}

# (method, path, body with "{V}" where the bad value goes, field) for every text field of the API
ROADS = [
    ("POST", "/api/v1/org-units", {"code": "MOI", "name": "{V}", "parent_id": "{city}"}, "name"),
    ("POST", "/api/v1/org-units", {"code": "MOI", "name": "Mới", "level": "{V}", "parent_id": "{city}"}, "level"),
    ("PATCH", "/api/v1/org-units/{ward}", {"name": "{V}"}, "name"),
    ("POST", "/api/v1/resolutions", {"key": "moi", "number": "1", "title": "{V}", "org_unit_id": "{city}"}, "title"),
    ("POST", "/api/v1/resolutions", {"key": "moi", "number": "{V}", "title": "Mới", "org_unit_id": "{city}"}, "number"),
    ("PATCH", "/api/v1/resolutions/ct-2021", {"issuer": "{V}"}, "issuer"),
    ("PATCH", "/api/v1/resolutions/ct-2021", {"notice": "{V}"}, "notice"),
    ("POST", "/api/v1/resolutions/ct-2021/targets", {"code": "99", "name": "{V}", "direction": "increase"}, "name"),
    ("PATCH", "/api/v1/targets/{target}", {"unit": "{V}"}, "unit"),
    ("POST", "/api/v1/results", {"target_id": "{target}", "org_unit_id": "{ward}", "period": "2023", "value": 1, "note": "{V}"}, "note"),
    ("PATCH", "/api/v1/results/{draft}", {"note": "{V}"}, "note"),
    ("POST", "/api/v1/results/{draft}/return", {"reason": "{V}"}, "reason"),
    ("POST", "/api/v1/memberships", {"username": "{V}", "org_unit_id": "{ward}", "role": "viewer"}, "username"),
    ("POST", "/api/v1/tokens", {"name": "{V}"}, "name"),
]
CODE_ROADS = [
    ("POST", "/api/v1/org-units", {"code": "{V}", "name": "Mới", "parent_id": "{city}"}, "code"),
    ("PATCH", "/api/v1/org-units/{ward}", {"code": "{V}"}, "code"),
    ("POST", "/api/v1/resolutions/ct-2021/targets", {"code": "{V}", "name": "Mới", "direction": "increase"}, "code"),
]


def state():
    """Everything a refused write must leave as it was."""
    models = (OrgUnit, Resolution, Target, Plan, Result, Membership, ApiToken, AuditEvent)
    rows = tuple(model.objects.count() for model in models)
    texts = tuple(OrgUnit.objects.order_by("pk").values_list("name", "code", "level", "version"))
    notes = tuple(Result.objects.order_by("pk").values_list("note", "value", "version"))
    return rows, texts, notes, tuple(Resolution.objects.values_list("issuer", "notice", "version"))


def fill(value, bad, ids):
    if isinstance(value, dict):
        return {k: fill(v, bad, ids) for k, v in value.items()}
    if value == "{V}":
        return bad
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        return ids[value[1:-1]]
    if isinstance(value, str):
        return value.format(**ids)
    return value


@pytest.fixture
def ids(people):
    return {"city": people.city.pk, "ward": people.ward_a.pk, "target": people.insurance.pk, "draft": people.draft_a.pk}


def refused(client, method, path, body, bad, ids, field):
    before = state()
    response = getattr(client, method.lower())(fill(path, bad, ids), data=json.dumps(fill(body, bad, ids)), content_type="application/json")
    assert response.status_code in (400, 404, 422), (response.status_code, response.content[:300])
    answer = response.json()
    assert answer["detail"] and "\n" not in answer["detail"]
    assert answer["field"] in (field, f"body.{field}", None) or field in json.dumps(answer.get("errors", "")), answer
    assert state() == before
    return answer


@pytest.mark.parametrize("family", TEXT)
@pytest.mark.parametrize("road", ROADS, ids=lambda r: f"{r[0]} {r[1]} {r[3]}")
def test_bad_text_is_refused_on_every_api_road(client, people, ids, road, family):
    client.force_login(people.alice)
    client.raise_request_exception = False
    method, path, body, field = road
    refused(client, method, path, body, TEXT[family], ids, field)


@pytest.mark.parametrize("family", CODES | {"NUL": TEXT["NUL"], "bidi override": TEXT["bidi override"]})
@pytest.mark.parametrize("road", CODE_ROADS, ids=lambda r: f"{r[0]} {r[1]} {r[3]}")
def test_look_alike_codes_are_refused(client, people, ids, road, family):
    client.force_login(people.alice)
    client.raise_request_exception = False
    method, path, body, field = road
    values = CODES | TEXT
    answer = refused(client, method, path, body, values[family], ids, field)
    if family in CODES and answer.get("field") == "code":
        assert "chỉ dùng" in answer["detail"]  # says what a code may hold


def test_text_typed_in_nfd_is_stored_in_nfc_on_the_api(client, people, ids):
    client.force_login(people.alice)
    name = unicodedata.normalize("NFD", "Phường Tân An mới")
    response = client.patch(f"/api/v1/org-units/{ids['ward']}", {"name": name, "level": unicodedata.normalize("NFD", "phường")},
                            content_type="application/json")
    assert response.status_code == 200, response.content
    unit = OrgUnit.objects.get(pk=ids["ward"])
    assert unit.name == unicodedata.normalize("NFC", name) and unit.level == "phường"
    note = unicodedata.normalize("NFD", "Số liệu ước tính")
    response = client.patch(f"/api/v1/results/{ids['draft']}", {"note": note}, content_type="application/json")
    assert response.status_code == 200 and Result.objects.get(pk=ids["draft"]).note == "Số liệu ước tính"


@pytest.mark.parametrize("username", ["cli:root", "token:10 (su)", "import:demo", "a b", "Nguyễn", "x" * 151, "a\x00b", ""])
def test_usernames_that_could_pass_for_an_actor_label_are_refused_on_the_web_form(client, people, username):
    from django.contrib.auth import get_user_model

    client.force_login(people.alice)
    before = (get_user_model().objects.count(), state())
    response = client.post("/quan-tri-don-vi/", {"action": "create", "org_unit": people.ward_a.pk, "username": username,
                                                 "password": "mat-khau-dai-1", "role": "viewer"}, follow=True)
    assert (get_user_model().objects.count(), state()) == before
    if "\x00" in username:  # refused before the view, naming the field (web.views.allowed)
        assert response.status_code == 400 and 'Trường "username"' in html.unescape(response.content.decode())
        return
    assert response.status_code == 200 and "Tên đăng nhập" in response.content.decode()


@pytest.mark.parametrize("org_unit", ["x", "1\x00", "99999999999999999999999", "-1"])
def test_a_web_form_naming_no_unit_is_refused_not_a_500(client, people, org_unit):
    client.force_login(people.alice)
    client.raise_request_exception = False
    before = state()
    response = client.post("/quan-tri-don-vi/", {"action": "grant", "org_unit": org_unit, "username": "charlie", "role": "viewer"})
    assert response.status_code == (400 if "\x00" in org_unit else 302) and state() == before


def test_the_command_line_refuses_a_username_that_looks_like_an_actor(db, monkeypatch):
    import io

    from django.contrib.auth import get_user_model

    monkeypatch.setenv("NGHIQUYET_PASSWORD", "mat-khau-dai-1")
    err = io.StringIO()
    with pytest.raises(SystemExit) as exit:
        call_command("createuser", "cli:root", stdout=io.StringIO(), stderr=err)
    assert exit.value.code == 2 and "Tên đăng nhập" in err.getvalue() and len(err.getvalue().strip().splitlines()) == 1
    assert not get_user_model().objects.filter(username="cli:root").exists()


@pytest.mark.parametrize("code", list(CODES.values()) + [TEXT["NUL"]])
def test_an_import_refuses_a_look_alike_code_with_its_place(people, tmp_path, code):
    before = state()
    rows = [["code", "name", "parent", "valid_from", "valid_to"], [code, "Đơn vị mới", "CT-NK", "2021-01-01", "2021-12-31"]]
    report = import_file(write_csv(tmp_path / "org_units.csv", rows), sheet="org_units")
    assert not report.ok
    problem = report.problems[0]
    if "\x00" in code:  # a NUL byte: the file is no text file at all
        assert problem.whole_file
    else:
        assert (problem.row, problem.column) == (2, "code"), problem.text()
    assert "\n" not in problem.text()
    assert state() == before


@pytest.mark.parametrize("path", ["/api/v1/results", "/api/v1/org-units"])
def test_an_oversized_body_is_a_413_in_the_api_shape(client, people, settings, path):
    client.force_login(people.alice)
    client.raise_request_exception = False
    before = state()
    body = json.dumps({"note": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)})
    response = client.post(path, body, content_type="application/json")
    assert response.status_code == 413 and response["Content-Type"].startswith("application/json")
    assert set(response.json()) == {"detail", "field"} and "quá lớn" in response.json()["detail"]
    assert state() == before


def test_a_nul_in_a_query_or_a_json_key_is_refused_with_the_field(client, people):
    client.force_login(people.alice)
    client.raise_request_exception = False
    response = client.get("/api/v1/org-units", {"code": "C\x00T"})
    assert response.status_code == 400 and response.json()["field"] == "code"
    response = client.post("/api/v1/results", json.dumps({"note": ["ok", {"deep": "a\x00"}]}), content_type="application/json")
    assert response.status_code == 400 and response.json()["field"] == "note.1.deep"


def test_a_multipart_post_without_a_body_reaches_the_api(client, people):
    """A client that posts a form (multipart, the test client's default) to an API action with no body:
    the NUL guard must not consume the stream django-ninja reads."""
    client.force_login(people.alice)
    client.raise_request_exception = False
    response = client.post(f"/api/v1/results/{people.draft_a.pk}/approve")
    assert response.status_code == 200, response.content[:200]


def test_a_nul_in_a_urlencoded_form_is_refused_before_the_view(client, people):
    client.force_login(people.alice)
    before = state()
    response = client.post("/quan-tri-don-vi/", "action=grant&org_unit=1%00&username=charlie&role=viewer",
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400 and "org_unit" in response.content.decode() and state() == before
