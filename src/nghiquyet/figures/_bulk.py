"""The database's bulk paths for plans and results: the only raw SQL in the project, used by
`figures.writes` alone.

Inserts use COPY (binary) on PostgreSQL, five times faster there than multi-row INSERT, and multi-row
INSERT elsewhere; both run in CI. Rows arrive checked and adapted for the database (connection.ops).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import islice
from typing import Any

from django.db import connection
from django.db.models import Model

PG_COPY_TYPES = {
    "AutoField": "int4",  # django.contrib.auth's users
    "BigAutoField": "int8",
    "PositiveIntegerField": "int4",
    "CharField": "text",
    "TextField": "text",
    "DateField": "date",
    "DateTimeField": "timestamptz",
    "DecimalField": "numeric",
}


def copy_type(model: type[Model], name: str) -> str:
    """The PostgreSQL type binary COPY sends for a column; a foreign key takes its target's (an int4 for
    auth's users, an int8 for ours: binary data must match the column exactly)."""
    field = model._meta.get_field(name)
    if field.is_relation:
        field = field.target_field
    return PG_COPY_TYPES[field.get_internal_type()]


def insert(*, model: type[Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Insert rows; `rows` may be a generator, consumed as it goes (on PostgreSQL the server maintains
    its indexes on one core while the caller checks the next rows on the other)."""
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(name) for name in columns)
    if connection.vendor == "postgresql":
        types = [copy_type(model, name) for name in columns]
        from psycopg.copy import QueuedLibpqWriter

        # wrap_database_errors: psycopg's own errors (a unique key taken by a concurrent writer) arrive as
        # Django's IntegrityError, as they do on every other road
        with connection.wrap_database_errors, connection.cursor() as cursor, cursor.cursor.copy(
            f"COPY {table} ({names}) FROM STDIN (FORMAT BINARY)", writer=QueuedLibpqWriter(cursor.cursor)
        ) as copy:
            copy.set_types(types)  # binary: the server parses no text, the largest share of its COPY work
            for row in rows:
                copy.write_row(row)
        return
    limit = connection.features.max_query_params or 60000
    batch = max(1, min(2000, limit // len(columns)))
    placeholder = "(" + ", ".join(["%s"] * len(columns)) + ")"
    pending = iter(rows)
    with connection.cursor() as cursor:
        while chunk := list(islice(pending, batch)):
            sql = f"INSERT INTO {table} ({names}) VALUES {', '.join([placeholder] * len(chunk))}"
            cursor.execute(sql, [value for row in chunk for value in row])


def update(*, model: type[Model], columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Update rows by id: each row holds the new values of `columns`, then the id. Each row's version
    goes one up (lib.versions)."""
    if not rows:
        return
    quote = connection.ops.quote_name
    assignments = ", ".join([*(f"{quote(name)} = %s" for name in columns), f"{quote('version')} = {quote('version')} + 1"])
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {quote(model._meta.db_table)} SET {assignments} WHERE {quote('id')} = %s", list(rows))
