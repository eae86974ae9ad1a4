"""The figures' generation per resolution (figures.models.FigureGeneration): bumped by the figure-write service
in the transaction that changes a plan, a result or a result's state, read by pages that keep what they computed
(the dashboard's cache). A reader that sees the new figures sees the new number: both commit together.

Bumped after the roll-ups (figures.rollups), whose locks every writer takes first, deepest unit first: the
generation row is always the last lock, so writers cannot deadlock on it."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import F

from nghiquyet.figures.models import FigureGeneration


def bump(resolution_ids: Iterable[int]) -> None:
    for resolution_id in sorted(set(resolution_ids)):
        if FigureGeneration.objects.filter(resolution_id=resolution_id).update(number=F("number") + 1):
            continue
        try:
            with transaction.atomic():
                FigureGeneration.objects.create(resolution_id=resolution_id, number=1)
        except IntegrityError:  # another writer created it a moment ago
            FigureGeneration.objects.filter(resolution_id=resolution_id).update(number=F("number") + 1)


def current(resolution_id: int) -> str | None:
    """"epoch:number", or None before the resolution's first figure (nothing should be kept under that)."""
    row = FigureGeneration.objects.filter(resolution_id=resolution_id).values_list("epoch", "number").first()
    return f"{row[0]}:{row[1]}" if row else None
