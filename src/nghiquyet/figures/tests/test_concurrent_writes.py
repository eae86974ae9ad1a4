"""Two people at once, on SQLite and PostgreSQL alike: no lost update, no approval of a value the
approver never saw, no 500 — over 20 races of each kind.

Each race starts two requests on two threads (each with its own database connection) at the same
moment (a barrier), through the real request stack (middleware, API, write service)."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client

from nghiquyet.lib.races import at_once
from nghiquyet.targets.models import Result, ResultState

RACES = 20

pytestmark = [
    pytest.mark.skipif(
        connection.vendor == "sqlite" and not connection.settings_dict["TEST"].get("NAME"),
        reason="threads need a file database on SQLite (scripts/test sets NGHIQUYET_TEST_SQLITE)",
    ),
    pytest.mark.django_db(transaction=True),
]


def client_for(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def patch(client: Client, result_id: int, body: dict):
    return lambda: client.patch(f"/api/v1/results/{result_id}", body, content_type="application/json")


def test_two_edits_from_the_same_version_one_wins_one_is_told(people):
    """Both read version v; both save. One gets 200, the other 409 naming who changed it; the stored
    value is the winner's, never a silent last-writer-wins."""
    statuses: Counter = Counter()
    bob, alice = client_for(people.bob), client_for(people.alice)
    for race in range(RACES):
        result = Result.objects.get(pk=people.draft_a.pk)
        mine, theirs = Decimal(100 + race), Decimal(200 + race)
        first, second = at_once(
            patch(bob, result.pk, {"value": str(mine), "version": result.version}),
            patch(alice, result.pk, {"value": str(theirs), "version": result.version}),
        )
        statuses.update([first.status_code, second.status_code])
        assert sorted([first.status_code, second.status_code]) == [200, 409], (first.content, second.content)
        winner, loser = (first, second) if first.status_code == 200 else (second, first)
        stored = Result.objects.get(pk=result.pk)
        assert stored.value == Decimal(winner.json()["value"])
        assert stored.version == result.version + 1
        refusal = loser.json()
        assert refusal["field"] == "version" and refusal["version"] == stored.version
        assert refusal["changed_by"] in ("bob", "alice")
    assert statuses == {200: RACES, 409: RACES}


def test_edits_without_a_version_are_serialised_never_torn(people):
    """Writes that name no version both land, one after the other: the version goes up by two and the
    row holds one writer's value and note together, never a mix."""
    bob, alice = client_for(people.bob), client_for(people.alice)
    for race in range(RACES):
        before = Result.objects.get(pk=people.draft_a.pk)
        first, second = at_once(
            patch(bob, before.pk, {"value": 300 + race, "note": f"bob {race}"}),
            patch(alice, before.pk, {"value": 400 + race, "note": f"alice {race}"}),
        )
        assert (first.status_code, second.status_code) == (200, 200), (first.content, second.content)
        stored = Result.objects.get(pk=before.pk)
        assert stored.version == before.version + 2
        assert (stored.value, stored.note) in ((Decimal(300 + race), f"bob {race}"), (Decimal(400 + race), f"alice {race}"))


def test_an_approver_never_approves_a_value_they_did_not_see(people):
    """Alice reads Bob's draft at version v and approves v while Bob changes it from v. Either the
    approval lands first (Bob's change is then refused) or Bob's does (the approval is refused as
    stale). An approved figure always holds the value Alice saw."""
    bob, alice = client_for(people.bob), client_for(people.alice)
    outcomes: Counter = Counter()
    for race in range(RACES):
        Result.objects.filter(pk=people.draft_a.pk).update(state=ResultState.DRAFT, recorded_by=people.bob)
        seen = Result.objects.get(pk=people.draft_a.pk)
        approve, change = at_once(
            lambda seen=seen: alice.post(f"/api/v1/results/{seen.pk}/approve", {"version": seen.version}, content_type="application/json"),
            patch(bob, seen.pk, {"value": 500 + race, "version": seen.version}),
        )
        assert {approve.status_code, change.status_code} <= {200, 403, 409}, (approve.content, change.content)
        assert 200 in (approve.status_code, change.status_code)
        stored = Result.objects.get(pk=seen.pk)
        if stored.state == ResultState.APPROVED:
            assert approve.status_code == 200 and change.status_code in (403, 409)
            assert stored.value == seen.value
            outcomes["approved first"] += 1
        else:
            assert change.status_code == 200 and approve.status_code == 409
            assert stored.value == Decimal(500 + race)
            outcomes["changed first"] += 1
    assert sum(outcomes.values()) == RACES


def test_two_first_writes_of_the_same_new_cell_never_give_a_500(people):
    """Two reporters' first figure for the same empty cell: one creates it (201), the other updates it
    (200) or, naming no version, is serialised after it; one row, never a unique-key 500."""
    bob, alice = client_for(people.bob), client_for(people.alice)
    for race in range(RACES):
        cell = {"target_id": people.insurance.pk, "org_unit_id": people.ward_a.pk, "period": f"2023-{race % 12 + 1:02d}",
                "kind": "estimate" if race >= 12 else "official"}
        first, second = at_once(
            lambda cell=cell: bob.post("/api/v1/results", cell | {"value": 1}, content_type="application/json"),
            lambda cell=cell: alice.post("/api/v1/results", cell | {"value": 2}, content_type="application/json"),
        )
        assert sorted([first.status_code, second.status_code]) == [200, 201], (first.content, second.content)
        rows = Result.objects.filter(target=people.insurance, org_unit=people.ward_a, period=cell["period"], kind=cell["kind"])
        assert rows.count() == 1


def test_two_first_plans_of_the_same_new_cell_never_give_a_500(people):
    alice = client_for(people.alice)
    boss_user = type(people.alice).objects.create_superuser("boss", password="mat-khau-dai-1")
    boss = client_for(boss_user)
    for race in range(RACES):
        cell = {"target_id": people.insurance.pk, "org_unit_id": people.ward_a.pk, "period": f"{2021 + race % 4}-{race // 4 + 1:02d}"}
        first, second = at_once(
            lambda cell=cell: alice.post("/api/v1/plans", cell | {"value": 1}, content_type="application/json"),
            lambda cell=cell: boss.post("/api/v1/plans", cell | {"value": 2}, content_type="application/json"),
        )
        assert sorted([first.status_code, second.status_code]) == [200, 201], (first.content, second.content)


def test_two_communes_approved_at_once_both_reach_the_province_total(monkeypatch):
    """Each writer recomputes the province from what it can see; without the lock on the province each would
    miss the other's commune and the last to commit would win. 20 races, each on a new month; a pause between
    writing the figure and adding up makes both writers hold an uncommitted figure when they add up."""
    import time

    from nghiquyet.figures import rollups
    from nghiquyet.figures.models import TreeTotal
    from nghiquyet.figures.writes import record_result
    from nghiquyet.lib.periods import parse_period
    from nghiquyet.orgunits.services import save_org_unit
    from nghiquyet.targets import services

    province, _ = save_org_unit(code="P", name="Tỉnh")
    communes = [save_org_unit(code=code, name=code, parent=province)[0] for code in ("X1", "X2")]
    resolution, _ = services.save_resolution(key="race", number="1-NQ", title="t", org_unit=province, term_start=2021, term_end=2025)
    target, _ = services.save_target(resolution=resolution, code="1", name="n", direction="increase")
    other, _ = services.save_target(resolution=resolution, code="2", name="m", direction="increase")
    months = [parse_period(f"{2021 + race // 12}-{race % 12 + 1:02d}") for race in range(RACES)]
    for period in months:  # the resolution's periods exist already (their first figure would queue the writers)
        record_result(target=other, org_unit=communes[0], period=period, value=Decimal(1))

    refresh = rollups.refresh

    def slow_refresh(**kwargs):
        time.sleep(0.05)
        return refresh(**kwargs)

    monkeypatch.setattr(rollups, "refresh", slow_refresh)

    def write(commune, period, value):
        return lambda: record_result(target=target, org_unit=commune, period=period, value=Decimal(value))

    for race, period in enumerate(months):
        at_once(write(communes[0], period, 1), write(communes[1], period, 2))
        row = TreeTotal.objects.get(target=target, org_unit=province, period_start=period.start, period_end=period.end)
        assert (row.value, row.found, row.expected) == (3, 2, 2), race
