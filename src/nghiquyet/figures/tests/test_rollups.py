"""Live roll-ups through the write service: the totals above a unit change in the same transaction as its
approved figures, count only children of the parent's kind, say how complete they are, never pass a partial
sum off as the total, add up across periods, recompute ratios, and rebuild to the same rows."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from nghiquyet.figures import rollups
from nghiquyet.figures.models import TreeTotal
from nghiquyet.figures.scorecard import build_scorecard
from nghiquyet.figures.writes import Writer, approve_result, record_result
from nghiquyet.lib.periods import parse_period
from nghiquyet.orgunits.models import OrgUnit
from nghiquyet.orgunits.services import save_org_unit
from nghiquyet.targets import services


@pytest.fixture
def tree(db):
    """A nation over two provinces; province P1 over communes A, B, C and a department D; P2 over E."""
    nation, _ = save_org_unit(code="VN", name="Cả nước")
    p1, _ = save_org_unit(code="P1", name="Tỉnh 1", parent=nation)
    p2, _ = save_org_unit(code="P2", name="Tỉnh 2", parent=nation)
    a, _ = save_org_unit(code="A", name="Xã A", parent=p1)
    b, _ = save_org_unit(code="B", name="Xã B", parent=p1)
    c, _ = save_org_unit(code="C", name="Xã C", parent=p1)
    d, _ = save_org_unit(code="D", name="Sở D", parent=p1, unit_type="department")
    save_org_unit(code="K", name="Đảng bộ Khối", parent=p2, unit_type="party")
    e, _ = save_org_unit(code="E", name="Xã E", parent=p2)
    resolution, _ = services.save_resolution(key="r", number="01-NQ/TW", title="Tasks", org_unit=nation, term_start=2021, term_end=2026)
    members, _ = services.save_target(resolution=resolution, code="1", name="Đảng viên mới", direction="increase")
    level, _ = services.save_target(resolution=resolution, code="2", name="Bác sĩ", direction="increase", accumulation="stock")
    poor, _ = services.save_target(resolution=resolution, code="3a", name="Hộ nghèo", direction="decrease")
    homes, _ = services.save_target(resolution=resolution, code="3b", name="Số hộ", direction="increase")
    rate, _ = services.save_target(resolution=resolution, code="3", name="Tỷ lệ hộ nghèo", direction="decrease", value_kind="percent",
                                   rollup="ratio", numerator=poor, denominator=homes, decimals=2)
    alone, _ = services.save_target(resolution=resolution, code="4", name="Xếp hạng", direction="increase", rollup="none")
    units = {u.code: u for u in (nation, p1, p2, a, b, c, d, e)} | {"K": OrgUnit.objects.get(code="K")}
    targets = {t.code: t for t in (members, level, poor, homes, rate, alone)}
    return units, targets


def put(targets, units, target, unit, period, value, **kwargs):
    return record_result(target=targets[target], org_unit=units[unit], period=parse_period(period), value=D(value), **kwargs)[0]


def total(targets, units, target, unit, period):
    dates = parse_period(period)
    row = TreeTotal.objects.filter(target=targets[target], org_unit=units[unit], period_start=dates.start, period_end=dates.end).first()
    return (row.value, row.found, row.expected) if row else None


def row_of(unit, period, code):
    card = build_scorecard(resolution_key="r", org_code=unit, period=period)
    return next(row for row in card.rows if row.target.code == code)


def test_a_sum_counts_children_of_the_parents_kind_and_says_how_complete_it_is(tree):
    units, targets = tree
    put(targets, units, "1", "A", "2025-03", "10")
    put(targets, units, "1", "D", "2025-03", "1000")  # a department: never added into the province
    assert total(targets, units, "1", "P1", "2025-03") == (D(10), 1, 3)
    put(targets, units, "1", "B", "2025-03", "20")
    assert total(targets, units, "1", "P1", "2025-03") == (D(30), 2, 3)
    row = row_of("P1", "2025-03", "1")
    assert row.actual is None and row.partial and row.coverage_text == "2/3 đơn vị"  # never passed off as the total
    assert row.status == "no_data"
    # the nation: P1 is partial, so it stands for nothing yet; P2 has nothing
    assert total(targets, units, "1", "VN", "2025-03") is None
    put(targets, units, "1", "C", "2025-03", "5")
    assert total(targets, units, "1", "P1", "2025-03") == (D(35), 3, 3)
    assert total(targets, units, "1", "VN", "2025-03") == (D(35), 1, 2)
    row = row_of("P1", "2025-03", "1")
    assert (row.actual, row.source, row.partial) == (D(35), "derived", False)


def test_a_units_own_value_wins_and_a_difference_is_flagged(tree):
    units, targets = tree
    for unit, value in (("A", "10"), ("B", "20"), ("C", "5")):
        put(targets, units, "1", unit, "2025-03", value)
    put(targets, units, "1", "P1", "2025-03", "40")
    row = row_of("P1", "2025-03", "1")
    assert (row.actual, row.source, row.derived.value, row.differs) == (D(40), "own", D(35), True)
    # the province's own figure is what it counts as above
    assert total(targets, units, "1", "VN", "2025-03") == (D(40), 1, 2)
    put(targets, units, "1", "P1", "2025-03", "35")
    assert row_of("P1", "2025-03", "1").differs is False


def test_a_correction_below_reaches_the_top_in_the_same_write(tree):
    units, targets = tree
    for unit, value in (("A", "10"), ("B", "20"), ("C", "5"), ("E", "7")):
        put(targets, units, "1", unit, "2025-03", value)
    assert total(targets, units, "1", "P2", "2025-03") == (D(7), 1, 2)  # its party bloc has not reported
    put(targets, units, "1", "K", "2025-03", "3")
    assert total(targets, units, "1", "VN", "2025-03") == (D(45), 2, 2)
    put(targets, units, "1", "B", "2025-03", "21")
    assert total(targets, units, "1", "VN", "2025-03") == (D(46), 2, 2)


def test_drafts_count_once_approved(tree, django_user_model):
    units, targets = tree
    put(targets, units, "1", "A", "2025-03", "10")
    draft = put(targets, units, "1", "B", "2025-03", "20")
    draft.state = "draft"
    draft.save(update_fields=["state"])
    rollups.rebuild()
    assert total(targets, units, "1", "P1", "2025-03") == (D(10), 1, 3)
    approver = django_user_model.objects.create_superuser("root", password="x")
    approve_result(result=draft, user=approver)
    assert total(targets, units, "1", "P1", "2025-03") == (D(30), 2, 3)


def test_months_add_up_to_the_year_by_accumulation(tree):
    units, targets = tree
    for month in range(1, 13):
        for unit in ("A", "B", "C"):
            put(targets, units, "1", unit, f"2025-{month:02d}", "1")  # flow: 3 a month, 36 a year
            put(targets, units, "2", unit, f"2025-{month:02d}", str(month))  # stock: the December level, 12 each
    members, doctors = row_of("P1", "2025", "1"), row_of("P1", "2025", "2")
    assert (members.actual, members.source, members.coverage_text) == (D(36), "derived", "12/12 tháng")
    assert (doctors.actual, doctors.coverage_text) == (D(36), "12/12 tháng")  # 3 communes × 12
    assert row_of("P1", "2025-Q2", "1").actual == D(9)
    assert row_of("VN", "2025", "1").actual is None  # P2 never reported: 1/2 provinces a month, no total


def test_a_year_with_months_missing_is_partial(tree):
    units, targets = tree
    for month in range(1, 9):
        for unit in ("A", "B", "C"):
            put(targets, units, "1", unit, f"2025-{month:02d}", "1")
    row = row_of("P1", "2025", "1")
    assert row.actual is None and row.partial and row.derived.value == D(24) and row.coverage_text == "8/12 tháng"


def test_a_ratio_is_recomputed_from_its_parts_not_averaged(tree):
    units, targets = tree
    for unit, poor, homes in (("A", "10", "100"), ("B", "90", "300"), ("C", "0", "100")):
        put(targets, units, "3a", unit, "2025", poor)
        put(targets, units, "3b", unit, "2025", homes)
        put(targets, units, "3", unit, "2025", str(D(poor) / D(homes) * 100))
    row = row_of("P1", "2025", "3")
    assert row.actual == D(20)  # 100 poor homes of 500; the average of 10 %, 30 % and 0 % would be 13,33
    assert row.source == "derived"


def test_none_derives_nothing_up_the_tree(tree):
    units, targets = tree
    for unit in ("A", "B", "C"):
        put(targets, units, "4", unit, "2025", "3")
    assert not TreeTotal.objects.filter(target=targets["4"]).exists()
    assert all(row.target.code != "4" for row in build_scorecard(resolution_key="r", org_code="P1", period="2025").rows)


def test_a_unit_valid_only_part_of_the_time_is_expected_only_then(tree):
    units, targets = tree
    save_org_unit(code="C", name="Xã C", parent=units["P1"], valid_to=date(2025, 6, 30), unit=units["C"])
    put(targets, units, "1", "A", "2025-09", "1")
    put(targets, units, "1", "B", "2025-09", "1")
    assert total(targets, units, "1", "P1", "2025-09") == (D(2), 2, 2)


def test_rebuilding_gives_the_rows_the_writes_kept(tree):
    units, targets = tree
    for month in (1, 2):
        for unit, value in (("A", "1"), ("B", "2"), ("E", "4"), ("D", "9")):
            put(targets, units, "1", unit, f"2025-{month:02d}", value)
    put(targets, units, "1", "C", "2025-01", "3")
    put(targets, units, "1", "P1", "2025-02", "99")
    kept = sorted(TreeTotal.objects.values_list("target_id", "org_unit_id", "period", "value", "found", "expected"))
    rollups.rebuild()
    assert sorted(TreeTotal.objects.values_list("target_id", "org_unit_id", "period", "value", "found", "expected")) == kept
    assert len(kept) == 6  # P1, P2 (partial: its party bloc never reported) and VN for both months


def test_the_json_carries_the_derived_value_and_its_completeness(tree):
    units, targets = tree
    put(targets, units, "1", "A", "2025-03", "10")
    data = build_scorecard(resolution_key="r", org_code="P1", period="2025-03").as_json()
    target = next(t for t in data["targets"] if t["code"] == "1")
    assert target["source"] is None and target["actual"] is None
    assert target["derived"] == {"value": 10, "found": 1, "expected": 3, "of": "đơn vị", "complete": False, "differs": False}


def test_a_trusted_bulk_write_keeps_the_totals_too(tree):
    from nghiquyet.figures.batch import Entry
    from nghiquyet.figures.writes import write_figures
    from nghiquyet.targets.models import Result

    units, targets = tree
    month = parse_period("2025-05")
    entries = [Entry(targets["1"], units[code], month, D(n)) for n, code in enumerate(("A", "B", "C", "E", "K"), start=1)]
    write_figures(model=Result, entries=entries, writer=Writer.trusted_road(source="test"))
    assert total(targets, units, "1", "P1", "2025-05") == (D(6), 3, 3)
    assert total(targets, units, "1", "VN", "2025-05") == (D(15), 2, 2)
