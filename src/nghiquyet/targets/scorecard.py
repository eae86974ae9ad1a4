"""The scorecard of a resolution × org unit × period: each target's plan, result and status, and the
summary line the annual review quotes ("đạt và vượt 11/19 chỉ tiêu"). Reads only."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q

from nghiquyet.lib.errors import NotFound
from nghiquyet.lib.periods import Period, parse_period
from nghiquyet.lib.vnformat import LOCALES, format_change, format_number, format_percent
from nghiquyet.orgunits import services as orgunit_services
from nghiquyet.orgunits.models import OrgUnit
from nghiquyet.targets.checks import check_period_in_term
from nghiquyet.targets.models import Plan, Resolution, Result, ResultKind, ResultState, Target
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
                }
                for row in self.rows
            ],
        }


def json_number(value: Decimal | None) -> int | float | None:
    """JSON numbers: whole values as integers (1635, milestones 1/0), others as floats."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def _best_results(resolution: Resolution, org_unit: OrgUnit, period_code: str, include_drafts: bool) -> dict[int, Result]:
    """Per target, the official result if there is one, else the estimate; drafts only if asked for."""
    best: dict[int, Result] = {}
    results = Result.objects.filter(target__resolution=resolution, org_unit=org_unit, period=period_code)
    if not include_drafts:
        results = results.filter(state=ResultState.APPROVED)
    for result in results:
        current = best.get(result.target_id)
        if current is None or (current.kind == ResultKind.ESTIMATE and result.kind == ResultKind.OFFICIAL):
            best[result.target_id] = result
    return best


def score_row(
    target: Target, plan: Plan | None, result: Result | None, before: Result | None, threshold: Decimal | None, lang: str = "vi"
) -> ScorecardRow:
    """One target's line: its plan, the result used, the status by the rules, the change vs cùng kỳ."""
    direction, value_kind = Direction(target.direction), ValueKind(target.value_kind)
    plan_value = plan.value if plan else None
    plan_max = plan.value_max if plan else None
    actual = result.value if result else None
    previous_actual = before.value if before else None
    return ScorecardRow(
        target=target,
        plan=plan_value,
        plan_max=plan_max,
        actual=actual,
        kind=result.kind if result else None,
        state=result.state if result else None,
        percent_of_plan=percent_of_plan(direction=direction, plan=plan_value, actual=actual),
        status=evaluate(
            direction=direction, plan=plan_value, plan_max=plan_max, actual=actual, nearly_met_threshold=threshold
        ),
        previous_actual=previous_actual,
        change=change_vs_previous(value_kind=value_kind, actual=actual, previous=previous_actual),
        lang=lang,
    )


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
    from nghiquyet.accounts.permissions import Action, may, may_view_figures

    org_unit, period = locate(resolution=resolution, org_code=org_code, period=period)
    if not may_view_figures(user, org_unit):
        raise NotFound(f'Không tìm thấy đơn vị có mã "{org_code}".', en=f'No org unit with code "{org_code}".', field="org_unit")
    include_drafts = drafts and may(user, Action.VIEW_DRAFTS, org_unit)
    return scorecard_for(resolution=resolution, org_unit=org_unit, period=period, include_drafts=include_drafts, lang=lang)


def scorecard_for(
    *, resolution: Resolution, org_unit: OrgUnit, period: Period, include_drafts: bool = False, lang: str = "vi"
) -> Scorecard:
    """The owner unit of a resolution is scored on every target; another unit only on the targets it
    was given a plan or reported a result for in that period (a ward is not "no data" on the city's
    export turnover). Results not yet approved count only with `include_drafts` (marked in `state`)."""
    plans = {
        plan.target_id: plan
        for plan in Plan.objects.filter(target__resolution=resolution, org_unit=org_unit, period=period.code)
    }
    results = _best_results(resolution, org_unit, period.code, include_drafts)
    targets = list(resolution.targets.order_by("position", "code"))
    if org_unit.pk != resolution.org_unit_id:
        targets = [target for target in targets if target.pk in plans or target.pk in results]
    previous = _best_results(resolution, org_unit, period.same_period_last_year().code, include_drafts)
    rows = [
        score_row(
            target,
            plans.get(target.pk),
            results.get(target.pk),
            previous.get(target.pk),
            resolution.nearly_met_threshold,
            lang,
        )
        for target in targets
    ]
    return Scorecard(
        resolution=resolution,
        org_unit=org_unit,
        period=period,
        rows=rows,
        summary=summarise([row.status for row in rows]),
        lang=lang,
    )


@dataclass(frozen=True)
class HistoryRow:
    period: Period
    org_unit: OrgUnit
    row: ScorecardRow


def target_history(*, target: Target, plans_q: Q | None = None, results_q: Q | None = None, lang: str = "vi") -> list[HistoryRow]:
    """Every period and unit with a plan or a result for `target`, newest period first, the owner unit
    first; `plans_q` / `results_q` keep only the rows a user may see (accounts.permissions)."""
    resolution = target.resolution
    plan_rows = Plan.objects.filter(target=target).select_related("org_unit")
    result_rows = Result.objects.filter(target=target).select_related("org_unit")
    if plans_q is not None:
        plan_rows = plan_rows.filter(plans_q)
    if results_q is not None:
        result_rows = result_rows.filter(results_q)
    plans = {(p.org_unit_id, p.period): p for p in plan_rows}
    results: dict[tuple[int, str], Result] = {}
    units: dict[int, OrgUnit] = {p.org_unit_id: p.org_unit for p in plans.values()}
    for result in result_rows:
        key = (result.org_unit_id, result.period)
        units[result.org_unit_id] = result.org_unit
        current = results.get(key)
        if current is None or (current.kind == ResultKind.ESTIMATE and result.kind == ResultKind.OFFICIAL):
            results[key] = result
    rows = []
    for unit_id, period_code in set(plans) | set(results):
        period = parse_period(period_code)
        rows.append(
            HistoryRow(
                period=period,
                org_unit=units[unit_id],
                row=score_row(
                    target,
                    plans.get((unit_id, period_code)),
                    results.get((unit_id, period_code)),
                    results.get((unit_id, period.same_period_last_year().code)),
                    resolution.nearly_met_threshold,
                    lang,
                ),
            )
        )
    rows.sort(key=lambda item: (-item.period.end.toordinal(), item.period.start, _unit_order(item.org_unit, resolution)))
    return rows


def _unit_order(unit: OrgUnit, resolution: Resolution) -> tuple[bool, int, str]:
    """The resolution's owner first, then level by level, by code."""
    return (unit.pk != resolution.org_unit_id, unit.depth, unit.code)


def scorecard_choices(*, resolution: Resolution, units_q: Q | None = None, include_owner: bool = True) -> tuple[list[OrgUnit], list[Period]]:
    """The units and periods for which a resolution has plans or results: what a scorecard can show.
    `units_q` (on plans and results) keeps the units a user may see; the owner unit is offered even
    without figures unless `include_owner` is off."""
    unit_ids: set[int] = set()
    codes: set[str] = set()
    for model in (Plan, Result):
        rows = model.objects.filter(target__resolution=resolution)
        if units_q is not None:
            rows = rows.filter(units_q)
        for unit_id, code in rows.values_list("org_unit_id", "period").distinct():
            unit_ids.add(unit_id)
            codes.add(code)
    if include_owner:
        unit_ids.add(resolution.org_unit_id)
    units = sorted(OrgUnit.objects.filter(pk__in=unit_ids), key=lambda unit: _unit_order(unit, resolution))
    periods = sorted((parse_period(code) for code in codes), key=lambda p: (-p.end.toordinal(), p.start))
    return units, periods
