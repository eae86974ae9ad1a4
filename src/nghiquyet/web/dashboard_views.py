"""The dashboard of a resolution × org unit × period (figures.dashboard; charts from reports.charts).

What it shows is computed once per generation of the resolution's figures (figures.generations, bumped by the
figure-write service in the same transaction as any change of a plan, a result or its state) and kept in the
cache for everyone who may see the same units in the same language: the next reader of an unchanged dashboard
gets it in a few milliseconds, the first reader after a change computes it again. Names of targets and units
edited meanwhile show within CACHE_SECONDS. The unit's follow-up panel is kept the same way under the tasks'
generation (followup.generations, moved by every change of a task) for one reader and one day."""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from nghiquyet import __version__
from nghiquyet.accounts.permissions import grants, may_view_figures
from nghiquyet.figures import generations
from nghiquyet.figures.dashboard import dashboard_seen_by
from nghiquyet.figures.scorecard import locate, scorecard_choices
from nghiquyet.followup import generations as task_generations
from nghiquyet.followup.reads import summary_of
from nghiquyet.lib.errors import DomainError, NotFound
from nghiquyet.lib.periods import PeriodError
from nghiquyet.lib.validation import check_no_nul
from nghiquyet.reports import charts
from nghiquyet.web.views import _default_period, _lang, _resolution, allowed

CACHE_SECONDS = 300


@allowed()
def dashboard_page(request: HttpRequest, key: str) -> HttpResponse:
    """Status chart, targets with badges, percent bars and sparklines, one target drilled into (the units
    below ranked, its trend over the years). An HTMX request (switching unit, period or target) gets the
    dashboard alone."""
    resolution = _resolution(request, key)
    lang = _lang(request)
    units, periods = [], []
    if not (request.GET.get("org") and request.GET.get("period")):  # the defaults come from the choices
        units, periods = _choices(request, resolution)
    org_code = request.GET.get("org") or (units[0].code if units else resolution.org_unit.code)
    period_code = request.GET.get("period") or _default_period(request, resolution, periods)
    target_code = request.GET.get("target", "")
    context: dict[str, Any] = {"resolution": resolution, "org_code": org_code, "period_code": period_code}
    status = 200
    try:
        check_no_nul(target_code, "target")
        unit, period = locate(resolution=resolution, org_code=org_code, period=period_code)
        if not may_view_figures(request.user, unit):
            raise NotFound(f'Không tìm thấy đơn vị có mã "{org_code}".', en=f'No org unit with code "{org_code}".', field="org_unit")
        _read_ahead(request, resolution, unit, period, org_code, target_code, lang)
        context |= {"period_code": period.code, "body": mark_safe(_body(request, resolution, unit, period, target_code, lang))}  # noqa: S308 (our template's output)
        context["followup"] = _followup(request, unit, lang)
        units, periods = _choices(request, resolution, unit)
    except (DomainError, PeriodError) as error:
        context["error"] = error.text(lang) if isinstance(error, DomainError) else str(error)
        status = 400
        if not units:
            units, periods = _choices(request, resolution)
    context |= {"units": units, "periods": periods, "swapped": bool(request.headers.get("HX-Request"))}
    if not context["swapped"]:
        context["picker"] = _picker(request, resolution, context, lang)
    template = "web/_dashboard.html" if context["swapped"] else "web/dashboard.html"
    return render(request, template, context, status=status)


def _picker(request: HttpRequest, resolution: Any, context: dict[str, Any], lang: str) -> str:
    """The unit and period picker's HTML (a few hundred options on a national resolution: most of a kept
    dashboard's time), kept like the choices it shows."""
    key, generation = _cache_key(request, "picker", resolution, context["org_code"], context["period_code"], lang)
    html = _kept(request, key, generation, lambda: render_to_string("web/_pick_place.html", {
        **context, "action": reverse("web:dashboard", args=[resolution.key]), "target": "dashboard"}, request))
    return mark_safe(html)  # noqa: S308 (our template's output)


def _cache_key(request: HttpRequest, kind: str, resolution: Any, *parts: Any) -> tuple[str, str | None]:
    """A key for what this user's view of the resolution shows under its current figures generation (None
    when the resolution has none yet: nothing is kept then), read once per request. Readers with the same
    grants share it."""
    if not hasattr(request, "_figures_generation"):
        request._figures_generation = generations.current(resolution.pk)
    generation = request._figures_generation
    return _key(kind, resolution.pk, generation, _seen(request), *parts), generation


def _key(kind: str, *parts: Any) -> str:
    """A cache key of the dashboard's: its kind and a digest of what it depends on, with the release (a new
    release renders anew)."""
    text = "|".join(map(str, [__version__, *parts]))
    return f"dashboard:{kind}:1:" + hashlib.sha256(text.encode()).hexdigest()


def _seen(request: HttpRequest) -> str:
    """What the reader may see, as a key's part: readers with the same grants share what is kept."""
    return "all" if request.user.is_superuser else ",".join(sorted(f"{g.path}:{g.rank}" for g in grants(request.user)))


def _kept(request: HttpRequest, key: str, generation: str | None, make: Any) -> Any:
    """What `make()` returns, from the cache under `key` when it was made under the same figures generation;
    nothing is kept before the resolution's first figure (generation None). Keys read ahead by `_read_ahead`
    are not asked for again."""
    ahead = getattr(request, "_read_ahead", {})
    kept = (ahead[key] if key in ahead else cache.get(key)) if generation else None
    if kept is None:
        kept = make()
        if generation:
            cache.set(key, kept, CACHE_SECONDS)
    return kept


def _read_ahead(request: HttpRequest, resolution: Any, unit: Any, period: Any, org_code: str, target_code: str, lang: str) -> None:
    """The body, the choices, the picker and the follow-up panel of this dashboard, with the tasks' generation,
    in one read of the cache (one round trip, not five): a kept dashboard costs the figures' generation and
    this read."""
    keys = [_followup_key(request, unit, lang), task_generations.KEY]
    body, generation = _cache_key(request, "body", resolution, unit.pk, period.code, target_code, lang)
    if generation is not None:  # else nothing is kept yet
        keys += [body, _cache_key(request, "choices", resolution, unit.pk)[0]]
        if not request.headers.get("HX-Request"):
            keys.append(_cache_key(request, "picker", resolution, org_code, period.code, lang)[0])
    found = cache.get_many(keys)
    request._read_ahead = {key: found.get(key) for key in keys}


def _followup_key(request: HttpRequest, unit: Any, lang: str) -> str:
    """The follow-up panel's key: the unit, the reader (the tasks one may see: one's own, and those of the
    units one's grants reach), the language and the day (a deadline passing turns a task overdue)."""
    seen = _seen(request) if request.user.is_superuser else f"{request.user.pk}|{_seen(request)}"
    return _key("followup", unit.pk, seen, lang, timezone.localdate())


def _followup(request: HttpRequest, unit: Any, lang: str) -> str:
    """The unit's open and overdue tasks and vacant posts (followup.reads.summary_of) as the panel's HTML,
    kept with the tasks' generation it was read under and used while that generation is current, so a task
    closed shows on the next request. Kept as HTML, what the page shows and nothing more (not the rows the
    summary was read from)."""
    key = _followup_key(request, unit, lang)
    ahead = getattr(request, "_read_ahead", {})
    generation = task_generations.current(ahead.get(task_generations.KEY))
    kept = ahead[key] if key in ahead else cache.get(key)
    if kept is not None and kept[0] == generation:
        return mark_safe(kept[1])  # noqa: S308 (our template's output)
    summary = summary_of(org_unit=unit, today=timezone.localdate(), user=request.user)
    html = render_to_string("web/_followup_panel.html", {"followup": summary, "org_code": unit.code}, request)
    cache.set(key, (generation, html), CACHE_SECONDS)
    return mark_safe(html)  # noqa: S308 (our template's output)


def _choices(request: HttpRequest, resolution: Any, chosen: Any = None) -> tuple[list, list]:
    """The picker's units and periods (figures.scorecard.scorecard_choices), kept like the body: the periods
    change only with the figures; units renamed or added show within CACHE_SECONDS."""
    key, generation = _cache_key(request, "choices", resolution, chosen.pk if chosen is not None else "")
    return _kept(request, key, generation, lambda: scorecard_choices(resolution=resolution, user=request.user, chosen=chosen))


def _body(request: HttpRequest, resolution: Any, unit: Any, period: Any, target_code: str, lang: str) -> str:
    """The dashboard's HTML, from the cache when the figures have not changed since it was made."""
    key, generation = _cache_key(request, "body", resolution, unit.pk, period.code, target_code, lang)

    def make() -> str:
        board = dashboard_seen_by(user=request.user, resolution=resolution, org_code=unit.code, period=period,
                                  target_code=target_code, lang=lang)
        return render_to_string("web/_dashboard_body.html", {"board": board, "scorecard": board.scorecard,
                                                             "charts": _charts(board, lang)}, request)

    return _kept(request, key, generation, make)


def _charts(board: Any, lang: str) -> dict[str, Any]:
    card, target = board.scorecard, board.target
    made: dict[str, Any] = {"status": charts.status_chart(card.summary, lang=lang)}
    made["cumulative"] = [(cumulative, charts.cumulative_chart(cumulative, lang=lang, title=_("Lũy kế từ đầu năm theo tháng, so với cùng kỳ")))
                          for cumulative in board.cumulative]
    if target is not None:
        if any(item.row.actual is not None or item.row.plan is not None for item in board.children):
            made["ranking"] = charts.ranking_chart(board.children, unit=target.unit, lang=lang,
                                                   title=_("Các đơn vị trực thuộc, xếp theo kết quả"))
        made["trend"] = charts.trend_chart(board.trend(target), unit=target.unit, lang=lang,
                                           title=_("Kế hoạch và thực hiện qua các năm"))
    return made
