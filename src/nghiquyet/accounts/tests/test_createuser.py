import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def run(*args, env_password=None, monkeypatch=None):
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command("createuser", *args, stdout=out, stderr=err)
    except SystemExit as exit:
        code = exit.code
    return code, out.getvalue(), err.getvalue()


def test_it_creates_an_admin_with_the_password_from_the_environment(monkeypatch):
    monkeypatch.setenv("NGHIQUYET_PASSWORD", "mat-khau-dai-1")
    code, out, _ = run("an", "--admin")
    user = get_user_model().objects.get(username="an")
    assert code == 0 and "quản trị" in out
    assert user.is_superuser and user.check_password("mat-khau-dai-1")


def test_it_creates_a_plain_user(monkeypatch):
    monkeypatch.setenv("NGHIQUYET_PASSWORD", "mat-khau-dai-2")
    run("binh")
    assert not get_user_model().objects.get(username="binh").is_staff


def test_it_refuses_a_taken_name_and_a_weak_password(monkeypatch):
    monkeypatch.setenv("NGHIQUYET_PASSWORD", "mat-khau-dai-3")
    run("chi")
    code, _, err = run("CHI")
    assert code == 2 and "đã có" in err
    monkeypatch.setenv("NGHIQUYET_PASSWORD", "123")
    code, _, err = run("dung")
    assert code == 2 and "Mật khẩu" in err
    assert not get_user_model().objects.filter(username="dung").exists()


def test_without_a_password_or_terminal_it_says_what_to_do(monkeypatch):
    monkeypatch.delenv("NGHIQUYET_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    code, _, err = run("em")
    assert code == 2 and "NGHIQUYET_PASSWORD" in err
