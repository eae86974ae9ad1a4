"""The charts of dashboards and documents as Vega-Lite specs made with Altair: one spec per chart, rendered in
the browser by the vendored vega-embed (web/static/vendor/charts) and on the server by vl-convert for DOCX and
PDF (`to_png`, `to_svg`), so a chart in a report is the chart on the screen.

Numbers follow Vietnamese conventions in both (1.234,5) through the spec's own `config.locale`, labels are in
the page's language, colours are the status colours of the site's stylesheet. Data go into the spec as values:
a chart carries the few dozen numbers it shows, never a query."""

from __future__ import annotations

import json
from collections.abc import Sequence
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import altair as alt

from nghiquyet.targets.rules import Status, status_label

if TYPE_CHECKING:
    from nghiquyet.figures.dashboard import Cumulative, Point, Ranked
    from nghiquyet.figures.scorecard import Scorecard

NUMBER_LOCALES = {
    "vi": {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["", " đ"]},
    "en": {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["", ""]},
}
COLOURS = {  # web/static/web/site.css
    Status.EXCEEDED: "#0b6b3a", Status.MET: "#2f7d32", Status.NEARLY_MET: "#8a5a00", Status.NOT_MET: "#b3261e",
    Status.IN_PROGRESS: "#0b4f8a", Status.NO_DATA: "#5b6470", Status.NO_PLAN: "#8d96a3",
}
ORDER = [Status.EXCEEDED, Status.MET, Status.NEARLY_MET, Status.IN_PROGRESS, Status.NOT_MET, Status.NO_DATA, Status.NO_PLAN]
WORDS = {
    "vi": {"targets": "Số chỉ tiêu", "status": "Đánh giá", "unit": "Đơn vị", "year": "Năm", "plan": "Kế hoạch",
           "actual": "Thực hiện", "percent": "% kế hoạch", "value": "Giá trị", "series": "", "month": "Tháng"},
    "en": {"targets": "Targets", "status": "Status", "unit": "Unit", "year": "Year", "plan": "Plan",
           "actual": "Actual", "percent": "% of plan", "value": "Value", "series": "", "month": "Month"},
}
VALIDATE = False  # reports/tests/test_charts.py turns it on
FONT = "Tinos, 'Times New Roman', serif"  # documents; the browser uses the page's font (see `finish`)


def _number(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def finish(chart: alt.TopLevelMixin, *, lang: str, title: str = "", width: int = 520) -> dict[str, Any]:
    """The spec as a dict, with the language's number format and a plain look."""
    # Not validated against the Vega-Lite schema on every page (most of a dashboard's time); the tests do (`validated`).
    spec = (chart.properties(width=width, title=title) if title else chart.properties(width=width)).to_dict(validate=VALIDATE)
    spec.setdefault("config", {})
    spec["config"] |= {
        "locale": {"number": NUMBER_LOCALES.get(lang, NUMBER_LOCALES["vi"])},
        "view": {"stroke": None},
        "axis": {"labelFontSize": 12, "titleFontSize": 12, "labelLimit": 260},
        "legend": {"labelFontSize": 12, "titleFontSize": 12, "orient": "bottom"},
        "title": {"fontSize": 14, "anchor": "start"},
    }
    return spec


def status_chart(summary: Any, *, lang: str = "vi", title: str = "") -> dict[str, Any]:
    """How many targets are in each state: one bar per state that has any, in the review's order."""
    counts = summary.as_dict()
    rows = [{"status": status_label(s, lang), "key": s.value, "n": counts.get(s.value, 0)} for s in ORDER if counts.get(s.value)]
    return _made("status", rows=rows, lang=lang, title=title)


def plan_chart(scorecard: Scorecard, *, title: str = "") -> dict[str, Any]:
    """Percent of plan per target (where the rules give one), coloured by status, with the 100 % line."""
    rows = [
        {"target": f"{row.target.code}. {row.target.name}"[:60], "percent": _number(row.percent_of_plan), "status": row.status_label}
        for row in scorecard.rows if row.percent_of_plan is not None
    ]
    return _made("plan", rows=rows, lang=scorecard.lang, title=title)


def ranking_chart(children: Sequence[Ranked], *, unit: str, lang: str = "vi", title: str = "") -> dict[str, Any]:
    """One target at each unit below, best first: the figure as a bar coloured by status, the plan as a tick."""
    rows = [
        {"unit": item.unit.name, "actual": _number(item.row.actual), "plan": _number(item.row.plan), "status": item.row.status_label}
        for item in children if item.row.actual is not None or item.row.plan is not None
    ]
    return _made("ranking", rows=rows, lang=lang, title=title, unit=unit)


def units_chart(children: Sequence[Scorecard], *, lang: str = "vi", title: str = "") -> dict[str, Any]:
    """The units below, each a bar of its targets by status (on its own targets and figures), in their order."""
    rows = [
        {"unit": card.org_unit.name, "status": status_label(status, lang), "key": status.value, "n": card.summary.as_dict().get(status.value, 0)}
        for card in children if card.summary.total for status in ORDER if card.summary.as_dict().get(status.value)
    ]
    return _made("units", rows=rows, lang=lang, title=title, order=[card.org_unit.name for card in children if card.summary.total])


def trend_chart(points: Sequence[Point], *, unit: str, lang: str = "vi", title: str = "") -> dict[str, Any]:
    """A target over the years: the figure as bars, the plan as a line with points."""
    rows = [{"year": str(point.period.start.year), "actual": _number(point.actual), "plan": _number(point.plan)} for point in points]
    return _made("trend", rows=rows, lang=lang, title=title, unit=unit)


def cumulative_chart(cumulative: Cumulative, *, lang: str = "vi", title: str = "") -> dict[str, Any]:
    """A running total month by month, this year beside the year before: as a share of each year's plan where
    both have one (a dashed line at 100%), else as the amounts."""
    as_rate = bool(cumulative.plan and cumulative.before_plan)
    rows = []
    for year, totals, plan in ((cumulative.year - 1, cumulative.before, cumulative.before_plan), (cumulative.year, cumulative.totals, cumulative.plan)):
        for month, total in enumerate(totals, start=1):
            if total is not None:
                shown = total / plan * 100 if as_rate else total
                rows.append({"month": month, "year": str(year), "value": _number(shown)})
    return _made("cumulative", rows=rows, lang=lang, title=title, unit="%" if as_rate else cumulative.target.unit, as_rate=as_rate,
                 months=len(cumulative.totals))


def _made(kind: str, **inputs: Any) -> dict[str, Any]:
    """The spec for these inputs, built once: Altair's objects cost milliseconds per chart, and the same dashboard
    is read by many people between two changes of its figures. A pure function remembered, not state: any
    process builds the same spec from the same inputs."""
    return json.loads(_built(kind, json.dumps(inputs, sort_keys=True, ensure_ascii=False)))


@lru_cache(maxsize=512)
def _built(kind: str, inputs: str) -> str:
    return json.dumps(BUILDERS[kind](**json.loads(inputs)), ensure_ascii=False)


def _status(*, rows: list[dict], lang: str, title: str) -> dict[str, Any]:
    words = WORDS[lang]
    shown = [row["status"] for row in rows]
    colours = [COLOURS[Status(row["key"])] for row in rows]
    chart = alt.Chart(alt.Data(values=rows)).mark_bar().encode(
        y=alt.Y("status:N", title=None, sort=shown),
        x=alt.X("n:Q", title=words["targets"], axis=alt.Axis(format=",d", tickMinStep=1)),
        color=alt.Color("status:N", scale=alt.Scale(domain=shown, range=colours), legend=None),
    )
    labels = chart.mark_text(align="left", dx=4).encode(text=alt.Text("n:Q", format=",d"), color=alt.value("#1b1f24"))
    return finish(chart + labels, lang=lang, title=title, width=420)


def _plan(*, rows: list[dict], lang: str, title: str) -> dict[str, Any]:
    words = WORDS[lang]
    shown = [status_label(s, lang) for s in ORDER]
    bars = alt.Chart(alt.Data(values=rows)).mark_bar().encode(
        y=alt.Y("target:N", title=None, sort=None),
        x=alt.X("percent:Q", title=words["percent"], axis=alt.Axis(format=",.0f")),
        color=alt.Color("status:N", title=words["status"], scale=alt.Scale(domain=shown, range=[COLOURS[s] for s in ORDER])),
    )
    hundred = alt.Chart(alt.Data(values=[{"x": 100}])).mark_rule(color="#1b1f24", strokeDash=[4, 3]).encode(x="x:Q")
    return finish(bars + hundred, lang=lang, title=title)


def _ranking(*, rows: list[dict], lang: str, title: str, unit: str) -> dict[str, Any]:
    words = WORDS[lang]
    order = [row["unit"] for row in rows]
    shown = [status_label(s, lang) for s in ORDER]
    base = alt.Chart(alt.Data(values=rows)).encode(y=alt.Y("unit:N", title=None, sort=order))
    bars = base.mark_bar().encode(
        x=alt.X("actual:Q", title=f"{words['actual']} ({unit})" if unit else words["actual"], axis=alt.Axis(format=",~f")),
        color=alt.Color("status:N", title=words["status"], scale=alt.Scale(domain=shown, range=[COLOURS[s] for s in ORDER])),
    )
    plans = base.mark_tick(color="#1b1f24", thickness=2, size=14).encode(x=alt.X("plan:Q"))
    return finish(bars + plans, lang=lang, title=title)


def _trend(*, rows: list[dict], lang: str, title: str, unit: str) -> dict[str, Any]:
    words = WORDS[lang]
    base = alt.Chart(alt.Data(values=rows)).encode(x=alt.X("year:O", title=words["year"], axis=alt.Axis(labelAngle=0)))
    axis = alt.Axis(format=",~f", title=f"{words['value']} ({unit})" if unit else words["value"])
    bars = base.mark_bar(color="#2f5d8a", opacity=0.85).encode(y=alt.Y("actual:Q", axis=axis))
    plan = base.mark_line(color="#9b1c1c", point=True, strokeDash=[5, 3]).encode(y=alt.Y("plan:Q"))
    legend = alt.Chart(alt.Data(values=[{"k": words["actual"]}, {"k": words["plan"]}])).mark_point(opacity=0).encode(
        color=alt.Color("k:N", title=None, scale=alt.Scale(domain=[words["actual"], words["plan"]], range=["#2f5d8a", "#9b1c1c"]))
    )
    return finish(bars + plan + legend, lang=lang, title=title, width=420)


def _units(*, rows: list[dict], lang: str, title: str, order: list[str]) -> dict[str, Any]:
    words = WORDS[lang]
    shown = [status_label(s, lang) for s in ORDER]
    chart = alt.Chart(alt.Data(values=rows)).mark_bar().encode(
        y=alt.Y("unit:N", title=None, sort=order),
        x=alt.X("n:Q", title=words["targets"], stack="zero", axis=alt.Axis(format=",~f", tickMinStep=1)),
        color=alt.Color("status:N", title=words["status"], scale=alt.Scale(domain=shown, range=[COLOURS[s] for s in ORDER])),
        order=alt.Order("order:Q"),
    ).transform_calculate(order=f"indexof({json.dumps(shown, ensure_ascii=False)}, datum.status)")
    return finish(chart, lang=lang, title=title)


def _cumulative(*, rows: list[dict], lang: str, title: str, unit: str, as_rate: bool, months: int) -> dict[str, Any]:
    words = WORDS[lang]
    years = sorted({row["year"] for row in rows})
    axis = alt.Axis(format=",~f", title=(words["percent"] if as_rate else f"{words['value']} ({unit})" if unit else words["value"]))
    lines = alt.Chart(alt.Data(values=rows)).mark_line(point=True).encode(
        x=alt.X("month:O", title=words["month"], scale=alt.Scale(domain=list(range(1, months + 1))), axis=alt.Axis(labelAngle=0)),
        y=alt.Y("value:Q", axis=axis),
        color=alt.Color("year:N", title=words["year"], scale=alt.Scale(domain=years, range=["#9aa4b2", "#2f5d8a"][-len(years):])),
    )
    if not as_rate:
        return finish(lines, lang=lang, title=title, width=420)
    hundred = alt.Chart(alt.Data(values=[{"y": 100}])).mark_rule(color="#1b1f24", strokeDash=[2, 2], opacity=0.6).encode(y="y:Q")
    return finish(lines + hundred, lang=lang, title=title, width=420)


BUILDERS = {"cumulative": _cumulative, "status": _status, "plan": _plan, "ranking": _ranking, "trend": _trend, "units": _units}


def to_png(spec: dict[str, Any], *, scale: float = 2) -> bytes:
    """The chart as PNG for documents, rendered by vl-convert with the documents' font."""
    import vl_convert

    return vl_convert.vegalite_to_png(_for_documents(spec), scale=scale)


def to_svg(spec: dict[str, Any]) -> str:
    import vl_convert

    return vl_convert.vegalite_to_svg(_for_documents(spec))


def _for_documents(spec: dict[str, Any]) -> dict[str, Any]:
    config = dict(spec.get("config", {}))
    config["font"] = FONT
    return spec | {"config": config, "background": "white"}
