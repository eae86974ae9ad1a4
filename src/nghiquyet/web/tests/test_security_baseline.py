"""The security baseline: lockout after repeated failed logins, rate limits, a strict content security
policy, no framing, sessions that end, a production configuration that passes Django's deploy checks,
DEBUG off unless asked for, two-step login, and CSV exports a spreadsheet cannot turn into formulas."""

from __future__ import annotations

import csv
import io
import os
import re
import secrets
import string
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from nghiquyet.audit.models import AuditEvent
from nghiquyet.targets.services import save_target

pytestmark = pytest.mark.django_db

PASSWORD = "mat-khau-dai-1"
JSON = "application/json"


def login(client: Client, username: str, password: str = PASSWORD, **extra):
    return client.post("/dang-nhap/", {"username": username, "password": password} | extra)


def logged_in_as(client: Client) -> str | None:
    user_id = client.session.get("_auth_user_id")
    return str(user_id) if user_id else None


# --- lockout ------------------------------------------------------------------------------------------------


def test_the_login_is_locked_after_five_failures_even_with_the_right_password(client, people):
    assert django_settings.AXES_FAILURE_LIMIT == 5
    statuses = [login(client, "alice", "sai-mat-khau").status_code for _ in range(5)]
    assert statuses[:4] == [200] * 4  # the fifth failure may already answer with the lockout page
    assert logged_in_as(client) is None
    response = login(client, "alice")
    assert response.status_code == 429
    assert logged_in_as(client) is None
    assert client.get("/").status_code == 302
    assert not AuditEvent.objects.filter(action="login", user=people.alice).exists()


def test_four_failures_do_not_lock_and_a_success_starts_the_count_again(client, people):
    for _ in range(4):
        login(client, "alice", "sai-mat-khau")
    assert login(client, "alice").status_code == 302
    client.post("/dang-xuat/")
    for _ in range(4):
        login(client, "alice", "sai-mat-khau")
    assert login(client, "alice").status_code == 302


def test_the_lockout_is_per_user_another_user_still_logs_in(client, people):
    for _ in range(6):
        login(client, "alice", "sai-mat-khau")
    assert login(client, "bob").status_code == 302
    assert logged_in_as(client) == str(people.bob.pk)


def test_an_invented_forwarded_for_header_does_not_escape_the_lockout(client, people):
    for index in range(5):
        client.post("/dang-nhap/", {"username": "alice", "password": "sai-mat-khau"},
                    HTTP_X_FORWARDED_FOR=f"10.0.0.{index}", HTTP_X_REAL_IP=f"10.0.1.{index}")
    response = client.post("/dang-nhap/", {"username": "alice", "password": PASSWORD}, HTTP_X_FORWARDED_FOR="10.0.9.9")
    assert response.status_code == 429 and logged_in_as(client) is None


def test_behind_a_proxy_the_lockout_is_per_client_address_not_for_everyone(client, people, settings):
    """With NGHIQUYET_TRUSTED_PROXY_HEADER set (the README's way to run behind a reverse proxy) every
    request comes from the proxy's address. The lockout is "per username and address": someone failing
    five times from one address must not lock Alice out when she logs in from hers."""
    settings.NGHIQUYET_TRUSTED_PROXY_HEADER = "HTTP_X_REAL_IP"
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for _ in range(5):
        client.post("/dang-nhap/", {"username": "alice", "password": "sai-mat-khau"}, HTTP_X_REAL_IP="203.0.113.66", **proxy)
    assert AuditEvent.objects.filter(action="login_failed", ip="203.0.113.66").count() == 5
    alice = Client(**proxy)
    response = alice.post("/dang-nhap/", {"username": "alice", "password": PASSWORD}, HTTP_X_REAL_IP="203.0.113.77")
    assert response.status_code == 302
    assert logged_in_as(alice) == str(people.alice.pk)


@pytest.mark.parametrize(
    "proxies, forwarded, expected",
    [
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "6.6.6.6, 203.0.113.5", "203.0.113.5"),  # the leftmost entry is the client's own word: ignored
        (2, "6.6.6.6, 203.0.113.5, 10.0.0.2", "203.0.113.5"),  # two proxies: the second entry from the right
        (2, "203.0.113.5", "203.0.113.5"),  # fewer entries than proxies: the first the proxies wrote
        (1, "not-an-address", "10.0.0.1"),  # garbage: the connection's own address
        (0, "203.0.113.5", "10.0.0.1"),  # no proxy trusted: the header is ignored
    ],
)
def test_the_client_address_is_counted_from_the_right_of_x_forwarded_for(rf, settings, proxies, forwarded, expected):
    from nghiquyet.audit.context import client_ip

    settings.NGHIQUYET_TRUSTED_PROXY_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.NGHIQUYET_TRUSTED_PROXIES = proxies
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_behind_a_proxy_each_client_has_its_own_rate_limit_bucket(client, people, settings, limits):
    """Behind nginx (one proxy, X-Forwarded-For) a client that spends its API budget, or forges the
    header's leftmost entry, does not spend anyone else's."""
    settings.NGHIQUYET_TRUSTED_PROXY_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.NGHIQUYET_TRUSTED_PROXIES = 1
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for index in range(limits["api"] + 1):
        # each request forges a new leftmost address; the proxy appends the real one
        last = client.get("/api/v1/health", HTTP_X_FORWARDED_FOR=f"198.51.100.{index}, 203.0.113.66", **proxy)
    assert last.status_code == 429
    other = Client()
    assert other.get("/api/v1/health", HTTP_X_FORWARDED_FOR="203.0.113.77", **proxy).status_code == 200


# --- rate limits --------------------------------------------------------------------------------------------


@pytest.fixture
def limits(settings, one_rate_window):
    """Small limits, an empty cache, and a clock that stays inside one one-minute window."""
    settings.NGHIQUYET_RATE_LIMITS = {"login": 3, "api": 5}
    cache.clear()
    yield settings.NGHIQUYET_RATE_LIMITS
    cache.clear()


def test_api_calls_beyond_the_limit_get_a_429_with_retry_after(client, people, limits):
    client.force_login(people.alice)
    for _ in range(limits["api"]):
        assert client.get("/api/v1/org-units").status_code == 200
    response = client.get("/api/v1/org-units")
    assert response.status_code == 429
    assert response.json()["detail"]
    assert response["Retry-After"] == "45"


def test_the_api_limit_counts_per_user_and_per_address(client, people, limits):
    client.force_login(people.alice)
    for _ in range(limits["api"]):
        assert client.get("/api/v1/health").status_code == 200
    assert client.get("/api/v1/health").status_code == 429
    assert client.get("/api/v1/health", REMOTE_ADDR="203.0.113.7").status_code == 429  # Alice, from elsewhere
    assert Client().get("/api/v1/health").status_code == 429  # anyone else from Alice's address
    other = Client(REMOTE_ADDR="203.0.113.8")
    other.force_login(people.bob)
    assert other.get("/api/v1/health").status_code == 200  # another user from another address


def test_anonymous_api_calls_are_limited_per_address(client, people, limits):
    statuses = [client.get("/api/v1/health").status_code for _ in range(limits["api"] + 1)]
    assert statuses == [200] * limits["api"] + [429]
    assert Client(REMOTE_ADDR="203.0.113.50").get("/api/v1/health").status_code == 200


def test_made_up_bearer_tokens_do_not_escape_the_limit(client, people, limits):
    """Each request carries a different invented token: the caller is still one anonymous address, so the
    limit must still apply (else guessing tokens, or flooding the token lookup, is unlimited)."""
    statuses = [
        client.get("/api/v1/health", HTTP_AUTHORIZATION=f"Bearer nq_{secrets.token_urlsafe(32)}").status_code
        for _ in range(limits["api"] + 3)
    ]
    assert 429 in statuses, statuses


def test_login_posts_beyond_the_limit_get_a_429(client, people, limits):
    for name in ("charlie", "dana", "nobody")[: limits["login"]]:
        assert login(client, name, "sai").status_code == 200
    response = login(client, "alice")
    assert response.status_code == 429
    assert response["Retry-After"] == "45"
    assert logged_in_as(client) is None
    assert client.get("/dang-nhap/").status_code == 200  # showing the form is not limited


# --- headers ----------------------------------------------------------------------------------------------


PAGES = ["/", "/dang-nhap/", "/nghi-quyet/ct-2021/", "/nghi-quyet/ct-2021/danh-gia/", "/tai-khoan/",
         "/tai-khoan/xac-thuc-hai-buoc/", "/nhat-ky/", "/quan-tri-don-vi/", "/api/v1/docs"]


def policy(response) -> dict[str, list[str]]:
    directives = [part.split() for part in response["Content-Security-Policy"].split(";") if part.strip()]
    return {words[0]: words[1:] for words in directives}


@pytest.mark.parametrize("url", PAGES)
def test_every_page_has_a_policy_allowing_only_our_own_scripts(client, people, url):
    if url != "/dang-nhap/":
        client.force_login(people.alice)
    response = client.get(url)
    assert response.status_code == 200
    csp = policy(response)
    assert csp["script-src"] == ["'self'"]
    assert csp["default-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"] and csp["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in csp["script-src"] and "'unsafe-eval'" not in csp["script-src"]


@pytest.mark.parametrize("url", PAGES)
def test_no_page_needs_an_inline_script(client, people, url):
    """With script-src 'self' an inline script or an on… handler would silently not run."""
    if url != "/dang-nhap/":
        client.force_login(people.alice)
    html = client.get(url).content.decode()
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert not re.search(r"<[^>]+\son[a-z]+\s*=", html)
    assert "javascript:" not in html


@pytest.mark.parametrize("url", ["/", "/dang-nhap/", "/api/v1/org-units", "/api/v1/health", "/nghi-quyet/ct-2021/danh-gia.csv?org=CT&period=2021"])
def test_no_response_may_be_framed(client, people, url):
    if url != "/dang-nhap/":
        client.force_login(people.alice)
    response = client.get(url)
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


# --- sessions ---------------------------------------------------------------------------------------------


def test_a_session_lasts_a_working_day_at_most(client, people):
    assert 0 < django_settings.SESSION_COOKIE_AGE <= 12 * 3600
    assert django_settings.SESSION_COOKIE_HTTPONLY
    before = timezone.now()
    login(client, "alice")
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    assert int(cookie["max-age"]) == django_settings.SESSION_COOKIE_AGE
    assert cookie["httponly"]
    session = Session.objects.get(session_key=cookie.value)
    lifetime = session.expire_date - before
    assert abs(lifetime - timedelta(seconds=django_settings.SESSION_COOKIE_AGE)) < timedelta(minutes=1)


def test_an_expired_session_is_logged_out(client, people):
    login(client, "alice")
    assert client.get("/").status_code == 200
    key = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/dang-nhap/")
    assert client.get("/api/v1/org-units").status_code == 401


# --- production configuration ------------------------------------------------------------------------------


def nghiquyet_command() -> str:
    return str(Path(sys.executable).parent / "nghiquyet")


def production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    env = {name: value for name, value in os.environ.items() if not name.startswith(("NGHIQUYET_", "DJANGO_")) and name != "DATABASE_URL"}
    return env | {
        "NGHIQUYET_HTTPS": "1",
        "NGHIQUYET_ALLOWED_HOSTS": "example.vn",
        "NGHIQUYET_SECRET_KEY": "".join(secrets.choice(alphabet) for _ in range(50)),
        "NGHIQUYET_VAR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite3",
    } | extra


def test_the_deploy_check_passes_with_production_settings(tmp_path):
    result = subprocess.run(
        [nghiquyet_command(), "check", "--deploy", "--fail-level", "WARNING"],
        env=production_env(tmp_path), capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout + result.stderr


def test_the_deploy_check_fails_without_https(tmp_path):
    """The control: the check does look (plain HTTP warns about cookies, HSTS and redirects)."""
    env = production_env(tmp_path)
    del env["NGHIQUYET_HTTPS"]
    result = subprocess.run([nghiquyet_command(), "check", "--deploy", "--fail-level", "WARNING"], env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "SESSION_COOKIE_SECURE" in result.stderr


def read_setting(tmp_path: Path, name: str, **env: str) -> str:
    code = f"import django; django.setup(); from django.conf import settings; print(settings.{name})"
    environment = production_env(tmp_path, DJANGO_SETTINGS_MODULE="nghiquyet.settings", **env)
    for key in ("NGHIQUYET_HTTPS", "NGHIQUYET_SECRET_KEY"):
        environment.pop(key)
    result = subprocess.run([sys.executable, "-c", code], env=environment, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_debug_is_off_unless_asked_for(tmp_path):
    assert read_setting(tmp_path, "DEBUG") == "False"
    assert read_setting(tmp_path, "DEBUG", NGHIQUYET_DEBUG="0") == "False"
    assert read_setting(tmp_path, "DEBUG", NGHIQUYET_DEBUG="1") == "True"


# --- two-step login ---------------------------------------------------------------------------------------


@pytest.fixture
def alice_with_totp(client, people):
    """Alice turns on two-step login through the account pages, then logs out."""
    client.force_login(people.alice)
    page = client.get("/tai-khoan/xac-thuc-hai-buoc/")
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=people.alice, confirmed=False)
    assert "<svg" in page.content.decode()  # the QR code
    response = client.post("/tai-khoan/xac-thuc-hai-buoc/", {"token": f"{totp(device.bin_key):06d}"})
    assert response.status_code == 302 and response["Location"] == "/tai-khoan/"
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEvent.objects.filter(action="otp_on", object_id=str(people.alice.pk)).exists()
    from nghiquyet.notifications.models import Notification

    assert Notification.objects.filter(user=people.alice, key=f"otp_on:{device.pk}").exists()  # told, in case it was not her
    client.post("/dang-xuat/")
    return device


def next_code(device: TOTPDevice) -> str:
    """The code of the next 30-second step: the current one was just used to confirm the device, and a
    used code is refused again (replay protection)."""
    device.refresh_from_db()
    return f"{totp(device.bin_key, drift=1):06d}"


def test_a_wrong_code_does_not_turn_two_step_login_on(client, people):
    client.force_login(people.alice)
    client.get("/tai-khoan/xac-thuc-hai-buoc/")
    device = TOTPDevice.objects.get(user=people.alice)
    wrong = f"{(totp(device.bin_key) + 1) % 1_000_000:06d}"
    assert client.post("/tai-khoan/xac-thuc-hai-buoc/", {"token": wrong}).status_code == 200
    device.refresh_from_db()
    assert not device.confirmed


def test_with_two_step_login_the_password_alone_is_not_enough(client, alice_with_totp, people):
    response = login(client, "alice")
    assert response.status_code == 200
    assert "mã xác thực" in response.content.decode()
    assert logged_in_as(client) is None


def test_with_two_step_login_a_wrong_code_is_refused(client, alice_with_totp, people):
    wrong = f"{(int(next_code(alice_with_totp)) + 1) % 1_000_000:06d}"
    assert login(client, "alice", otp_token=wrong).status_code == 200
    assert logged_in_as(client) is None


def test_with_two_step_login_the_password_and_the_code_log_in(client, alice_with_totp, people):
    response = login(client, "alice", otp_token=next_code(alice_with_totp))
    assert response.status_code == 302
    assert logged_in_as(client) == str(people.alice.pk)
    assert client.get("/").status_code == 200


def test_with_two_step_login_a_code_cannot_be_used_twice(client, alice_with_totp, people):
    code = next_code(alice_with_totp)
    assert login(client, "alice", otp_token=code).status_code == 302
    client.post("/dang-xuat/")
    assert login(client, "alice", otp_token=code).status_code == 200
    assert logged_in_as(client) is None


def test_users_without_two_step_login_need_no_code(client, alice_with_totp, people):
    assert login(client, "bob").status_code == 302


# --- CSV exports ------------------------------------------------------------------------------------------


FORMULAS = ["=HYPERLINK(1)", "+1", "-1", "@SUM(A1)"]


@pytest.fixture
def formula_targets(people):
    resolution = people.insurance.resolution
    for index, name in enumerate(FORMULAS, start=1):
        save_target(resolution=resolution, code=f"F{index}", name=name, unit="=1" if index == 1 else "", direction="increase")
    return resolution


def test_the_scorecard_csv_neutralises_formulas(client, people, formula_targets):
    client.force_login(people.alice)
    response = client.get("/nghi-quyet/ct-2021/danh-gia.csv", {"org": "CT", "period": "2021"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    names = {row["code"]: row["name"] for row in rows}
    for index, name in enumerate(FORMULAS, start=1):
        assert names[f"F{index}"] == "'" + name
    assert next(row for row in rows if row["code"] == "F1")["unit"] == "'=1"
    text_columns = ("code", "name", "unit", "direction", "kind", "status", "change_unit", "state")
    assert not any(row[column].startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for column in text_columns)
    assert names["10"] == "Tỷ lệ dân số tham gia bảo hiểm y tế"


def test_the_scorecard_csv_export_is_audited(client, people):
    client.force_login(people.alice)
    assert client.get("/nghi-quyet/ct-2021/danh-gia.csv", {"org": "CT-NK", "period": "2021"}, REMOTE_ADDR="198.51.100.4").status_code == 200
    event = AuditEvent.objects.filter(action="export").latest("id")
    assert (event.object_type, event.object_id) == ("targets.resolution", str(people.insurance.resolution_id))
    assert (event.actor, event.user_id, event.via, event.ip) == ("alice", people.alice.pk, "web", "198.51.100.4")
    assert event.org_unit.code == "CT-NK"
    assert "CT-NK" in event.summary and "2021" in event.summary


def test_the_scorecard_csv_of_a_viewer_holds_no_drafts(client, people):
    client.force_login(people.dana)
    from decimal import Decimal

    from nghiquyet.figures.writes import set_plan
    from nghiquyet.lib.periods import parse_period

    set_plan(target=people.insurance, org_unit=people.ward_b, period=parse_period("2022"), value=Decimal(90))
    response = client.get("/nghi-quyet/ct-2021/danh-gia.csv", {"org": "CT-NK-XK", "period": "2022"})
    assert response.status_code == 200
    row = next(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert row["code"] == "10" and row["plan"] == "90" and row["actual"] == "" and row["state"] == ""
