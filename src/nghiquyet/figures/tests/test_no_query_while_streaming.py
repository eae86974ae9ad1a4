"""PostgreSQL's COPY holds the connection while rows stream in: a check that queried the database then would
hang the import (found on PostgreSQL only). Every road's checks read what they need before streaming; this
test catches a query in the stream on SQLite too."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from nghiquyet.figures import _bulk
from nghiquyet.imports.importer import import_file
from nghiquyet.imports.tests.helpers import write_csv

HEADER = ["resolution", "target", "org_unit", "period", "value", "kind", "note"]


@pytest.fixture
def streamed(monkeypatch):
    """The queries made while the insert consumed its rows, per call of the bulk insert."""
    seen: list[list[str]] = []
    real = _bulk.insert

    def watching(*, model, columns, rows):
        with CaptureQueriesContext(connection) as queries:
            materialised = list(rows)
        seen.append([q["sql"] for q in queries.captured_queries])
        return real(model=model, columns=columns, rows=materialised)

    monkeypatch.setattr(_bulk, "insert", watching)
    return seen


@pytest.mark.parametrize("trusted", [True, False])
def test_an_import_reads_everything_before_it_streams(people, tmp_path, streamed, trusted):
    rows = [HEADER] + [["ct-2021", "10", unit, "2023", "95,5", "official", ""] for unit in ("CT-NK-TA", "CT-NK-XK")]
    report = import_file(write_csv(tmp_path / "results.csv", rows), user=people.alice, trusted=trusted)
    assert report.ok, [p.text() for p in report.problems]
    assert report.created["results"] == 2
    assert streamed and all(queries == [] for queries in streamed)
