"""nghiquyet run-jobs: each app's jobs.py declares its jobs; the command runs those that are due, once
however many servers' crons call it, records failures, and runs the others anyway."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from nghiquyet.schedule.models import JobRun
from nghiquyet.schedule.registry import JOBS, Job, discover
from nghiquyet.schedule.runner import run_due

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("run_jobs", *args, stdout=out, stderr=err)
    except SystemExit as exit:
        return int(exit.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def test_the_apps_jobs_are_discovered():
    names = set(discover())
    assert {"accounts.clear_expired_sessions", "web.purge_rate_counters", "figures.remind_late_units", "imports.forget_old_uploads",
            "imports.recover_stuck_uploads"} <= names


def test_a_due_job_runs_once_and_then_waits_for_its_interval():
    calls = []
    job = Job("test.count", timedelta(hours=1), lambda: calls.append(1) or "ok", "")
    now = timezone.now()
    assert [o.ran for o in run_due([job], now=now)] == [True]
    assert [o.ran for o in run_due([job], now=now + timedelta(minutes=59))] == [False]  # another cron, too soon
    assert [o.ran for o in run_due([job], now=now + timedelta(minutes=61))] == [True]
    assert len(calls) == 2
    assert JobRun.objects.get(name="test.count").succeeded is True


def test_a_failing_job_is_recorded_and_the_others_still_run():
    def broken() -> str:
        raise RuntimeError("hỏng")

    outcomes = run_due([Job("test.broken", timedelta(hours=1), broken, ""), Job("test.fine", timedelta(hours=1), lambda: "ok", "")])
    assert [(o.name, o.succeeded) for o in outcomes] == [("test.broken", False), ("test.fine", True)]
    assert "hỏng" in JobRun.objects.get(name="test.broken").message


def test_the_command_runs_due_jobs_and_says_what_it_did(people):
    code, out, _ = run()
    assert code == 0
    assert "accounts.clear_expired_sessions: xong" in out and "web.purge_rate_counters: xong" in out
    code, out, _ = run()
    assert "accounts.clear_expired_sessions: chưa đến hạn" in out


def test_the_command_lists_jobs_and_refuses_an_unknown_one():
    code, out, _ = run("--list")
    assert code == 0 and "web.purge_rate_counters" in out
    code, _, err = run("--only", "khong.co")
    assert code == 2 and "run-jobs --list" in err


def test_run_jobs_is_spelled_with_a_dash_on_the_command_line(monkeypatch, capsys):
    from nghiquyet import cli

    seen = []
    monkeypatch.setattr("django.core.management.execute_from_command_line", lambda argv: seen.append(argv))
    cli.main(["nghiquyet", "run-jobs", "--list"])
    assert seen == [["nghiquyet", "run_jobs", "--list"]]


@pytest.fixture(autouse=True)
def _keep_registry():
    saved = dict(discover())
    yield
    JOBS.clear()
    JOBS.update(saved)
