"""Votes at the same moment, on SQLite and PostgreSQL alike: no lost count, no second vote by one voter, and
no vote slipping in as the question closes. Threads with their own database connections, released together."""

from __future__ import annotations

import pytest
from django.db import connection

from nghiquyet.accounts.models import Role
from nghiquyet.accounts.services import grant_role
from nghiquyet.lib.errors import Conflict
from nghiquyet.lib.races import at_once
from nghiquyet.orgunits.services import save_org_unit
from nghiquyet.review import services
from nghiquyet.review.models import BallotCount, BallotParticipation, CycleRole, QuestionState

pytestmark = [
    pytest.mark.skipif(
        connection.vendor == "sqlite" and not connection.settings_dict["TEST"].get("NAME"),
        reason="threads need a file database on SQLite (scripts/test sets NGHIQUYET_TEST_SQLITE)",
    ),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def meeting(django_user_model):
    unit, _ = save_org_unit(code="T", name="Tỉnh (minh họa)")
    admin = django_user_model.objects.create_user(username="admin", password="mat-khau-dai-1")
    grant_role(user=admin, org_unit=unit, role=Role.ADMIN)
    cycle = services.create_cycle(user=admin, key="t-2024", title="Kiểm điểm 2024", org_code="T", collective="Ban Thường vụ", year=2024)
    clerk = django_user_model.objects.create_user(username="clerk", password="mat-khau-dai-1")
    services.grant(user=admin, cycle=cycle, to=clerk, role=CycleRole.APPRAISER)
    voters = []
    for n in range(6):
        voter = django_user_model.objects.create_user(username=f"v{n}", password="mat-khau-dai-1")
        member = services.add_member(user=admin, cycle=cycle, name=f"Thành viên {n}", position="Ủy viên", member_user=voter)
        services.set_present(user=clerk, member=member, present=True)
        voters.append(voter)
    return cycle, clerk, voters


def test_six_votes_at_once_are_all_counted(meeting):
    cycle, clerk, voters = meeting
    question = services.open_question(user=clerk, cycle=cycle)
    levels = ["good", "good", "excellent", "completed", "good", "excellent"]
    at_once(*[lambda v=v, lv=lv: services.cast_vote(user=v, question=question, level=lv, via="session") for v, lv in zip(voters, levels, strict=True)])
    counts = dict(BallotCount.objects.filter(question=question).values_list("level", "count"))
    assert counts == {"excellent": 2, "good": 3, "completed": 1, "not_completed": 0}
    assert BallotParticipation.objects.filter(question=question).count() == 6


def test_one_voter_twice_at_once_counts_once(meeting):
    cycle, clerk, voters = meeting
    question = services.open_question(user=clerk, cycle=cycle)
    answers = at_once(*[lambda: services.cast_vote(user=voters[0], question=question, level="good", via="session")] * 4, expected=(Conflict,))
    assert sum(isinstance(answer, Conflict) for answer in answers) == 3
    assert sum(BallotCount.objects.filter(question=question).values_list("count", flat=True)) == 1


def test_a_vote_racing_the_close_is_either_counted_or_refused(meeting):
    cycle, clerk, voters = meeting
    question = services.open_question(user=clerk, cycle=cycle)
    at_once(lambda: services.close_question(user=clerk, question=question),
            *[lambda v=v: services.cast_vote(user=v, question=question, level="good", via="session") for v in voters[:3]],
            expected=(Conflict,))
    question.refresh_from_db()
    assert question.state == QuestionState.CLOSED
    assert sum(BallotCount.objects.filter(question=question).values_list("count", flat=True)) == \
        BallotParticipation.objects.filter(question=question).count()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row versions (xmin) are PostgreSQL's")
def test_row_versions_do_not_tell_which_counter_a_voter_moved(meeting):
    cycle, clerk, voters = meeting
    question = services.open_question(user=clerk, cycle=cycle)
    services.cast_vote(user=voters[0], question=question, level="excellent", via="session")
    services.cast_vote(user=voters[1], question=question, level="good", via="session")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT DISTINCT xmin::text FROM {BallotCount._meta.db_table} WHERE question_id = %s", [question.pk])
        counters = {row[0] for row in cursor.fetchall()}
        cursor.execute(f"SELECT xmin::text FROM {BallotParticipation._meta.db_table} WHERE question_id = %s AND voter_id = %s",
                       [question.pk, voters[1].pk])
        last = cursor.fetchone()[0]
    assert counters == {last}  # every counter rewritten by the last vote, whatever it chose


def test_two_decisions_at_once_keep_the_quota(meeting, django_user_model):
    cycle, clerk, voters = meeting
    decider = django_user_model.objects.create_user(username="decider", password="mat-khau-dai-1")
    admin = django_user_model.objects.get(username="admin")
    services.grant(user=admin, cycle=cycle, to=decider, role=CycleRole.DECIDER)
    services.decide(user=decider, cycle=cycle, level="excellent", override_reason="minh họa")
    members = list(cycle.members.all())
    for member in members[:5]:
        services.decide(user=decider, cycle=cycle, member=member, level="good")
    others = [services.add_member(user=admin, cycle=cycle, name=f"Thêm {n}", position="Ủy viên") for n in range(2)]
    answers = at_once(*[lambda m=m: services.decide(user=decider, cycle=cycle, member=m, level="excellent") for m in [members[5], *others[:1]]],
                      expected=(Conflict,))
    assert sum(isinstance(answer, Conflict) for answer in answers) == 1  # 5 good allow one excellent: the second waits, then is refused
