"""Checks on model values that every service makes before saving, with messages a user can act on."""

from __future__ import annotations

from django.db import models

from nghiquyet.lib.errors import Invalid


def check_no_nul(value: str, field: str) -> None:
    """A NUL character cannot be stored by PostgreSQL; SQLite would keep it. Refuse it on both."""
    if value and "\x00" in value:
        raise Invalid("Văn bản chứa ký tự NUL (mã 0), không lưu được.", en="The text contains a NUL character.", field=field)


def check_lengths(model: type[models.Model], **values: str) -> None:
    """Refuse text longer than its column: PostgreSQL would fail mid-transaction, SQLite store it whole."""
    for name, value in values.items():
        check_no_nul(value, name)
        limit = model._meta.get_field(name).max_length
        if limit and value and len(value) > limit:
            raise Invalid(
                f"Quá dài: {len(value)} ký tự, tối đa {limit}.",
                en=f"Too long: {len(value)} characters, at most {limit}.",
                field=name,
            )
