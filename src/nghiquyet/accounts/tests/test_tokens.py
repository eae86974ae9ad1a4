"""Personal API tokens: made on the command line or the account page, shown once, stored as a hash;
a Bearer token works without CSRF, stops working when revoked or expired, never carries more than its
user's rights (a read token only reads), and every write made with one is audited."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from nghiquyet.accounts.models import ApiToken, Membership, hash_token
from nghiquyet.accounts.services import create_token
from nghiquyet.audit.models import AuditEvent
from nghiquyet.targets.models import Plan, Resolution

pytestmark = pytest.mark.django_db

JSON = "application/json"
SECRET = re.compile(r"nq_[A-Za-z0-9_-]{43}")
NEW_RESOLUTION = {"key": "moi", "number": "1-NQ", "title": "Nghị quyết mới", "org_unit_id": None}


def token_command(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command("token", *args, stdout=out, stderr=err)
    except SystemExit as exit:
        code = exit.code
    return code, out.getvalue(), err.getvalue()


def bearer(secret: str) -> Client:
    """A client with no session and CSRF checks on, as a script would call the API."""
    client = Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {secret}")
    client.raise_request_exception = False
    return client


def new_resolution(people) -> dict:
    return NEW_RESOLUTION | {"org_unit_id": people.city.pk}


def stored_anywhere(text: str) -> list[str]:
    """The tables (of every app, and Django's own) that hold `text` in any column of any row."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            if any(text in repr(row) for row in cursor.fetchall()):
                found.append(table)
    return found


# --- the command line ----------------------------------------------------------------------------------


def test_create_prints_the_token_once_and_stores_only_its_hash(people):
    code, out, err = token_command("create", "alice", "--name", "máy báo cáo", "--scope", "read-write", "--expires", "2099-12-31")
    assert code == 0
    secret = out.strip()
    assert SECRET.fullmatch(secret) and out.count(secret) == 1
    assert secret not in err and "chỉ in ra lần này" in err
    token = ApiToken.objects.get(user=people.alice)
    assert f"#{token.pk}" in err
    assert token.key_hash == hash_token(secret) and token.key_hash != secret
    assert token.hint == secret[:10]
    assert (token.name, token.scope) == ("máy báo cáo", "read-write")
    assert timezone.localtime(token.expires_at).date().isoformat() == "2099-12-31"
    assert stored_anywhere(secret) == []
    assert stored_anywhere(token.key_hash) == ["accounts_apitoken"]


def test_create_makes_a_read_token_without_expiry_by_default(people):
    _, out, _ = token_command("create", "bob")
    token = ApiToken.objects.get(key_hash=hash_token(out.strip()))
    assert (token.user, token.scope, token.expires_at, token.name) == (people.bob, "read", None, "")


@pytest.mark.parametrize("args, words", [
    (("create", "nobody"), "nobody"),
    (("create", "bob", "--expires", "2020-01-01"), "tương lai"),
    (("create", "bob", "--expires", "31/12/2099"), "không hợp lệ"),
])
def test_create_refuses_an_unknown_user_or_a_bad_expiry_in_one_line(people, args, words):
    code, out, err = token_command(*args)
    assert code == 2 and out == "" and words in err and "Traceback" not in err
    assert not ApiToken.objects.exists()


def test_list_shows_each_token_by_hint_and_state_never_the_token(people):
    _, first, _ = token_command("create", "bob", "--name", "một")
    _, second, _ = token_command("create", "bob", "--name", "hai", "--scope", "read-write", "--expires", "2099-01-31")
    revoked = ApiToken.objects.get(key_hash=hash_token(first.strip()))
    token_command("revoke", str(revoked.pk))
    code, out, _ = token_command("list", "bob")
    assert code == 0
    lines = out.strip().splitlines()
    assert len(lines) == 2
    assert lines[0].split("\t") == [str(revoked.pk), f"{revoked.hint}…", "read", "-", "đã thu hồi", "một"]
    kept = ApiToken.objects.get(key_hash=hash_token(second.strip()))
    assert lines[1].split("\t") == [str(kept.pk), f"{kept.hint}…", "read-write", "2099-01-31", "đang dùng", "hai"]
    assert first.strip() not in out and second.strip() not in out


def test_list_says_when_a_token_has_expired(people):
    token, _ = create_token(user=people.bob, name="cũ")
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(days=1))
    _, out, _ = token_command("list", "bob")
    assert "\thết hạn\t" in out


def test_revoke_by_id_stops_the_token(people):
    _, out, _ = token_command("create", "alice")
    secret = out.strip()
    token = ApiToken.objects.get(key_hash=hash_token(secret))
    assert bearer(secret).get("/api/v1/resolutions").status_code == 200
    code, out, _ = token_command("revoke", str(token.pk))
    assert code == 0 and f"#{token.pk}" in out and "alice" in out
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert bearer(secret).get("/api/v1/resolutions").status_code == 401


@pytest.mark.parametrize("which, words", [("again", "đã bị thu hồi"), ("unknown", "Không có khóa")])
def test_revoking_twice_or_an_unknown_id_is_one_clear_line(people, which, words):
    token, _ = create_token(user=people.bob)
    token_command("revoke", str(token.pk))
    code, _, err = token_command("revoke", str(token.pk if which == "again" else token.pk + 1000))
    assert code == 2 and words in err and "Traceback" not in err


# --- using a token ---------------------------------------------------------------------------------------


def test_a_bearer_token_writes_without_a_csrf_token(people):
    _, secret = create_token(user=people.alice, scope="read-write")
    response = bearer(secret).post("/api/v1/resolutions", new_resolution(people), content_type=JSON)
    assert response.status_code == 201
    assert Resolution.objects.filter(key="moi").exists()


def test_a_bearer_token_reads_as_its_user(people):
    _, secret = create_token(user=people.bob)
    ids = {item["id"] for item in bearer(secret).get("/api/v1/results", {"period": "2022"}).json()["items"]}
    assert people.draft_a.pk in ids and people.draft_b.pk not in ids


@pytest.mark.parametrize("header", ["Bearer nq_" + "x" * 43, "Bearer ", "Token abc", "Basic YWxpY2U6eA=="])
def test_an_unknown_or_malformed_token_is_a_401(people, header):
    client = Client(HTTP_AUTHORIZATION=header)
    response = client.get("/api/v1/resolutions")
    assert response.status_code == 401
    assert response.json()["detail"]


def test_a_revoked_token_is_a_401(people):
    token, secret = create_token(user=people.alice, scope="read-write")
    assert bearer(secret).get("/api/v1/resolutions").status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
    response = bearer(secret).get("/api/v1/resolutions")
    assert response.status_code == 401 and response.json()["detail"]


def test_an_expired_token_is_a_401(people):
    token, secret = create_token(user=people.alice, scope="read-write", expires_at=timezone.now() + timedelta(days=1))
    assert bearer(secret).get("/api/v1/resolutions").status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert bearer(secret).get("/api/v1/resolutions").status_code == 401


@pytest.mark.parametrize("dead", ["revoked", "expired"])
def test_a_write_with_a_dead_token_is_a_401_not_a_csrf_failure(people, dead):
    """A script (no session, no CSRF cookie) whose token was revoked or ran out must be told "401: not
    authenticated", not "403: CSRF check Failed", which sends its author looking in the wrong place."""
    token, secret = create_token(user=people.alice, scope="read-write")
    change = {"revoked_at": timezone.now()} if dead == "revoked" else {"expires_at": timezone.now() - timedelta(seconds=1)}
    ApiToken.objects.filter(pk=token.pk).update(**change)
    response = bearer(secret).post("/api/v1/resolutions", new_resolution(people), content_type=JSON)
    assert not Resolution.objects.filter(key="moi").exists()
    assert response.status_code == 401, response.json()


def test_a_token_of_a_deactivated_user_is_a_401(people):
    _, secret = create_token(user=people.alice, scope="read-write")
    people.alice.is_active = False
    people.alice.save(update_fields=["is_active"])
    assert bearer(secret).get("/api/v1/resolutions").status_code == 401


def test_a_read_token_cannot_write_even_where_its_user_could(people):
    _, secret = create_token(user=people.alice, scope="read")
    client = bearer(secret)
    plan = Plan.objects.get(target=people.insurance, org_unit=people.ward_a, period="2021")
    writes = [
        ("post", "/api/v1/resolutions", new_resolution(people)),
        ("patch", f"/api/v1/plans/{plan.pk}", {"value": 80}),
        ("post", f"/api/v1/results/{people.draft_a.pk}/approve", {}),
        ("patch", f"/api/v1/org-units/{people.ward_b.pk}", {"level": "xã"}),
        ("delete", f"/api/v1/memberships/{Membership.objects.get(user=people.dana).pk}", None),
    ]
    for method, url, body in writes:
        response = getattr(client, method)(url, **({"data": body, "content_type": JSON} if body is not None else {}))
        assert response.status_code == 403, (method, url, response.content)
    assert not Resolution.objects.filter(key="moi").exists()
    people.draft_a.refresh_from_db()
    assert people.draft_a.state == "draft"
    assert Membership.objects.filter(user=people.dana).exists()
    # …and it reads everything its user may read, drafts and the audit trail included
    assert client.get(f"/api/v1/results/{people.draft_b.pk}").status_code == 200
    assert client.get("/api/v1/audit").status_code == 200


def test_a_read_token_cannot_revoke_tokens(people):
    """Revoking is a write: a read token (say, a dashboard's) must not switch off its user's other tokens."""
    other, other_secret = create_token(user=people.alice, scope="read-write", name="máy chủ")
    _, secret = create_token(user=people.alice, scope="read")
    response = bearer(secret).delete(f"/api/v1/tokens/{other.pk}")
    assert response.status_code == 403
    other.refresh_from_db()
    assert other.revoked_at is None
    assert bearer(other_secret).get("/api/v1/resolutions").status_code == 200


def test_a_token_cannot_make_another_token(people):
    _, secret = create_token(user=people.alice, scope="read-write")
    response = bearer(secret).post("/api/v1/tokens", {"name": "x", "scope": "read-write"}, content_type=JSON)
    assert response.status_code in (401, 403)  # tokens are made from a logged-in session only
    assert ApiToken.objects.filter(user=people.alice).count() == 1


def test_a_token_never_carries_more_than_its_users_rights(people):
    _, charlie = create_token(user=people.charlie, scope="read-write")
    assert bearer(charlie).post("/api/v1/resolutions", new_resolution(people), content_type=JSON).status_code == 403
    assert not Resolution.objects.filter(key="moi").exists()
    _, bob = create_token(user=people.bob, scope="read-write")
    assert bearer(bob).post(f"/api/v1/results/{people.draft_a.pk}/approve", content_type=JSON).status_code == 403
    assert bearer(bob).get(f"/api/v1/results/{people.draft_b.pk}").status_code == 404
    assert bearer(bob).get("/api/v1/audit").status_code == 403
    people.draft_a.refresh_from_db()
    assert people.draft_a.state == "draft"


def test_a_write_with_a_token_is_audited_as_the_token(people):
    token, secret = create_token(user=people.alice, scope="read-write")
    response = bearer(secret).post("/api/v1/resolutions", new_resolution(people), content_type=JSON, REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 201
    write = AuditEvent.objects.get(action="token_write")
    label = f"token:{token.pk} (alice)"
    assert (write.object_type, write.object_id, write.summary) == ("accounts.apitoken", str(token.pk), "POST /api/v1/resolutions")
    assert (write.actor, write.via, write.ip, write.user_id) == (label, "token", "203.0.113.9", people.alice.pk)
    created = AuditEvent.objects.get(action="create", object_type="targets.resolution", object_id=str(Resolution.objects.get(key="moi").pk))
    assert (created.actor, created.via, created.ip, created.user_id) == (label, "token", "203.0.113.9", people.alice.pk)


def test_a_refused_write_with_a_token_is_audited_too(people):
    token, secret = create_token(user=people.charlie, scope="read-write")
    bearer(secret).post("/api/v1/resolutions", new_resolution(people), content_type=JSON)
    assert AuditEvent.objects.filter(action="token_write", object_id=str(token.pk)).count() == 1


def test_reads_with_a_token_are_not_audited_as_writes(people):
    _, secret = create_token(user=people.alice)
    bearer(secret).get("/api/v1/resolutions")
    bearer(secret).get("/api/v1/audit")
    assert not AuditEvent.objects.filter(action="token_write").exists()


def test_using_a_token_records_when_it_was_last_used(people):
    token, secret = create_token(user=people.bob)
    assert token.last_used_at is None
    before = timezone.now()
    bearer(secret).get("/api/v1/resolutions")
    token.refresh_from_db()
    assert token.last_used_at is not None and token.last_used_at >= before - timedelta(seconds=1)


def test_last_used_is_written_at_most_once_a_minute(people):
    token, secret = create_token(user=people.bob)
    earlier = timezone.now() - timedelta(seconds=30)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=earlier)
    bearer(secret).get("/api/v1/resolutions")
    token.refresh_from_db()
    assert token.last_used_at == earlier
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now() - timedelta(minutes=5))
    bearer(secret).get("/api/v1/resolutions")
    token.refresh_from_db()
    assert timezone.now() - token.last_used_at < timedelta(seconds=10)


# --- the account page ------------------------------------------------------------------------------------


def test_the_account_page_makes_a_token_and_shows_it_once(client, people):
    client.force_login(people.bob)
    response = client.post("/tai-khoan/", {"name": "bảng tính", "scope": "read", "expires": "2099-06-30"})
    assert response.status_code == 200
    html = response.content.decode()
    shown = SECRET.findall(html)
    assert len(shown) == 1 and f'id="new-token">{shown[0]}<' in html
    secret = shown[0]
    token = ApiToken.objects.get(user=people.bob)
    assert token.key_hash == hash_token(secret) and (token.name, token.scope) == ("bảng tính", "read")
    assert timezone.localtime(token.expires_at).date().isoformat() == "2099-06-30"
    again = client.get("/tai-khoan/").content.decode()
    assert secret not in again and f"{token.hint}…" in again
    assert stored_anywhere(secret) == []
    assert bearer(secret).get("/api/v1/resolutions").status_code == 200


def test_the_account_page_refuses_an_unknown_scope_and_makes_nothing(client, people):
    client.force_login(people.bob)
    response = client.post("/tai-khoan/", {"name": "x", "scope": "admin"})
    assert response.status_code == 200
    assert not SECRET.search(response.content.decode())
    assert not ApiToken.objects.exists()


def test_the_account_page_refuses_an_expiry_in_the_past(client, people):
    client.force_login(people.bob)
    response = client.post("/tai-khoan/", {"name": "x", "scope": "read", "expires": "2020-01-01"})
    assert response.status_code == 200
    assert "tương lai" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_the_account_page_revokes_a_token(client, people):
    token, secret = create_token(user=people.bob, name="cũ")
    client.force_login(people.bob)
    response = client.post(f"/tai-khoan/khoa-api/{token.pk}/thu-hoi/")
    assert response.status_code == 302 and response["Location"] == "/tai-khoan/"
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert bearer(secret).get("/api/v1/resolutions").status_code == 401
    assert AuditEvent.objects.filter(action="revoke", object_type="accounts.apitoken", object_id=str(token.pk), actor="bob").exists()
    assert "đã thu hồi" in client.get("/tai-khoan/").content.decode()


def test_the_account_page_does_not_revoke_someone_elses_token(client, people):
    token, secret = create_token(user=people.bob)
    client.force_login(people.alice)
    assert client.post(f"/tai-khoan/khoa-api/{token.pk}/thu-hoi/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert bearer(secret).get("/api/v1/resolutions").status_code == 200
