"""The dashboard of a resolution × org unit × period (figures.dashboard; charts from reports.charts)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from nghiquyet.figures.dashboard import dashboard_seen_by
from nghiquyet.figures.scorecard import scorecard_choices
from nghiquyet.lib.errors import DomainError
from nghiquyet.lib.periods import PeriodError
from nghiquyet.reports import charts
from nghiquyet.web.views import _default_period, _lang, _resolution, allowed


@allowed()
def dashboard_page(request: HttpRequest, key: str) -> HttpResponse:
    """Status chart, targets with badges, percent bars and sparklines, one target drilled into (the units
    below ranked, its trend over the years). An HTMX request (switching unit, period or target) gets the
    dashboard alone."""
    resolution = _resolution(request, key)
    lang = _lang(request)
    units, periods = scorecard_choices(resolution=resolution, user=request.user)
    org_code = request.GET.get("org") or (units[0].code if units else resolution.org_unit.code)
    period_code = request.GET.get("period") or _default_period(request, resolution, periods)
    context: dict[str, Any] = {"resolution": resolution, "org_code": org_code, "period_code": period_code}
    status = 200
    try:
        board = dashboard_seen_by(user=request.user, resolution=resolution, org_code=org_code, period=period_code,
                                  target_code=request.GET.get("target", ""), lang=lang)
        card = board.scorecard
        context |= {"board": board, "scorecard": card, "period_code": card.period.code, "charts": _charts(board, lang)}
        units, periods = scorecard_choices(resolution=resolution, user=request.user, chosen=card.org_unit)
    except (DomainError, PeriodError) as error:
        context["error"] = error.text(lang) if isinstance(error, DomainError) else str(error)
        status = 400
    context |= {"units": units, "periods": periods, "swapped": bool(request.headers.get("HX-Request"))}
    template = "web/_dashboard.html" if context["swapped"] else "web/dashboard.html"
    return render(request, template, context, status=status)


def _charts(board: Any, lang: str) -> dict[str, dict]:
    card, target = board.scorecard, board.target
    made = {"status": charts.status_chart(card.summary, lang=lang)}
    if target is not None:
        if board.children:
            made["ranking"] = charts.ranking_chart(board.children, unit=target.unit, lang=lang,
                                                   title=_("Các đơn vị trực thuộc, xếp theo kết quả"))
        made["trend"] = charts.trend_chart(board.trend(target), unit=target.unit, lang=lang,
                                           title=_("Kế hoạch và thực hiện qua các năm"))
    return made
