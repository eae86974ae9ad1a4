"""Checks on model values that every service makes before saving, with messages a user can act on."""

from __future__ import annotations

from django.db import models

from nghiquyet.lib.errors import Invalid


def check_lengths(model: type[models.Model], **values: str) -> None:
    """Refuse text longer than its column: PostgreSQL would fail mid-transaction, SQLite store it whole."""
    for name, value in values.items():
        limit = model._meta.get_field(name).max_length
        if limit and value and len(value) > limit:
            raise Invalid(
                f"Quá dài: {len(value)} ký tự, tối đa {limit}.",
                en=f"Too long: {len(value)} characters, at most {limit}.",
                field=name,
            )
