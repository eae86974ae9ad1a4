"""The audit trail: every change to a plan, result, target, resolution, org unit or membership leaves an
event saying who (actor, user), how (via), from where (ip) and what changed (old and new values); logins,
failed logins, command-line actions and imports too. Events are never changed or removed; unit admins
read the events of their units (page, API, `nghiquyet audit`), and exporting them is itself audited."""

from __future__ import annotations

import csv
import getpass
import hashlib
import io
import json
from decimal import Decimal as D

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from nghiquyet.accounts.models import Membership, Role
from nghiquyet.accounts.services import grant_role
from nghiquyet.audit.context import Actor
from nghiquyet.audit.models import AppendOnly, AuditEvent
from nghiquyet.audit.services import record
from nghiquyet.orgunits.models import OrgUnit
from nghiquyet.targets.models import Plan, Resolution, Result

pytestmark = pytest.mark.django_db

JSON = "application/json"
IP = "198.51.100.23"


def cli_label() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except Exception:
        return "cli:unknown"


def run(command: str, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command(command, *args, stdout=out, stderr=err)
    except SystemExit as exit:
        code = exit.code
    return code, out.getvalue(), err.getvalue()


def numbers(values: dict | None) -> dict | None:
    """An event's values with figures read as decimals ("94.5000" and "94.5" are the same figure)."""
    if values is None:
        return None
    return {name: D(value) if name in ("value", "value_max") and value is not None else value for name, value in values.items()}


def last_event(**filters) -> AuditEvent:
    return AuditEvent.objects.filter(**filters).latest("id")


# --- every change, with who, how, where, and the old and new values -----------------------------------


def changes(people) -> list[tuple[str, str, str, dict | None, str, dict | None, dict | None]]:
    """(id, method, url, body, object type, old, new) for one change of each kind, made by Alice."""
    plan = Plan.objects.get(target=people.insurance, org_unit=people.ward_a, period="2021")
    dana = Membership.objects.get(user=people.dana)
    return [
        ("plan", "patch", f"/api/v1/plans/{plan.pk}", {"value": 96}, "targets.plan", {"value": D("94.5")}, {"value": D(96)}),
        ("result", "patch", f"/api/v1/results/{people.draft_b.pk}", {"note": "Theo báo cáo quý IV"}, "targets.result",
         {"note": ""}, {"note": "Theo báo cáo quý IV"}),
        ("target", "patch", f"/api/v1/targets/{people.insurance.pk}", {"unit": "phần trăm"}, "targets.target",
         {"unit": "%"}, {"unit": "phần trăm"}),
        ("resolution", "patch", "/api/v1/resolutions/ct-2021", {"issuer": "Thường trực Thành ủy"}, "targets.resolution",
         {"issuer": Resolution.objects.get(key="ct-2021").issuer}, {"issuer": "Thường trực Thành ủy"}),
        ("org unit", "patch", f"/api/v1/org-units/{people.ward_b.pk}", {"name": "Phường Xuân Khánh (mới)"}, "orgunits.orgunit",
         {"name": "Phường Xuân Khánh"}, {"name": "Phường Xuân Khánh (mới)"}),
        ("membership granted", "post", "/api/v1/memberships", {"username": "charlie", "org_unit_id": people.ward_a.pk, "role": "viewer"},
         "accounts.membership", None, {"user": "charlie", "org_unit": "CT-NK-TA", "role": "viewer"}),
        ("membership taken", "delete", f"/api/v1/memberships/{dana.pk}", None, "accounts.membership",
         {"user": "dana", "org_unit": "CT-NK-XK", "role": "viewer"}, None),
    ]


KINDS = ["plan", "result", "target", "resolution", "org unit", "membership granted", "membership taken"]


@pytest.mark.parametrize("kind", KINDS)
def test_each_change_through_the_api_leaves_an_event_with_who_how_where_and_what(client, people, kind):
    _, method, url, body, object_type, old, new = next(change for change in changes(people) if change[0] == kind)
    client.force_login(people.alice)
    before = AuditEvent.objects.count()
    response = getattr(client, method)(url, **({"data": body, "content_type": JSON} if body is not None else {}), REMOTE_ADDR=IP)
    assert response.status_code in (200, 201, 204), response.content
    event = last_event(object_type=object_type)
    assert AuditEvent.objects.count() == before + 1
    assert (event.actor, event.user_id, event.via, event.ip) == ("alice", people.alice.pk, "api", IP)
    assert event.action == {"post": "create", "delete": "delete"}.get(method, "update")
    assert (numbers(event.old), numbers(event.new)) == (old, new)
    assert event.org_unit_id is not None


def test_a_result_value_changed_through_the_api_keeps_the_old_and_the_new_value(client, people):
    client.force_login(people.bob)
    response = client.patch(f"/api/v1/results/{people.draft_a.pk}", {"value": "97.5"}, content_type=JSON, REMOTE_ADDR=IP)
    assert response.status_code == 200
    event = last_event(object_type="targets.result", object_id=str(people.draft_a.pk))
    assert event.action == "update"
    assert numbers(event.old) == {"value": D(95)} and numbers(event.new) == {"value": D("97.5")}
    assert (event.actor, event.user_id, event.via, event.ip, event.org_unit_id) == ("bob", people.bob.pk, "api", IP, people.ward_a.pk)


def test_an_unchanged_save_leaves_no_event(client, people):
    client.force_login(people.bob)
    before = AuditEvent.objects.count()
    assert client.patch(f"/api/v1/results/{people.draft_a.pk}", {"value": 95}, content_type=JSON).status_code == 200
    assert AuditEvent.objects.count() == before


def test_a_change_made_in_the_web_pages_is_audited_as_web(client, people):
    client.force_login(people.alice)
    response = client.post("/quan-tri-don-vi/", {"action": "grant", "org_unit": people.ward_b.pk, "username": "charlie", "role": "reporter"},
                           REMOTE_ADDR=IP)
    assert response.status_code == 302
    event = last_event(object_type="accounts.membership")
    assert (event.action, event.actor, event.via, event.ip) == ("create", "alice", "web", IP)
    assert event.new == {"user": "charlie", "org_unit": "CT-NK-XK", "role": "reporter"}


@pytest.fixture
def results_csv(tmp_path):
    path = tmp_path / "results.csv"
    path.write_text('resolution,target,org_unit,period,value,kind,note\nct-2021,10,CT-NK-TA,2021,"96,2",official,\n', encoding="utf-8")
    return path


def test_an_import_that_changes_a_value_records_old_and_new_and_the_files_checksum(people, results_csv):
    stored = Result.objects.get(target=people.insurance, org_unit=people.ward_a, period="2021", kind="official")
    code, out, err = run("import", str(results_csv), "--sheet", "results")
    assert code == 0, err
    stored.refresh_from_db()
    assert stored.value == D("96.2")
    update = last_event(object_type="targets.result", object_id=str(stored.pk))
    assert update.action == "update" and update.org_unit_id == people.ward_a.pk
    assert numbers(update.old) == {"value": D("95.1"), "source": "demo"}
    assert numbers(update.new) == {"value": D("96.2"), "source": cli_label()}
    assert (update.actor, update.via) == (cli_label(), "cli")
    imported = last_event(action="import")
    assert imported.new["sha256"] == hashlib.sha256(results_csv.read_bytes()).hexdigest()
    assert imported.new["file"] == "results.csv" and imported.new["updated"] == {"results": 1}
    assert (imported.actor, imported.via) == (cli_label(), "cli")


def test_an_import_that_changes_nothing_records_no_import(people, results_csv):
    run("import", str(results_csv), "--sheet", "results")
    count = AuditEvent.objects.filter(action="import").count()
    run("import", str(results_csv), "--sheet", "results")
    assert AuditEvent.objects.filter(action="import").count() == count


# --- logins, failed logins, the command line ----------------------------------------------------------


def test_a_login_a_failed_login_and_a_logout_are_events(client, people):
    client.post("/dang-nhap/", {"username": "alice", "password": "sai-mat-khau"}, REMOTE_ADDR=IP)
    failed = last_event(action="login_failed")
    assert (failed.actor, failed.summary, failed.ip, failed.via, failed.user_id) == ("alice", "alice", IP, "web", None)
    assert client.post("/dang-nhap/", {"username": "alice", "password": "mat-khau-dai-1"}, REMOTE_ADDR=IP).status_code == 302
    login = last_event(action="login")
    assert (login.actor, login.user_id, login.ip, login.via) == ("alice", people.alice.pk, IP, "web")
    client.post("/dang-xuat/", REMOTE_ADDR=IP)
    logout = last_event(action="logout")
    assert (logout.actor, logout.user_id, logout.ip) == ("alice", people.alice.pk, IP)


def test_a_failed_login_for_a_name_that_does_not_exist_is_an_event_too(client, people):
    client.post("/dang-nhap/", {"username": "khong-co", "password": "x"}, REMOTE_ADDR=IP)
    assert last_event(action="login_failed").summary == "khong-co"


def test_a_login_refused_for_a_wrong_two_step_code_is_a_failed_login_event(client, people):
    """The password was right but the second factor wrong: still a failed login, and the trail must say
    so (someone holds Alice's password)."""
    device = TOTPDevice.objects.create(user=people.alice, name="nghiquyet", confirmed=True)
    wrong = f"{(totp(device.bin_key) + 1) % 1_000_000:06d}"
    response = client.post("/dang-nhap/", {"username": "alice", "password": "mat-khau-dai-1", "otp_token": wrong}, REMOTE_ADDR=IP)
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    assert not AuditEvent.objects.filter(action="login").exists()
    failed = last_event(action="login_failed")
    assert (failed.summary, failed.ip) == ("alice", IP)


def test_the_password_is_never_in_the_trail(client, people):
    client.post("/dang-nhap/", {"username": "alice", "password": "sai-mat-khau-bi-mat"})
    client.post("/dang-nhap/", {"username": "alice", "password": "mat-khau-dai-1"})
    for event in AuditEvent.objects.all():
        text = json.dumps([event.summary, event.old, event.new, event.actor], ensure_ascii=False)
        assert "sai-mat-khau-bi-mat" not in text and "mat-khau-dai-1" not in text


def test_command_line_actions_are_recorded_as_cli_and_the_login_name(people):
    code, _, err = run("role", "add", "charlie", "--org", "CT-NK-TA", "--role", "viewer", "--on", "2022-01-01")
    assert code == 0, err
    event = last_event(object_type="accounts.membership")
    assert (event.action, event.actor, event.via, event.ip, event.user_id) == ("create", cli_label(), "cli", None, None)
    assert event.org_unit_id == people.ward_a.pk
    run("role", "remove", "charlie", "--org", "CT-NK-TA", "--role", "viewer", "--on", "2022-01-01")
    assert last_event(object_type="accounts.membership").action == "delete"
    assert last_event(object_type="accounts.membership").actor == cli_label()
    run("token", "create", "bob")
    assert last_event(object_type="accounts.apitoken").actor == cli_label()


# --- append only ----------------------------------------------------------------------------------------


@pytest.fixture
def event(people):
    return last_event(object_type="targets.result", object_id=str(people.draft_a.pk))


def test_an_event_cannot_be_saved_again(event):
    event.summary = "sửa lại"
    with pytest.raises(AppendOnly):
        event.save()
    with pytest.raises(AppendOnly):
        event.save(update_fields=["summary"])


def test_an_event_cannot_be_deleted(event):
    with pytest.raises(AppendOnly):
        event.delete()


@pytest.mark.parametrize("how", ["update", "delete", "all_delete", "bulk_update"])
def test_no_query_updates_or_deletes_events(event, how):
    before = list(AuditEvent.objects.values_list("id", "summary", "actor"))
    with pytest.raises(AppendOnly), transaction.atomic():
        match how:
            case "update":
                AuditEvent.objects.filter(pk=event.pk).update(summary="sửa lại")
            case "delete":
                AuditEvent.objects.filter(pk=event.pk).delete()
            case "all_delete":
                AuditEvent.objects.all().delete()
            case "bulk_update":
                event.summary = "sửa lại"
                AuditEvent.objects.bulk_update([event], ["summary"])
    assert list(AuditEvent.objects.values_list("id", "summary", "actor")) == before


def test_deleting_what_an_event_points_at_keeps_the_event(people, event, django_user_model):
    grete = django_user_model.objects.create_user(username="grete", password="mat-khau-dai-1")
    with_user = record("login", object_type="auth.user", object_id=grete.pk, actor=Actor(label="grete", via="web", user=grete))
    grete.delete()
    assert AuditEvent.objects.filter(pk=with_user.pk).exists()
    people.draft_a.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


# --- nghiquyet audit --------------------------------------------------------------------------------------


@pytest.fixture
def logged(client, people):
    """Bob fails to log in, Alice logs in: two web events besides the fixture's command-line ones."""
    client.post("/dang-nhap/", {"username": "bob", "password": "sai"}, REMOTE_ADDR=IP)
    client.post("/dang-nhap/", {"username": "alice", "password": "mat-khau-dai-1"}, REMOTE_ADDR=IP)
    return people


def test_the_audit_command_prints_every_event_newest_first_as_json_in_vietnam_time(logged):
    code, out, _ = run("audit", "--format", "json")
    assert code == 0
    rows = json.loads(out)
    assert len(rows) == AuditEvent.objects.count() - 1  # the command's own "export" comes after it read
    assert [row["at"] for row in rows] == sorted((row["at"] for row in rows), reverse=True)
    assert all(row["at"].endswith("+07:00") for row in rows)
    assert set(rows[0]) == {"at", "actor", "via", "ip", "action", "object_type", "object_id", "summary", "old", "new"}
    login = next(row for row in rows if row["action"] == "login")
    assert (login["actor"], login["ip"], login["via"]) == ("alice", IP, "web")


def test_the_audit_command_filters_by_user(logged):
    _, out, _ = run("audit", "--user", "alice", "--format", "json")
    rows = json.loads(out)
    assert rows and {row["actor"] for row in rows} == {"alice"}
    _, out, _ = run("audit", "--user", cli_label(), "--format", "json")
    assert {row["actor"] for row in json.loads(out)} == {cli_label()}


def test_the_audit_command_filters_by_action(logged):
    _, out, _ = run("audit", "--action", "login_failed", "--format", "json")
    rows = json.loads(out)
    assert [(row["action"], row["summary"]) for row in rows] == [("login_failed", "bob")]


def test_the_audit_command_filters_by_day(logged):
    today = timezone.localdate()
    _, out, _ = run("audit", "--since", today.isoformat(), "--format", "json")
    assert len(json.loads(out)) >= 2
    _, out, _ = run("audit", "--since", today.replace(year=today.year + 1).isoformat(), "--format", "json")
    assert json.loads(out) == []


def test_the_audit_command_refuses_a_bad_day_in_one_line(logged):
    code, out, err = run("audit", "--since", "31/12/2021")
    assert code == 2 and "không hợp lệ" in err and "Traceback" not in err


def test_the_audit_command_prints_csv_and_a_table(logged):
    _, out, _ = run("audit", "--user", "alice", "--format", "csv")
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["at", "actor", "via", "ip", "action", "object_type", "object_id", "summary", "old", "new"]
    assert [row[1] for row in rows[1:]] == ["alice"] and rows[1][3] == IP and rows[1][4] == "login"
    _, out, _ = run("audit", "--user", "alice")
    lines = out.strip().splitlines()
    assert len(lines) == 1 and "+07:00  [web] alice đăng nhập" in lines[0]  # a sentence, as on the page


def test_the_audit_command_is_itself_audited(logged):
    run("audit", "--format", "csv")
    export = last_event(action="export")
    assert (export.object_type, export.actor, export.via) == ("audit.auditevent", cli_label(), "cli")


# --- who may read the trail -------------------------------------------------------------------------------


@pytest.fixture
def elsewhere(people):
    """An event about Sóc Trăng, another province, and one about a ward of Alice's city."""
    soc_trang = OrgUnit.objects.get(code="ST")
    other = record("update", obj=soc_trang, org_unit=soc_trang, summary="Sóc Trăng", old={"name": "a"}, new={"name": "b"})
    ward = last_event(object_type="targets.result", object_id=str(people.draft_b.pk))
    return other, ward


def test_a_unit_admin_reads_the_events_of_the_units_wards_in_the_api(client, people, elsewhere):
    other, ward = elsewhere
    client.force_login(people.alice)
    response = client.get("/api/v1/audit", {"page_size": 500})
    assert response.status_code == 200
    ids = {item["id"] for item in response.json()["items"]}
    assert ward.pk in ids
    assert other.pk not in ids


def test_a_unit_admin_reads_only_events_about_objects_in_their_units(client, people, elsewhere, django_user_model):
    """Events with a unit: only in the admin's subtree. Events without one (logins, tokens, exports):
    none, not even those of people who hold a role there; and granting a stranger (even a superuser) a
    role in the admin's unit does not open that person's events elsewhere (docs/security.md)."""
    from nghiquyet.accounts.models import Role
    from nghiquyet.accounts.services import grant_role

    stranger = django_user_model.objects.create_user(username="stranger", password="mat-khau-dai-1")
    boss = django_user_model.objects.create_superuser(username="boss", password="mat-khau-dai-1")
    soc_trang = OrgUnit.objects.get(code="ST")
    for user in (stranger, people.bob, boss):  # each makes a token for themselves: an event without a unit
        client.force_login(user)
        assert client.post("/api/v1/tokens", {"name": "mine"}, content_type="application/json").status_code == 201
    client.force_login(boss)  # the superuser changes something in another province
    assert client.patch(f"/api/v1/org-units/{soc_trang.pk}", {"name": "Sóc Trăng (đổi)"}, content_type="application/json").status_code == 200
    client.force_login(people.alice)
    for user in (stranger, boss):
        grant_role(user=user, org_unit=people.ward_a, role=Role.VIEWER, granted_by=people.alice)
    items = client.get("/api/v1/audit", {"page_size": 500}).json()["items"]
    units = OrgUnit.objects.in_bulk({item["org_unit_id"] for item in items if item["org_unit_id"]})
    assert items
    for item in items:
        assert item["org_unit_id"] is not None, item
        assert units[item["org_unit_id"]].path.startswith(people.city.path), item
    summaries = [item["summary"] for item in items]
    assert not any(summary.startswith(("bob:", "stranger:", "boss:")) for summary in summaries)
    assert "Sóc Trăng (đổi)" not in " ".join(summaries)


def test_a_unit_admin_reads_the_events_of_the_units_wards_on_the_page(client, people, elsewhere):
    other, ward = elsewhere
    client.force_login(people.alice)
    response = client.get("/nhat-ky/")
    assert response.status_code == 200
    shown = [event for event, _ in response.context["rows"]]
    assert ward in shown and other not in shown


def test_an_admin_of_a_ward_does_not_read_its_sibling_wards_events(client, people, django_user_model):
    helen = django_user_model.objects.create_user(username="helen", password="mat-khau-dai-1")
    grant_role(user=helen, org_unit=people.ward_a, role=Role.ADMIN)
    client.force_login(helen)
    ids = {item["id"] for item in client.get("/api/v1/audit", {"page_size": 500}).json()["items"]}
    assert last_event(object_type="targets.result", object_id=str(people.draft_a.pk)).pk in ids
    assert last_event(object_type="targets.result", object_id=str(people.draft_b.pk)).pk not in ids


@pytest.mark.parametrize("who", ["bob", "charlie", "dana"])
def test_anyone_but_an_admin_is_refused_the_trail(client, people, who):
    client.force_login(getattr(people, who))
    assert client.get("/api/v1/audit").status_code == 403
    assert client.get("/nhat-ky/").status_code == 403
    assert client.get("/nhat-ky/", {"format": "csv"}).status_code == 403
    assert not AuditEvent.objects.filter(action="export").exists()


def test_a_superuser_reads_every_event(client, people, elsewhere, django_user_model):
    other, _ = elsewhere
    root = django_user_model.objects.create_superuser("root", password="mat-khau-dai-1")
    client.force_login(root)
    ids = {item["id"] for item in client.get("/api/v1/audit", {"page_size": 500}).json()["items"]}
    assert other.pk in ids


def test_the_api_filters_by_user_action_and_day(client, people):
    client.force_login(people.alice)
    client.patch(f"/api/v1/results/{people.draft_b.pk}", {"note": "a"}, content_type=JSON)
    items = client.get("/api/v1/audit", {"user": "alice", "action": "update"}).json()["items"]
    assert items and all(item["actor"] == "alice" and item["action"] == "update" for item in items)
    tomorrow = timezone.localdate().replace(year=timezone.localdate().year + 1)
    assert client.get("/api/v1/audit", {"since": tomorrow.isoformat()}).json()["items"] == []


# --- exporting the trail ----------------------------------------------------------------------------------


def test_exporting_the_trail_as_csv_is_itself_audited(client, people):
    client.force_login(people.alice)
    response = client.get("/nhat-ky/", {"format": "csv"}, REMOTE_ADDR=IP)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:5] == ["at", "actor", "via", "ip", "action"]
    assert len(rows) > 1
    export = last_event(action="export")
    assert (export.object_type, export.actor, export.user_id, export.via, export.ip) == (
        "audit.auditevent", "alice", people.alice.pk, "web", IP)


def test_the_exported_trail_neutralises_formulas(client, people):
    record("update", obj=people.ward_a, org_unit=people.ward_a, summary="=HYPERLINK(\"http://x\")")
    client.force_login(people.alice)
    rows = list(csv.reader(io.StringIO(client.get("/nhat-ky/", {"format": "csv"}).content.decode("utf-8-sig"))))
    summaries = [row[7] for row in rows[1:]]
    assert "'=HYPERLINK(\"http://x\")" in summaries
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
