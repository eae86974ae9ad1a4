"""Shapes shared by the API's routers."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from ninja import Schema
from pydantic import PlainSerializer

from nghiquyet.targets.scorecard import json_number

# Figures travel as JSON numbers (1635, 0.21), the way the scorecard writes them; they arrive as numbers or
# strings and are kept as Decimal in between.
Figure = Annotated[Decimal, PlainSerializer(json_number, return_type=int | float | None, when_used="json")]


class Message(Schema):
    detail: str
    field: str | None = None
