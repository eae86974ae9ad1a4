"""The tasks' generation (followup.generations): moves with every write of a task once its transaction commits,
never inside it (no lock on the cache, no failed write for a cache that cannot be written); a token the cache
lost is replaced, never reused."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.cache import cache
from django.db import transaction

from nghiquyet.followup import generations, services
from nghiquyet.followup.models import Task


@pytest.mark.django_db
def test_a_lost_token_is_replaced_and_then_kept(django_capture_on_commit_callbacks):
    cache.delete(generations.KEY)
    first = generations.current()
    assert first and generations.current() == first
    with django_capture_on_commit_callbacks(execute=True):
        generations.moved()
    assert generations.current() != first


@pytest.mark.django_db(transaction=True)
def test_the_token_moves_when_the_writers_transaction_commits_and_not_before(people):
    before = generations.current()
    with transaction.atomic():
        conclusion = services.create_conclusion(user=people.alice, org_unit=people.city, issuer="Ban Thường vụ", number="Số 2-TB/TU",
                                                issued_on=date(2022, 1, 20))
        services.add_task(user=people.alice, conclusion=conclusion, lead_unit=people.ward_a, title="Việc mới", deadline=date(2099, 1, 1))
        assert generations.current() == before  # what another reader keeps meanwhile is kept under the old token
    assert generations.current() != before


@pytest.mark.django_db(transaction=True)
def test_a_cache_that_cannot_be_written_never_fails_the_write(people, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("the cache is down")

    monkeypatch.setattr(generations.cache, "set", broken)
    task = services.add_task(user=people.alice, lead_unit=people.ward_a, title="Việc vẫn được ghi", deadline=date(2099, 1, 1))
    assert Task.objects.filter(pk=task.pk).exists()


@pytest.mark.django_db
def test_every_write_of_a_task_moves_it(people, django_capture_on_commit_callbacks):
    conclusion = services.create_conclusion(user=people.alice, org_unit=people.city, issuer="Ban Thường vụ", number="Số 3-TB/TU",
                                            issued_on=date(2022, 1, 20))
    seen = [generations.current()]

    def after(write):
        with django_capture_on_commit_callbacks(execute=True):
            done = write()
        seen.append(generations.current())
        return done

    task = after(lambda: services.add_task(user=people.alice, conclusion=conclusion, lead_unit=people.ward_a, title="Việc", deadline=date(2099, 1, 1)))
    task = after(lambda: services.update_task(user=people.alice, task=task, deadline=date(2099, 2, 1), version=task.version))
    after(lambda: services.report_progress(user=people.alice, task=task, text="Đang làm", percent=10))
    after(lambda: services.close_task(user=people.alice, task=task, evidence="Xong"))
    other = after(lambda: services.add_task(user=people.alice, conclusion=conclusion, lead_unit=people.ward_a, title="Việc khác",
                                            deadline=date(2099, 1, 1)))
    after(lambda: services.cancel_task(user=people.alice, task=other, reason="Không cần nữa"))
    assert len(set(seen)) == len(seen) == 7
