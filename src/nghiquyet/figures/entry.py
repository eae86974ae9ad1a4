"""What the data-entry page shows for one org unit × resolution × period: each target that applies to the unit,
with its plan, the same period last year, the value stored now (and its version, note and state), and the
status the value gives. Read through the one read layer; writes go through `figures.writes`.

Which targets apply: those the unit was given a plan for in the period (and any it reported anyway); a unit
with no plan in the period (a new one, or plans not handed down yet) gets every target of the resolution
(docs/decisions/0011-entry-page.md).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from django.utils import timezone

from nghiquyet.figures.causes import causes_at
from nghiquyet.figures.policies import audience
from nghiquyet.figures.reads import EVERYONE, read_figures
from nghiquyet.figures.scorecard import Scorecard, ScorecardRow, score_row
from nghiquyet.lib.periods import Period
from nghiquyet.orgunits.models import OrgUnit
from nghiquyet.targets.models import Resolution, Result, ResultKind
from nghiquyet.targets.rules import summarise


@dataclass(frozen=True)
class EntryRow:
    score: ScorecardRow  # plan, last year, status: as the scorecard shows them
    result: Result | None  # the value stored now that the row edits (official, else estimate)

    @property
    def target(self) -> Any:
        return self.score.target

    @property
    def kind(self) -> str:
        return self.result.kind if self.result else ResultKind.OFFICIAL

    @property
    def version(self) -> int | str:
        return self.result.version if self.result else ""

    @property
    def value_text(self) -> str:
        """The stored value as the page's input shows it: Vietnamese digits, no thousands separator to
        retype ("1635", "0,21"), or the milestone's 1 / 0."""
        if self.result is None:
            return ""
        return format(self.result.value.normalize(), "f").replace(".", ",")


@dataclass(frozen=True)
class EntrySheet:
    """The scorecard of the unit × period over the targets that apply, and the results the rows edit."""

    scorecard: Scorecard
    results: dict[int, Result]  # target id → the stored result the row edits

    resolution = property(lambda self: self.scorecard.resolution)
    org_unit = property(lambda self: self.scorecard.org_unit)
    period = property(lambda self: self.scorecard.period)
    sentence = property(lambda self: self.scorecard.sentence)

    @property
    def rows(self) -> list[EntryRow]:
        return [EntryRow(score=score, result=self.results.get(score.target.pk)) for score in self.scorecard.rows]

    def row(self, target_id: int) -> EntryRow | None:
        return next((row for row in self.rows if row.target.pk == target_id), None)


def entry_sheet(*, resolution: Resolution, org_unit: OrgUnit, period: Period, user: Any, lang: str = "vi") -> EntrySheet:
    """The page's rows for a user who may enter figures at `org_unit` (the caller checks that); user None:
    the command line, which reads everything."""
    targets = list(resolution.targets.order_by("position", "code"))
    before = period.same_period_last_year()
    figures = read_figures(targets=targets, units=[org_unit], periods=[period, before], audience=audience(user) if user is not None else EVERYONE, drafts=True)
    planned = {target.pk for target in targets if (cell := figures.get(target, org_unit, period)) and cell.plan}
    reported = {target.pk: cell.result for target in targets if (cell := figures.get(target, org_unit, period)) and cell.result}
    applying = [target for target in targets if target.pk in planned or target.pk in reported] if planned else targets
    scores = []
    causes = causes_at(resolution=resolution, org_unit=org_unit, period=period)
    for target in applying:
        cell, previous = figures.get(target, org_unit, period), figures.get(target, org_unit, before)
        row = score_row(target, cell.plan if cell else None, reported.get(target.pk), previous.result if previous else None,
                        resolution.nearly_met_threshold, lang, period=period, today=timezone.localdate())
        scores.append(replace(row, cause=causes.get(target.pk)))
    scorecard = Scorecard(resolution=resolution, org_unit=org_unit, period=period, rows=scores,
                          summary=summarise([score.status for score in scores]), lang=lang)
    return EntrySheet(scorecard=scorecard, results=reported)
