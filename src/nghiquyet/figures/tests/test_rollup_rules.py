"""The roll-up rules as a table: across periods by accumulation, up the tree by rollup, ratios recomputed,
completeness stated, years in progress."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from nghiquyet.figures.rollup_rules import (
    Child,
    Derived,
    differs,
    effective,
    in_progress,
    over_periods,
    over_units,
    pro_rata,
    ratio,
    running_totals,
    share_elapsed,
)
from nghiquyet.lib.periods import parse_period, sub_periods

OVER = date(2030, 1, 1)  # long after every period below
MONTHS = {f"2021-{m:02d}": D(m) for m in range(1, 13)}  # 1 … 12


@pytest.mark.parametrize(
    "period, values, accumulation, today, value, coverage, complete",
    [
        ("2021", MONTHS, "flow", OVER, D(78), "12/12 tháng", True),
        ("2021", MONTHS, "stock", OVER, D(12), "12/12 tháng", True),
        ("2021", MONTHS, "year_to_date", OVER, D(12), "12/12 tháng", True),
        ("2021-Q2", MONTHS, "flow", OVER, D(15), "3/3 tháng", True),
        ("2021-H2", MONTHS, "flow", OVER, D(57), "6/6 tháng", True),
        # months missing: a partial sum, said as such; a stock "as of" its latest month
        ("2021", {k: v for k, v in MONTHS.items() if k <= "2021-08"}, "flow", OVER, D(36), "8/12 tháng", False),
        ("2021", {k: v for k, v in MONTHS.items() if k <= "2021-08"}, "stock", OVER, D(8), "8/12 tháng", False),
        ("2021", {"2021-01": D(1), "2021-03": D(3)}, "flow", OVER, D(4), "2/12 tháng", False),
        # a year still running expects only the months begun
        ("2021", {k: v for k, v in MONTHS.items() if k <= "2021-08"}, "flow", date(2021, 8, 20), D(36), "8/8 tháng", True),
        # quarters when no month is reported; halves when only halves are
        ("2021", {"2021-Q1": D(10), "2021-Q2": D(20), "2021-Q3": D(30), "2021-Q4": D(40)}, "flow", OVER, D(100), "4/4 quý", True),
        ("2021", {"2021-H1": D(5), "2021-H2": D(7)}, "year_to_date", OVER, D(7), "2/2 6 tháng", True),
        ("2021", {}, "flow", OVER, None, "0/0", False),
        ("2021-05", MONTHS, "flow", OVER, None, "0/0", False),  # a month is made of nothing smaller
    ],
)  # fmt: skip
def test_a_period_from_its_parts(period, values, accumulation, today, value, coverage, complete):
    derived = over_periods(parse_period(period), values, accumulation, today=today)
    assert (derived.value, derived.coverage, derived.complete) == (value, coverage, complete)


@pytest.mark.parametrize(
    "children, rollup, value, coverage, complete",
    [
        ([Child("A", D(3)), Child("B", D(4))], "sum", D(7), "2/2 đơn vị", True),
        ([Child("A", D(3)), Child("B", None)], "sum", D(3), "1/2 đơn vị", False),  # never a total when partial
        ([Child("A", D(3)), Child("S", D(100), counted=False)], "sum", D(3), "1/1 đơn vị", True),  # a department is not summed
        ([Child("A", None)], "sum", None, "0/1 đơn vị", False),
        ([Child("A", D(3)), Child("B", D(4))], "none", None, "0/0", False),
        ([Child("A", D(3)), Child("B", D(4))], "ratio", None, "0/0", False),  # a ratio is recomputed, never added
        ([], "sum", None, "0/0", False),
    ],
)  # fmt: skip
def test_a_unit_from_its_children(children, rollup, value, coverage, complete):
    derived = over_units(children, rollup)
    assert (derived.value, derived.coverage, derived.complete) == (value, coverage, complete)


def test_a_ratio_is_recomputed_from_its_sums_never_averaged():
    # two communes: 10 poor of 100 households (10 %) and 90 of 300 (30 %): the district is 25 %, not 20 %
    poor = over_units([Child("A", D(10)), Child("B", D(90))], "sum")
    households = over_units([Child("A", D(100)), Child("B", D(300))], "sum")
    assert ratio(poor, households).value == D(25)
    assert ratio(poor, over_units([Child("A", D(0))], "sum")).value is None  # no households: no rate
    partial = ratio(poor, over_units([Child("A", D(100)), Child("B", None)], "sum"))
    assert not partial.complete and partial.coverage == "1/2 đơn vị"


def test_a_units_own_value_stands_for_it_and_differences_are_flagged():
    whole = Derived(D(100), 3, 3, "đơn vị")
    assert effective(D(98), whole) == D(98)
    assert effective(None, whole) == D(100)
    assert effective(None, Derived(D(60), 2, 3, "đơn vị")) is None  # a partial sum stands for nothing
    assert differs(D(98), whole) and not differs(D(99.8), whole) and not differs(None, whole)


@pytest.mark.parametrize(
    "today, accumulation, running, share, due",
    [
        (date(2021, 7, 2), "flow", True, D(183) / D(365), D(1200) * (D(183) / D(365))),
        (date(2021, 7, 2), "year_to_date", True, D(183) / D(365), D(1200) * (D(183) / D(365))),
        (date(2021, 7, 2), "stock", False, D(183) / D(365), None),  # a level is due whole at any moment
        (date(2021, 12, 31), "flow", False, None, None),  # the last day: the year is over
        (date(2020, 12, 1), "flow", True, D(0), D(0)),
    ],
)  # fmt: skip
def test_a_year_in_progress(today, accumulation, running, share, due):
    year = parse_period("2021")
    assert in_progress(year, accumulation, today) is running
    assert share_elapsed(year, today) == share
    assert pro_rata(D(1200), year, accumulation, today) == due


@pytest.mark.parametrize(
    "period, kind, codes",
    [
        ("2021", "quarter", ["2021-Q1", "2021-Q2", "2021-Q3", "2021-Q4"]),
        ("2021-H2", "month", ["2021-07", "2021-08", "2021-09", "2021-10", "2021-11", "2021-12"]),
        ("2021-Q3", "month", ["2021-07", "2021-08", "2021-09"]),
        ("2021-Q3", "half", []),
        ("2020-2025", "year", ["2020", "2021", "2022", "2023", "2024", "2025"]),
    ],
)
def test_sub_periods(period, kind, codes):
    from nghiquyet.lib.periods import PeriodKind

    assert [p.code for p in sub_periods(parse_period(period), PeriodKind(kind))] == codes


@pytest.mark.parametrize(
    "parent, child, counted",
    [
        ("territory", "territory", True),
        ("territory", "party", True),  # the party bloc of agencies belongs to the city's party organisation
        ("territory", "department", False),  # a department's figures are the territory's own, counted again
        ("party", "party", True),
        ("party", "territory", False),
        ("department", "department", True),
        ("department", "territory", False),
    ],
)
def test_which_children_add_into_a_parent(parent, child, counted):
    from nghiquyet.figures.rollup_rules import adds_into

    assert adds_into(parent, child) is counted


@pytest.mark.parametrize("values, accumulation, totals", [
    ([D(110), D(260), None, D(520)], "year_to_date", [D(110), D(260), None, D(520)]),  # already running totals
    ([D(10), D(20), D(5)], "flow", [D(10), D(30), D(35)]),
    ([D(10), None, D(5)], "flow", [D(10), None, None]),  # a gap: no total after it, never a partial sum
    ([None, D(5)], "flow", [None, None]),
    ([D(3), D(4)], "stock", [None, None]),  # a level has no running total
    ([], "flow", []),
])
def test_running_totals_month_by_month(values, accumulation, totals):
    assert running_totals(values, accumulation) == totals
