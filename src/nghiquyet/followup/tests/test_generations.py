"""The tasks' generation (followup.generations): moves with every write of a task, in the transaction and again
after it commits; a token the cache lost is replaced, never reused."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.cache import cache
from django.db import transaction

from nghiquyet.followup import generations, services


@pytest.mark.django_db
def test_a_lost_token_is_replaced_and_then_kept():
    cache.delete(generations.KEY)
    first = generations.current()
    assert first and generations.current() == first == generations.current(first)
    generations.moved()
    assert generations.current() != first


@pytest.mark.django_db(transaction=True)
def test_the_token_moves_in_the_writers_transaction_and_again_when_it_commits(people):
    before = generations.current()
    with transaction.atomic():
        conclusion = services.create_conclusion(user=people.alice, org_unit=people.city, issuer="Ban Thường vụ", number="Số 2-TB/TU",
                                                issued_on=date(2022, 1, 20))
        services.add_task(user=people.alice, conclusion=conclusion, lead_unit=people.ward_a, title="Việc mới", deadline=date(2099, 1, 1))
        inside = generations.current()  # what a reader might read (and keep the tasks under) before the commit
        assert inside != before
    assert generations.current() not in (before, inside)


@pytest.mark.django_db
def test_every_write_of_a_task_moves_it(people):
    conclusion = services.create_conclusion(user=people.alice, org_unit=people.city, issuer="Ban Thường vụ", number="Số 3-TB/TU",
                                            issued_on=date(2022, 1, 20))
    seen = [generations.current()]
    task = services.add_task(user=people.alice, conclusion=conclusion, lead_unit=people.ward_a, title="Việc", deadline=date(2099, 1, 1))
    seen.append(generations.current())
    task = services.update_task(user=people.alice, task=task, deadline=date(2099, 2, 1), version=task.version)
    seen.append(generations.current())
    services.report_progress(user=people.alice, task=task, text="Đang làm", percent=10)
    seen.append(generations.current())
    services.close_task(user=people.alice, task=task, evidence="Xong")
    seen.append(generations.current())
    other = services.add_task(user=people.alice, conclusion=conclusion, lead_unit=people.ward_a, title="Việc khác", deadline=date(2099, 1, 1))
    seen.append(generations.current())
    services.cancel_task(user=people.alice, task=other, reason="Không cần nữa")
    seen.append(generations.current())
    assert len(set(seen)) == len(seen)
