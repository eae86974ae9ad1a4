"""Versions of the objects people change (optimistic concurrency): two people editing the same thing never
silently overwrite each other.

Every changeable object carries `version`, 1 when created and one more on every change. A reader gets it
(the API's `version` field and `ETag` header, a web form's hidden field); a write may name the version it
was made from (the body's `version`, or `If-Match`), and is refused with 409 when someone changed the
object since (`nghiquyet.audit.services.refuse_stale` says who and when). A write that names no version
still works, serialised on the object's row (docs/decisions/0010-concurrent-writes.md).
"""

from __future__ import annotations

import re
from typing import Any

from django.db import models

from nghiquyet.lib.errors import Invalid


class Versioned(models.Model):
    version = models.PositiveIntegerField("phiên bản", default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            self.version += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
        super().save(*args, **kwargs)


def etag(version: int) -> str:
    """The ETag of an object at `version`: a strong tag, the version in quotes."""
    return f'"{version}"'


_TAG = re.compile(r'(?:W/)?"?([0-9]{1,9})"?')


def expected_version(*, body: int | None = None, if_match: str | None = None) -> int | None:
    """The version a write was made from: the body's `version` or the `If-Match` header ("3", W/"3");
    None when neither names one (or If-Match is "*")."""
    from_header = None
    if if_match is not None and if_match.strip() not in ("", "*"):
        found = _TAG.fullmatch(if_match.strip())
        if found is None:
            raise Invalid(
                f'If-Match "{if_match[:40]}" không đúng dạng: dùng ETag nhận được (ví dụ "3").',
                en=f'If-Match "{if_match[:40]}" is not a version tag: send the ETag you received (e.g. "3").',
                field="If-Match",
            )
        from_header = int(found.group(1))
    if body is not None and from_header is not None and body != from_header:
        raise Invalid(
            f"Phiên bản trong nội dung ({body}) khác If-Match ({from_header}).",
            en=f"The body's version ({body}) differs from If-Match ({from_header}).",
            field="version",
        )
    return body if body is not None else from_header
