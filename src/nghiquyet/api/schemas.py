"""Shapes shared by the API's routers."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Field, Schema
from ninja.pagination import PageNumberPagination
from pydantic import PlainSerializer

from nghiquyet.audit.services import refuse_stale
from nghiquyet.lib.errors import Invalid, NotFound
from nghiquyet.lib.numbers import json_number
from nghiquyet.lib.versions import etag, expected_version

# Figures travel as JSON numbers (1635, 0.21), the way the scorecard writes them; they arrive as numbers or
# strings and are kept as Decimal in between.
Figure = Annotated[Decimal, PlainSerializer(json_number, return_type=int | float | None, when_used="always")]


# Ids in paths, queries and bodies: positive and within a database's BIGINT, so a huge number is a 422.
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]
# The version a write was made from (lib.versions): optional; the If-Match header says the same.
Version = Annotated[int | None, Field(default=None, ge=1, le=2**31 - 1, description="the version this write was made from (as read: `version`, or the ETag); a stale one gets 409")]


def version_of(request: HttpRequest, given: int | None) -> int | None:
    """The version a write names: the body's `version` or the If-Match header."""
    return expected_version(body=given, if_match=request.headers.get("If-Match"))


def locked(request: HttpRequest, obj: Any, given: int | None) -> Any:
    """`obj` as stored now, its row locked until the transaction ends (SQLite: the transaction holds the
    write lock), refused as stale unless it is still at the version the write names. Call it inside
    `transaction.atomic()`, before the change."""
    fresh = type(obj).objects.select_for_update(of=("self",)).get(pk=obj.pk)
    refuse_stale(fresh, version_of(request, given))
    return fresh


def tagged(response: HttpResponse, obj: Any) -> Any:
    """Give the response the object's ETag (its version) and return the object."""
    response["ETag"] = etag(obj.version)
    return obj


def no_nulls(values: dict, required: tuple[str, ...]) -> None:
    """A PATCH may leave a required field out, not set it to null."""
    for name in required:
        if name in values and values[name] is None:
            raise Invalid(f"Trường {name} không được để trống.", en=f"{name} may not be null.", field=name)


def named(rows: QuerySet, pk: int, field: str, what_vi: str, what_en: str) -> Model:
    """The object with this id from a request body, or a 404 that names the field. Pass the rows the
    user may see: a hidden object then answers exactly as a missing one."""
    found = rows.filter(pk=pk).first()
    if found is None:
        raise NotFound(f"Không có {what_vi} id {pk}.", en=f"No {what_en} with id {pk}.", field=field)
    return found


class Message(Schema):
    detail: str
    field: str | None = None


class Pages(PageNumberPagination):
    """Page-number pagination with bounds a database can take (a page number of 10^20 is a 422, not an
    overflow deep in SQL)."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=1_000_000)
        page_size: int | None = Field(None, ge=1, le=1000)
