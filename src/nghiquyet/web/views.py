"""The web UI: HTMX-enhanced pages over the same services as the API and the CLI."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from nghiquyet.accounts.permissions import Action, may
from nghiquyet.lib.errors import DomainError
from nghiquyet.lib.periods import PeriodError, parse_period
from nghiquyet.orgunits import services as orgunit_services
from nghiquyet.targets.checks import check_period_in_term
from nghiquyet.targets.models import Resolution, Result
from nghiquyet.targets.rules import DIRECTION_LABELS_VI, Direction
from nghiquyet.targets.scorecard import scorecard_choices, scorecard_for, target_history


def allowed(action: Action) -> Callable:
    """Log-in required, then the access rule for `action` (accounts.permissions), else 403."""

    def decorate(view: Callable) -> Callable:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not may(request.user, action):
                return render(request, "web/error.html", {"message": "Bạn không có quyền xem trang này."}, status=403)
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


@allowed(Action.VIEW)
def home(request: HttpRequest) -> HttpResponse:
    """Resolutions grouped by owner unit, newest term first."""
    groups: dict[tuple[str, str], list[Resolution]] = defaultdict(list)
    for resolution in Resolution.objects.select_related("org_unit", "parent").order_by("org_unit__path", "-term_start", "issued_on", "key"):
        groups[(resolution.org_unit.name, resolution.term)].append(resolution)
    return render(request, "web/home.html", {"groups": [(unit, term, items) for (unit, term), items in groups.items()]})


@allowed(Action.VIEW)
def resolution_page(request: HttpRequest, key: str) -> HttpResponse:
    resolution = get_object_or_404(Resolution.objects.select_related("org_unit", "parent"), key=key)
    units, periods = scorecard_choices(resolution=resolution)
    targets = list(resolution.targets.order_by("position", "code"))
    return render(
        request,
        "web/resolution.html",
        {
            "resolution": resolution,
            "targets": [(t, DIRECTION_LABELS_VI[Direction(t.direction)]) for t in targets],
            "periods": periods,
            "children": resolution.children.order_by("key"),
        },
    )


def _default_period(resolution: Resolution, periods: list) -> str:
    """The newest period with official or estimated results at the owner unit; else the newest with data."""
    owned = (
        Result.objects.filter(target__resolution=resolution, org_unit=resolution.org_unit)
        .values_list("period", flat=True)
        .distinct()
    )
    candidates = sorted((parse_period(code) for code in owned), key=lambda p: (p.end, -p.start.toordinal()))
    if candidates:
        return candidates[-1].code
    return periods[0].code if periods else str(resolution.term_start or "")


@allowed(Action.VIEW)
def scorecard_page(request: HttpRequest, key: str) -> HttpResponse:
    """The scorecard; an HTMX request (switching unit or period) gets the table alone."""
    resolution = get_object_or_404(Resolution.objects.select_related("org_unit"), key=key)
    units, periods = scorecard_choices(resolution=resolution)
    org_code = request.GET.get("org") or resolution.org_unit.code
    period_code = request.GET.get("period") or _default_period(resolution, periods)
    context: dict[str, Any] = {
        "resolution": resolution,
        "units": units,
        "periods": periods,
        "org_code": org_code,
        "period_code": period_code,
    }
    status = 200
    try:
        period = parse_period(period_code)
        check_period_in_term(resolution, period)
        unit = orgunit_services.resolve(code=org_code, period=period)
        context["scorecard"] = scorecard_for(resolution=resolution, org_unit=unit, period=period)
        context["period_code"] = period.code
    except (DomainError, PeriodError) as error:
        context["error"] = str(error)
        status = 400
    template = "web/_scorecard.html" if request.headers.get("HX-Request") else "web/scorecard.html"
    return render(request, template, context, status=status)


@allowed(Action.VIEW)
def target_page(request: HttpRequest, key: str, code: str) -> HttpResponse:
    resolution = get_object_or_404(Resolution.objects.select_related("org_unit"), key=key)
    target = get_object_or_404(resolution.targets, code=code)
    target.resolution = resolution
    history = target_history(target=target)
    by_period: dict[str, list] = defaultdict(list)
    for item in history:
        by_period[item.period.code].append(item)
    return render(
        request,
        "web/target.html",
        {
            "resolution": resolution,
            "target": target,
            "direction_label": DIRECTION_LABELS_VI[Direction(target.direction)],
            "history": [(items[0].period, items) for items in by_period.values()],
        },
    )
