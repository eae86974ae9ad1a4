"""What a dashboard shows for a resolution × org unit × period, read through figures.reads: the scorecard, each
target's figures over the years of the term (sparklines and the trend chart), and one target at each unit
directly below, ranked (the drill-down). Its charts are made from this by reports.charts."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from nghiquyet.accounts.permissions import may_view_figures
from nghiquyet.figures.policies import audience
from nghiquyet.figures.reads import Audience, derived_figures, read_figures
from nghiquyet.figures.rollup_rules import FLOW, YEAR_TO_DATE, running_totals
from nghiquyet.figures.scorecard import Scorecard, ScorecardRow, score_row, scorecard_seen_by
from nghiquyet.lib.errors import NotFound
from nghiquyet.lib.periods import Period, PeriodKind, parse_period, sub_periods
from nghiquyet.orgunits.models import OrgUnit
from nghiquyet.targets.models import Resolution, Target
from nghiquyet.targets.rules import Direction
from nghiquyet.targets.sentences import cumulative_sentence


@dataclass(frozen=True)
class Point:
    period: Period
    plan: Decimal | None
    actual: Decimal | None  # reported, else what the units below add up to when complete


@dataclass(frozen=True)
class Ranked:
    unit: OrgUnit
    row: ScorecardRow


@dataclass(frozen=True)
class Cumulative:
    """A target's running total month by month in the scorecard's year (up to the period's last month) and in
    the year before, with each year's plan: "giải ngân lũy kế đến hết tháng 10 đạt 66,3% kế hoạch năm"."""

    target: Target
    year: int
    totals: list[Decimal | None]  # months 1…n of the year
    before: list[Decimal | None]  # the same months a year before
    plan: Decimal | None
    before_plan: Decimal | None
    lang: str = "vi"

    @property
    def latest(self) -> int:
        """The last month with a running total (1–12)."""
        return max(month for month, total in enumerate(self.totals, start=1) if total is not None)

    @property
    def sentence(self) -> str:
        month = self.latest
        return cumulative_sentence(month=month, year=self.year, value=self.totals[month - 1], unit=self.target.unit,
                                   decimals=self.target.decimals, plan=self.plan, before_value=self.before[month - 1],
                                   before_plan=self.before_plan, lang=self.lang)


@dataclass(frozen=True)
class Dashboard:
    scorecard: Scorecard
    trends: dict[int, list[Point]]  # target id → the years of the term up to the period's, oldest first
    target: Target | None  # the target drilled into
    children: list[Ranked]  # that target at each unit below, best first
    cumulative: tuple[Cumulative, ...] = ()  # year-to-date targets (and the one drilled into, if a flow) with monthly figures

    def trend(self, target: Target) -> list[Point]:
        return self.trends.get(target.pk, [])

    @property
    def children_have_figures(self) -> bool:
        """Whether any unit below has a plan or a figure for the target drilled into (else the page says so in
        a line, not in a table of empty rows)."""
        return any(item.row.plan is not None or item.row.actual is not None for item in self.children)


def dashboard_seen_by(
    *, user: Any, resolution: Resolution, org_code: str, period: str | Period, target_code: str = "", lang: str = "vi"
) -> Dashboard:
    """The dashboard as `user` may see it (approved figures only: a dashboard is for reading, not checking
    drafts): a unit they may not see is "not found", as on the scorecard; units below them likewise are left
    out of the drill-down."""
    scorecard = scorecard_seen_by(user=user, resolution=resolution, org_code=org_code, period=period, drafts=False, lang=lang)
    targets = [row.target for row in scorecard.rows]
    target = None
    if target_code:
        target = next((t for t in targets if t.code == target_code), None)
        if target is None:
            raise NotFound(f'Không có chỉ tiêu mã "{target_code}" trong bảng này.', en=f'No target "{target_code}" here.', field="target")
    elif targets:
        target = targets[0]
    children = ranked_children(user=user, scorecard=scorecard, target=target) if target else []
    return Dashboard(scorecard=scorecard, trends=trends_of(scorecard=scorecard, targets=targets, seen_by=user), target=target,
                     children=children, cumulative=running_totals_of(scorecard=scorecard, seen_by=user, drilled=target))


def running_totals_of(*, scorecard: Scorecard, seen_by: Any, drilled: Target | None = None) -> tuple[Cumulative, ...]:
    """The running totals a dashboard or a report shows: every year-to-date target's, and the target drilled
    into if it is a flow, as `seen_by` may see them (a user, or an Audience: figures.reads.EVERYONE for the
    command line, whose user is the operator)."""
    monthly = [row.target for row in scorecard.rows
               if row.target.accumulation == YEAR_TO_DATE or (row.target == drilled and row.target.accumulation == FLOW)]
    return cumulative_of(scorecard=scorecard, targets=monthly, seen_by=seen_by)


def years_of(resolution: Resolution, period: Period) -> list[Period]:
    """The years of the resolution's term up to the period's year (the last six where there is no term)."""
    last = period.end.year
    first = resolution.term_start or last - 5
    if resolution.term_end:
        last = min(last, resolution.term_end)
    return [parse_period(str(year)) for year in range(first, last + 1)]


def trends_of(*, scorecard: Scorecard, targets: list[Target], seen_by: Any) -> dict[int, list[Point]]:
    """Each target's plan and actual at the scorecard's unit, year by year."""
    unit, years = scorecard.org_unit, years_of(scorecard.resolution, scorecard.period)
    figures = read_figures(targets=targets, units=[unit], periods=years, audience=audience(seen_by))
    derived = derived_figures(targets=targets, units=[unit], periods=years, today=timezone.localdate())
    trends = {}
    for target in targets:
        points = []
        for year in years:
            cell = figures.get(target, unit, year)
            actual = cell.result.value if cell and cell.result else None
            adds_up = derived.get((target.pk, unit.pk, (year.start, year.end)))
            if actual is None and adds_up is not None and adds_up.complete:
                actual = adds_up.value
            points.append(Point(year, cell.plan.value if cell and cell.plan else None, actual))
        trends[target.pk] = points
    return trends


def ranked_children(*, user: Any, scorecard: Scorecard, target: Target) -> list[Ranked]:
    """`target` at each unit directly below the scorecard's unit that the user may see (valid in the period), with
    its own plan and figure (or what its own units add up to), best first by the target's direction; units with
    no figure last. Four queries, whatever the number of units."""
    period, before = scorecard.period, scorecard.period.same_period_last_year()
    below = [unit for unit in OrgUnit.objects.filter(parent=scorecard.org_unit).overlapping(period.start, period.end).order_by("code")
             if may_view_figures(user, unit)]
    figures = read_figures(targets=[target], units=below, periods=[period, before], audience=audience(user))
    derived = derived_figures(targets=[target], units=below, periods=[period, before], today=timezone.localdate())
    ranked = []
    for unit in below:
        cell, previous = figures.get(target, unit, period), figures.get(target, unit, before)
        row = score_row(target, cell.plan if cell else None, cell.result if cell else None, previous.result if previous else None,
                        scorecard.resolution.nearly_met_threshold, scorecard.lang, period=period, today=timezone.localdate(),
                        derived=derived.get((target.pk, unit.pk, (period.start, period.end))),
                        previous_derived=derived.get((target.pk, unit.pk, (before.start, before.end))))
        ranked.append(Ranked(unit, row))
    lower_is_better = target.direction == Direction.DECREASE

    def order(item: Ranked) -> tuple:
        row = item.row
        if row.actual is None:
            return (2, 0, item.unit.code)
        if row.percent_of_plan is not None:
            return (0, -row.percent_of_plan, item.unit.code)
        return (1, row.actual if lower_is_better else -row.actual, item.unit.code)

    return sorted(ranked, key=order)


def cumulative_of(*, scorecard: Scorecard, targets: list[Target], seen_by: Any) -> tuple[Cumulative, ...]:
    """The running totals of these targets at the scorecard's unit, month by month through the period's last
    month, this year and the year before, from each month's reported figure (else what the units below add
    up to, when complete); targets with no monthly figure this year are left out. Four queries."""
    if not targets:
        return ()
    unit, period = scorecard.org_unit, scorecard.period
    year, last = period.start.year, period.end.month if period.end.year == period.start.year else 12
    this_year, year_before = parse_period(str(year)), parse_period(str(year - 1))
    months = sub_periods(this_year, PeriodKind.MONTH)[:last]
    months_before = sub_periods(year_before, PeriodKind.MONTH)[:last]
    wanted = [*months, *months_before]
    figures = read_figures(targets=targets, units=[unit], periods=[*wanted, this_year, year_before],
                           audience=seen_by if isinstance(seen_by, Audience) else audience(seen_by))
    derived = derived_figures(targets=targets, units=[unit], periods=wanted, today=timezone.localdate())

    def value(target: Target, month: Period) -> Decimal | None:
        cell = figures.get(target, unit, month)
        if cell and cell.result:
            return cell.result.value
        adds_up = derived.get((target.pk, unit.pk, (month.start, month.end)))
        return adds_up.value if adds_up is not None and adds_up.complete else None

    def plan(target: Target, of: Period) -> Decimal | None:
        cell = figures.get(target, unit, of)
        return cell.plan.value if cell and cell.plan else None

    made = []
    for target in targets:
        totals = running_totals([value(target, month) for month in months], target.accumulation)
        if all(total is None for total in totals):
            continue
        made.append(Cumulative(target, year, totals, running_totals([value(target, month) for month in months_before], target.accumulation),
                               plan(target, this_year), plan(target, year_before), scorecard.lang))
    return tuple(made)
