"""The scorecard of a resolution × org unit × period: each target's plan, result and status, and the
summary line the annual review quotes ("đạt và vượt 11/19 chỉ tiêu"). Reads through figures.reads only."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone

from nghiquyet.accounts.permissions import VIEWER, Action, grants, may, may_view_figures
from nghiquyet.figures.causes import causes_at
from nghiquyet.figures.models import ResolutionPeriod
from nghiquyet.figures.policies import audience
from nghiquyet.figures.reads import EVERYONE, Audience, derived_figures, read_figures
from nghiquyet.figures.rollup_rules import Derived, differs, in_progress, share_elapsed
from nghiquyet.lib.errors import NotFound
from nghiquyet.lib.numbers import json_number
from nghiquyet.lib.periods import Period, parse_period
from nghiquyet.lib.vnformat import LOCALES, format_change, format_number, format_percent
from nghiquyet.orgunits import services as orgunit_services
from nghiquyet.orgunits.models import OrgUnit
from nghiquyet.targets.checks import check_period_in_term
from nghiquyet.targets.models import Plan, Resolution, Result, Target
from nghiquyet.targets.rules import (
    Change,
    Direction,
    Status,
    Summary,
    ValueKind,
    change_vs_previous,
    evaluate,
    percent_of_plan,
    status_label,
    summarise,
)
from nghiquyet.targets.sentences import summary_sentence
from nghiquyet.targets.services import get_resolution


@dataclass(frozen=True)
class ScorecardRow:
    target: Target
    plan: Decimal | None
    plan_max: Decimal | None
    actual: Decimal | None
    kind: str | None  # which result was used: official, else estimate
    state: str | None  # approved, or draft / returned when drafts were asked for
    percent_of_plan: Decimal | None
    status: Status
    previous_actual: Decimal | None
    change: Change | None
    lang: str = "vi"  # the language of the *_text and *_label properties
    cause: Any = None  # figures.models.Cause: why the target was not met, where someone wrote it
    elapsed: Decimal | None = None  # in progress: the share of the period gone by (0–1)
    derived: Derived | None = None  # what the units below (or the sub-periods) add up to, with its completeness
    source: str | None = None  # where `actual` comes from: "own" (reported for the unit), "derived", None

    @property
    def differs(self) -> bool:
        """The unit's own figure and what its units below add up to (complete) disagree."""
        return self.source == "own" and self.derived is not None and differs(self.actual, self.derived)

    @property
    def partial(self) -> bool:
        """Something below has a value, but not all of it: shown as such, never as the total."""
        return self.source is None and self.derived is not None and not self.derived.complete

    @property
    def derived_text(self) -> str:
        return self._figure(self.derived.value) if self.derived is not None else ""

    @property
    def coverage_text(self) -> str:
        """"96/103 đơn vị", "8/12 tháng" (English: "96/103 units")."""
        if self.derived is None:
            return ""
        if self.lang == "en":
            return f"{self.derived.found}/{self.derived.expected} {COVERAGE_EN.get(self.derived.of, self.derived.of)}".strip()
        return self.derived.coverage

    @property
    def elapsed_text(self) -> str:
        """"đã qua 92% thời gian" for a target in progress."""
        if self.elapsed is None:
            return ""
        share = format_percent(self.elapsed * 100, 0, locale=self._locale)
        return f"{share} of the period gone" if self.lang == "en" else f"đã qua {share} thời gian"

    @property
    def status_label(self) -> str:
        return status_label(self.status, self.lang)

    @property
    def _locale(self) -> str:
        return LOCALES.get(self.lang, LOCALES["vi"])

    def _figure(self, value: Decimal | None) -> str:
        if value is None:
            return ""
        if self.target.direction == Direction.MILESTONE:
            if self.lang == "en":
                return "Done" if value == 1 else "Not done"
            return "Hoàn thành" if value == 1 else "Chưa hoàn thành"
        return format_number(value, self.target.decimals, locale=self._locale)

    @property
    def plan_text(self) -> str:
        if self.plan is not None and self.plan_max is not None and self.plan_max != self.plan:
            return f"{self._figure(self.plan)}–{self._figure(self.plan_max)}"
        return self._figure(self.plan)

    @property
    def actual_text(self) -> str:
        return self._figure(self.actual)

    @property
    def previous_text(self) -> str:
        return self._figure(self.previous_actual)

    @property
    def percent_text(self) -> str:
        return format_percent(self.percent_of_plan, below_100=self.status not in (Status.MET, Status.EXCEEDED), locale=self._locale)

    @property
    def change_text(self) -> str:
        return format_change(self.change.amount, self.change.unit, lang=self.lang) if self.change else ""


@dataclass(frozen=True)
class Scorecard:
    resolution: Resolution
    org_unit: OrgUnit
    period: Period
    rows: list[ScorecardRow]
    summary: Summary
    lang: str = "vi"

    @property
    def sentence(self) -> str:
        return summary_sentence(self.summary, self.lang)

    @property
    def period_label(self) -> str:
        return self.period.label(self.lang)

    def as_json(self) -> dict[str, Any]:
        """The JSON shape of `nghiquyet scorecard --format json` and of /api/v1/scorecard."""
        return {
            "resolution": self.resolution.key,
            "org_unit": self.org_unit.code,
            "period": self.period.code,
            "summary": self.summary.as_dict(),
            "targets": [
                {
                    "code": row.target.code,
                    "name": row.target.name,
                    "unit": row.target.unit,
                    "direction": row.target.direction,
                    "plan": json_number(row.plan),
                    "plan_max": json_number(row.plan_max),
                    "actual": json_number(row.actual),
                    "kind": row.kind,
                    "percent_of_plan": json_number(row.percent_of_plan),
                    "status": row.status.value,
                    "previous_actual": json_number(row.previous_actual),
                    "change": json_number(row.change.amount) if row.change else None,
                    "change_unit": row.change.unit.value if row.change else None,
                    "state": row.state,
                    "cause": {"kind": row.cause.kind, "text": row.cause.text} if row.cause else None,
                    "source": row.source,
                    "derived": {
                        "value": json_number(row.derived.value),
                        "found": row.derived.found,
                        "expected": row.derived.expected,
                        "of": row.derived.of,
                        "complete": row.derived.complete,
                        "differs": row.differs,
                    } if row.derived is not None else None,
                }
                for row in self.rows
            ],
        }


def csv_table(scorecard: Scorecard) -> tuple[list[str], list[list[Any]]]:
    """The scorecard as the machine's CSV: the JSON's target columns in order, the cause as two flat columns
    (cause_kind, cause_text), then where the value comes from (source) and what the units below add up to as derived_value, derived_found, derived_expected,
    derived_complete; codes and dot decimals (docs/import-format.md)."""
    columns: list[str] = []
    rows = []
    for target in scorecard.as_json()["targets"]:
        cause = target.pop("cause", None) or {}
        derived, source = target.pop("derived", None) or {}, target.pop("source")
        flat = target | {"cause_kind": cause.get("kind"), "cause_text": cause.get("text"), "source": source} | {
            f"derived_{name}": derived.get(name) for name in ("value", "found", "expected", "complete")
        }
        columns = columns or list(flat)
        rows.append([flat[column] for column in columns])
    return columns or ["code"], rows


COVERAGE_EN = {"đơn vị": "units", "tháng": "months", "quý": "quarters", "6 tháng": "halves", "năm": "years"}
GROWING = {Direction.INCREASE, Direction.RANGE}  # below plan now, may reach it by the end; a ceiling or band passed stays passed


def score_row(
    target: Target, plan: Plan | None, result: Result | None, before: Result | None, threshold: Decimal | None, lang: str = "vi",
    *, period: Period | None = None, today: date | None = None, derived: Derived | None = None, previous_derived: Derived | None = None,
) -> ScorecardRow:
    """One target's line: its plan, the result used, the status by the rules, the change vs cùng kỳ. With the
    period and today: a flow or year-to-date figure of a period still running that has not reached its plan is
    "in progress", with the share of the period elapsed (figures.rollup_rules) — for targets that grow towards
    their plan (increase, range); a ceiling overshot or a band left cannot be made good by the end.
    Where nothing was reported for the unit, a complete `derived` value (figures.reads.derived_figures) stands
    for it; a partial one is shown as such and counts as no data."""
    direction, value_kind = Direction(target.direction), ValueKind(target.value_kind)
    plan_value = plan.value if plan else None
    plan_max = plan.value_max if plan else None
    actual = result.value if result else None
    source = "own" if result else None
    if actual is None and derived is not None and derived.complete:
        actual, source = derived.value, "derived"
    previous_actual = before.value if before else None
    if previous_actual is None and previous_derived is not None and previous_derived.complete:
        previous_actual = previous_derived.value
    status = evaluate(direction=direction, plan=plan_value, plan_max=plan_max, actual=actual, nearly_met_threshold=threshold)
    elapsed = None
    if period is not None and today is not None and status in (Status.NOT_MET, Status.NEARLY_MET) \
            and direction in GROWING and in_progress(period, target.accumulation, today):
        status, elapsed = Status.IN_PROGRESS, share_elapsed(period, today)
    return replace(ScorecardRow(
        target=target,
        plan=plan_value,
        plan_max=plan_max,
        actual=actual,
        kind=result.kind if result else None,
        state=result.state if result else None,
        percent_of_plan=percent_of_plan(direction=direction, plan=plan_value, actual=actual),
        status=status,
        previous_actual=previous_actual,
        change=change_vs_previous(value_kind=value_kind, actual=actual, previous=previous_actual),
        lang=lang,
    ), elapsed=elapsed, derived=derived, source=source)


def build_scorecard(
    *, resolution_key: str, org_code: str, period: str | Period, include_drafts: bool = False, lang: str = "vi"
) -> Scorecard:
    """The scorecard; raises NotFound/Invalid (with a Vietnamese message) for an unknown key, code or period."""
    resolution = get_resolution(key=resolution_key)
    org_unit, period = locate(resolution=resolution, org_code=org_code, period=period)
    return scorecard_for(resolution=resolution, org_unit=org_unit, period=period, include_drafts=include_drafts, lang=lang)


def locate(*, resolution: Resolution, org_code: str, period: str | Period) -> tuple[OrgUnit, Period]:
    """The period (inside the resolution's term) and the unit the code names in it."""
    period = period if isinstance(period, Period) else parse_period(period)
    check_period_in_term(resolution, period)
    return orgunit_services.resolve(code=org_code, period=period), period


def scorecard_seen_by(
    *, user: Any, resolution: Resolution, org_code: str, period: str | Period, drafts: bool = True, lang: str = "vi"
) -> Scorecard:
    """The scorecard as `user` may see it, for the web and the API: a unit whose figures they may not see
    is "not found", worded as for an unknown code; drafts count only if asked for and allowed."""
    org_unit, period = locate(resolution=resolution, org_code=org_code, period=period)
    if not may_view_figures(user, org_unit):
        raise NotFound(f'Không tìm thấy đơn vị có mã "{org_code}".', en=f'No org unit with code "{org_code}".', field="org_unit")
    include_drafts = drafts and may(user, Action.VIEW_DRAFTS, org_unit)
    return scorecard_for(
        resolution=resolution, org_unit=org_unit, period=period, include_drafts=include_drafts, lang=lang, seen_by=audience(user)
    )


def scorecard_for(
    *,
    resolution: Resolution,
    org_unit: OrgUnit,
    period: Period,
    include_drafts: bool = False,
    lang: str = "vi",
    seen_by: Audience = EVERYONE,
) -> Scorecard:
    """The owner unit of a resolution is scored on every target; another unit only on the targets it
    was given a plan or reported a result for in that period (a ward is not "no data" on the city's
    export turnover). Results not yet approved count only with `include_drafts` (marked in `state`)."""
    targets = list(resolution.targets.order_by("position", "code"))
    before = period.same_period_last_year()
    figures = read_figures(targets=targets, units=[org_unit], periods=[period, before], audience=seen_by, drafts=include_drafts)
    today = timezone.localdate()
    derived = derived_figures(targets=targets, units=[org_unit], periods=[period, before], today=today)
    now, then = (org_unit.pk, (period.start, period.end)), (org_unit.pk, (before.start, before.end))
    if org_unit.pk != resolution.org_unit_id:
        targets = [target for target in targets if figures.get(target, org_unit, period) or (target.pk, *now) in derived]
    rows = []
    causes = causes_at(resolution=resolution, org_unit=org_unit, period=period)
    for target in targets:
        cell, previous = figures.get(target, org_unit, period), figures.get(target, org_unit, before)
        row = score_row(target, cell.plan if cell else None, cell.result if cell else None,
                        previous.result if previous else None, resolution.nearly_met_threshold, lang,
                        period=period, today=today, derived=derived.get((target.pk, *now)),
                        previous_derived=derived.get((target.pk, *then)))
        rows.append(replace(row, cause=causes.get(target.pk)))
    return Scorecard(
        resolution=resolution,
        org_unit=org_unit,
        period=period,
        rows=rows,
        summary=summarise([row.status for row in rows]),
        lang=lang,
    )


def children_of(scorecard: Scorecard, *, include_drafts: bool = False) -> list[Scorecard]:
    """The scorecards of the units directly below (valid in the period), each on its own reported figures; for
    the command line, which reads everything (a page would pass the units its reader may see)."""
    period = scorecard.period
    below = OrgUnit.objects.filter(parent=scorecard.org_unit).overlapping(period.start, period.end).order_by("code")
    return [scorecard_for(resolution=scorecard.resolution, org_unit=unit, period=period, include_drafts=include_drafts,
                          lang=scorecard.lang) for unit in below]


@dataclass(frozen=True)
class HistoryRow:
    period: Period
    org_unit: OrgUnit
    row: ScorecardRow


def target_history(*, target: Target, seen_by: Audience = EVERYONE, drafts: bool = False, lang: str = "vi") -> list[HistoryRow]:
    """Every period and unit with a plan or a result for `target`, newest period first, the owner unit
    first; `seen_by` keeps only the figures the reader may see (drafts where it may see them, if asked)."""
    resolution = target.resolution
    figures = read_figures(targets=[target], audience=seen_by, drafts=drafts)
    rows = []
    for cell in figures:
        previous = figures.get(target, cell.org_unit, cell.period.same_period_last_year())
        rows.append(
            HistoryRow(
                period=cell.period,
                org_unit=cell.org_unit,
                row=score_row(
                    target, cell.plan, cell.result, previous.result if previous else None, resolution.nearly_met_threshold, lang,
                    period=cell.period, today=timezone.localdate(),
                ),
            )
        )
    rows.sort(key=lambda item: (-item.period.end.toordinal(), item.period.start, _unit_order(item.org_unit, resolution)))
    return rows


def _unit_order(unit: OrgUnit, resolution: Resolution) -> tuple[bool, int, str]:
    """The resolution's owner first, then level by level, by code."""
    return (unit.pk != resolution.org_unit_id, unit.depth, unit.code)


def scorecard_choices(*, resolution: Resolution, user: Any, chosen: OrgUnit | None = None) -> tuple[list[OrgUnit], list[Period]]:
    """The units and periods a scorecard page offers, read from small tables whatever the number of figures:
    the periods the resolution has figures in (figures.models.ResolutionPeriod), and a province → commune
    picker: the highest units under the resolution's owner whose figures the user may see, their children,
    and the way down to the chosen unit and its children. Units are those valid at some time in the term."""
    periods = sorted(
        (parse_period(code) for code in ResolutionPeriod.objects.filter(resolution=resolution).values_list("period", flat=True)),
        key=lambda p: (-p.end.toordinal(), p.start),
    )
    owner = resolution.org_unit
    if may_view_figures(user, owner):
        roots = [owner]
    else:
        paths = sorted({g.path for g in grants(user) if g.rank >= VIEWER and g.path.startswith(owner.path)}, key=len)
        tops = [path for i, path in enumerate(paths) if not any(path.startswith(other) for other in paths[:i])]
        roots = list(OrgUnit.objects.filter(path__in=tops))
    if not roots:
        return [], periods
    ids = {unit.pk for unit in roots}
    parents = set(ids)
    if chosen is not None and any(chosen.path.startswith(root.path) for root in roots):
        parents |= set(chosen.lineage_ids) - set(owner.lineage_ids[:-1])
    units = OrgUnit.objects.filter(pk__in=ids) | OrgUnit.objects.filter(parent_id__in=parents)
    if resolution.term_start and resolution.term_end:
        term = parse_period(f"{resolution.term_start}-{resolution.term_end}")
        units = units.overlapping(term.start, term.end)
    shown = [u for u in units.distinct() if any(u.path.startswith(root.path) for root in roots)]
    return sorted(shown, key=lambda unit: _unit_order(unit, resolution)), periods
