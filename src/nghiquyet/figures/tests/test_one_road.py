"""The same figures written by the API and by an upload of a workbook leave the same rows, the same
workflow states and the same audit events: both roads are the one figure-write service."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.db import transaction

from nghiquyet.audit.context import Actor, acting_as
from nghiquyet.audit.models import AuditEvent
from nghiquyet.figures.writes import record_result
from nghiquyet.imports.importer import import_file
from nghiquyet.imports.tests.helpers import write_csv
from nghiquyet.lib.periods import parse_period
from nghiquyet.targets.models import Result

JSON = "application/json"
IP = "203.0.113.9"
HEADER = ["resolution", "target", "org_unit", "period", "value", "kind", "note"]
# (target code, unit code, period, value as a JSON number, the same in a Vietnamese cell, kind, note)
FIGURES = [
    ("10", "CT-NK-TA", "2022", 96.5, "96,5", "official", ""),  # a draft (Bob's), changed: stays a draft
    ("10", "CT-NK-XK", "2022", 93, "93", "official", "Theo báo cáo quý IV"),  # a draft, note added
    ("10", "CT-NK-TA", "2021", 95.1, "95,1", "official", ""),  # approved, unchanged
    ("10", "CT-NK-XK", "2021", 94, "94", "official", ""),  # approved, corrected by an admin: stays approved
    ("10", "CT-NK-TA", "2023", 97.25, "97,25", "estimate", "ước"),  # new: a draft
]


def rows():
    """The figures as plain values, ids and times left out."""
    return sorted(
        (r.target.code, r.org_unit.code, r.period, r.kind, r.value, r.note, r.state, r.recorded_by_id, r.source)
        for r in Result.objects.select_related("target", "org_unit").filter(target__resolution__key="ct-2021")
    )


def events(after: int):
    """The per-figure events after event id `after`, with the figure named by its natural key."""
    found = []
    for event in AuditEvent.objects.filter(id__gt=after, object_type="targets.result").order_by("id"):
        result = Result.objects.select_related("target", "org_unit").get(pk=event.object_id)
        key = (result.target.code, result.org_unit.code, result.period, result.kind)
        found.append((event.action, key, event.old, event.new, event.summary, event.actor, event.user_id, event.via, event.ip))
    return sorted(found, key=repr)


def by_api(client, people):
    client.force_login(people.alice)
    for code, unit, period, number, _, kind, note in FIGURES:
        body = {"resolution": "ct-2021", "target": code, "org_unit": unit, "period": period, "value": number, "kind": kind, "note": note}
        response = client.post("/api/v1/results", body, content_type=JSON, REMOTE_ADDR=IP)
        assert response.status_code in (200, 201), response.content


def by_upload(tmp_path, people):
    path = write_csv(tmp_path / "results.csv", [HEADER, *(["ct-2021", c, u, p, cell, k, n] for c, u, p, _, cell, k, n in FIGURES)])
    with acting_as(Actor(label="alice", via="api", user=people.alice, ip=IP)):
        report = import_file(path, user=people.alice, trusted=False, source="")
    assert report.ok, [p.text() for p in report.problems]


def outcome(write, *args):
    """What one road leaves: the rows and the per-figure events, then undone for the other road."""
    start = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    with transaction.atomic():
        write(*args)
        left = rows(), events(start)
        transaction.set_rollback(True)
    return left


@pytest.fixture
def approved_ward_b_2021(people):
    record_result(target=people.insurance, org_unit=people.ward_b, period=parse_period("2021"), value=D(93))
    return people


def test_the_api_and_an_upload_leave_the_same_rows_states_and_update_events(client, approved_ward_b_2021, tmp_path):
    people = approved_ward_b_2021
    api_rows, api_events = outcome(by_api, client, people)
    upload_rows, upload_events = outcome(by_upload, tmp_path, people)
    assert upload_rows == api_rows
    states = {(code, unit, period): state for code, unit, period, _, _, _, state, _, _ in api_rows}
    assert states[("10", "CT-NK-TA", "2022")] == "draft" and states[("10", "CT-NK-XK", "2021")] == "approved"
    assert states[("10", "CT-NK-TA", "2023")] == "draft"
    updates = [event for event in api_events if event[0] == "update"]
    assert [event for event in upload_events if event[0] == "update"] == updates
    assert len(updates) == 3  # the unchanged figure leaves none


def test_new_figures_get_an_event_each_on_the_api_and_one_for_the_whole_file_on_an_upload(client, approved_ward_b_2021, tmp_path):
    people = approved_ward_b_2021
    _, api_events = outcome(by_api, client, people)
    assert [event[1] for event in api_events if event[0] == "create"] == [("10", "CT-NK-TA", "2023", "estimate")]
    start = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
    by_upload(tmp_path, people)
    assert not [event for event in events(start) if event[0] == "create"]
    assert AuditEvent.objects.filter(id__gt=start, action="import").get().new["created"] == {"results": 1}
