"""The review tests' cast: a 2021 cycle of the demo's Cần Thơ Standing Board with placeholder members."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from nghiquyet.review import services
from nghiquyet.review.models import CycleRole


@pytest.fixture
def cycle(people, django_user_model):
    """Alice (admin of the city) sets up a 2021 cycle of five members, four with accounts (m1 … m4, m1 the
    head); Olga appraises (runs the meeting), Carl and Cora count paper ballots, Dora decides."""
    made = services.create_cycle(user=people.alice, key="ct-btv-2021", title="Kiểm điểm năm 2021", org_code="CT",
                                 collective="Ban Thường vụ (minh họa)", year=2021, resolution_key="ct-2021", period="2021")
    users = {name: django_user_model.objects.create_user(username=name, password="mat-khau-dai-1")
             for name in ("m1", "m2", "m3", "m4", "olga", "carl", "cora", "dora")}
    members = [services.add_member(user=people.alice, cycle=made, name=f"Nguyễn Văn {letter}", position="Ủy viên",
                                   is_head=(i == 0), member_user=users.get(f"m{i + 1}"))
               for i, letter in enumerate("ABCDE")]
    for name, role in (("olga", CycleRole.APPRAISER), ("carl", CycleRole.COUNTER), ("cora", CycleRole.COUNTER), ("dora", CycleRole.DECIDER)):
        services.grant(user=people.alice, cycle=made, to=users[name], role=role)
    return SimpleNamespace(cycle=made, members=members, people=people, **users)
