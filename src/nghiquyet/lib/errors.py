"""Errors that describe a user's mistake. Every layer (CLI, import, API, web) shows `str(error)` to the
user, in Vietnamese, or `error.english` where English was asked for; none of them is a crash."""

from __future__ import annotations


class DomainError(Exception):
    def __init__(self, message: str, *, en: str | None = None, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.english = en or message
        self.field = field
        self.details: dict[str, object] = {}  # more, for a program: the API adds it to the error's JSON

    def text(self, lang: str = "vi") -> str:
        return self.english if lang == "en" else self.message


class NotFound(DomainError):
    """The thing named does not exist (at that date)."""


class Invalid(DomainError):
    """A value breaks a rule."""


class Conflict(DomainError):
    """The change clashes with what is already stored."""


class Stale(Conflict):
    """The object changed since the version the writer saw: `details` holds the current version, and who
    changed it and when, where known."""

    def __init__(self, message: str, *, en: str, version: int, changed_by: str | None, changed_at: str | None) -> None:
        super().__init__(message, en=en, field="version")
        self.details = {"version": version, "changed_by": changed_by, "changed_at": changed_at}
