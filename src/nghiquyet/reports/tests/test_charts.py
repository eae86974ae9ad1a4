"""The charts' specs: the figures they carry, Vietnamese numbers and labels, and the same spec rendered on the
server (vl-convert) as in the browser."""

from __future__ import annotations

import json

from nghiquyet.figures.dashboard import dashboard_seen_by
from nghiquyet.reports import charts
from nghiquyet.targets.models import Resolution
from nghiquyet.targets.rules import Status, summarise


def values(spec):
    """Every data row of a (layered) spec."""
    found = []
    for part in [spec, *spec.get("layer", [])]:
        found += part.get("data", {}).get("values", [])
    return found


def test_the_status_chart_counts_each_state_in_the_reviews_order():
    summary = summarise([Status.EXCEEDED] * 8 + [Status.MET] * 3 + [Status.NOT_MET] * 8)
    spec = charts.status_chart(summary)
    rows = [row for row in values(spec) if "n" in row]
    assert [(row["status"], row["n"]) for row in rows[:3]] == [("Vượt", 8), ("Đạt", 3), ("Không đạt", 8)]
    assert spec["config"]["locale"]["number"]["decimal"] == ","
    assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/v6")
    english = charts.status_chart(summary, lang="en")
    assert english["config"]["locale"]["number"]["thousands"] == ","
    assert "Exceeded" in json.dumps(english, ensure_ascii=False)


def test_the_server_draws_the_same_spec_with_vietnamese_numbers_and_letters():
    summary = summarise([Status.EXCEEDED] * 1200 + [Status.NOT_MET] * 3)
    spec = charts.status_chart(summary, title="Kết quả thực hiện chỉ tiêu")
    svg = charts.to_svg(spec)
    assert "1.200" in svg  # thousands with a dot, as in Vietnamese
    assert "Kết quả thực hiện chỉ tiêu" in svg and "Không đạt" in svg
    png = charts.to_png(spec)
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 2000


def test_the_dashboard_ranks_the_units_below_and_follows_a_target_over_the_years(demo, django_user_model):
    admin = django_user_model.objects.create_superuser("root-charts", password="x")
    resolution = Resolution.objects.get(key="ct-2021")
    board = dashboard_seen_by(user=admin, resolution=resolution, org_code="CT", period="2021", target_code="19")
    assert board.target.code == "19"
    reported = [item for item in board.children if item.row.actual is not None]
    percents = [item.row.percent_of_plan for item in reported]
    assert percents == sorted(percents, reverse=True) and len(reported) >= 9
    assert all(item.row.actual is None for item in board.children[len(reported):])  # no figure: last
    years = {point.period.code: point for point in board.trend(board.target)}
    assert years["2021"].actual == 1635
    ranking = charts.ranking_chart(board.children, unit=board.target.unit)
    assert [row["unit"] for row in values(ranking) if "unit" in row][0] == reported[0].unit.name
    trend = charts.trend_chart(board.trend(board.target), unit=board.target.unit)
    assert {"year": "2021", "actual": 1635.0, "plan": float(years["2021"].plan)} in values(trend)


def test_a_dashboard_target_that_is_not_there_is_a_clear_error(demo, django_user_model):
    import pytest

    from nghiquyet.lib.errors import NotFound

    admin = django_user_model.objects.create_superuser("root-charts2", password="x")
    resolution = Resolution.objects.get(key="ct-2021")
    with pytest.raises(NotFound, match="Không có chỉ tiêu mã"):
        dashboard_seen_by(user=admin, resolution=resolution, org_code="CT", period="2021", target_code="99\x00")


def test_every_chart_is_valid_vega_lite(demo, django_user_model, monkeypatch):
    """Pages skip Altair's schema validation for speed; here every kind of chart is built with it on."""
    from nghiquyet.figures.scorecard import build_scorecard

    monkeypatch.setattr(charts, "VALIDATE", True)
    charts._built.cache_clear()
    admin = django_user_model.objects.create_superuser("root-valid", password="x")
    board = dashboard_seen_by(user=admin, resolution=Resolution.objects.get(key="ct-2021"), org_code="CT", period="2021", target_code="03")
    card = build_scorecard(resolution_key="ct-2021", org_code="CT", period="2021")
    for lang in ("vi", "en"):
        charts.status_chart(card.summary, lang=lang)
        charts.ranking_chart(board.children, unit="tỷ đồng", lang=lang)
        charts.trend_chart(board.trend(board.target), unit="tỷ đồng", lang=lang)
    charts.plan_chart(card)
    assert charts._built.cache_info().currsize == 7
    charts._built.cache_clear()


def test_the_same_inputs_give_the_same_spec_built_once():
    charts._built.cache_clear()
    summary = summarise([Status.MET] * 2)
    first, second = charts.status_chart(summary), charts.status_chart(summary)
    assert first == second and first is not second  # a copy each time: a caller may change its own
    assert charts._built.cache_info().hits == 1


def test_the_units_below_chart_counts_each_unit_s_targets_by_status(demo):
    from nghiquyet.figures.scorecard import build_scorecard, children_of
    from nghiquyet.reports.charts import units_chart

    children = children_of(build_scorecard(resolution_key="ct-2021", org_code="CT", period="2021"))
    spec = units_chart(children)
    rows = spec["data"]["values"] if "data" in spec else spec["datasets"][next(iter(spec["datasets"]))]
    by_unit: dict[str, int] = {}
    for row in rows:
        by_unit[row["unit"]] = by_unit.get(row["unit"], 0) + row["n"]
    assert by_unit == {card.org_unit.name: card.summary.total for card in children if card.summary.total}
    assert units_chart([]) is not None  # no unit with targets: an empty chart, never an error
