"""Template filters for Vietnamese figures and dates (lib.vnformat)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django import template
from django.utils import translation
from django.utils.html import format_html

from nghiquyet.audit.services import as_json
from nghiquyet.followup.rules import cadence_words, deadline_text
from nghiquyet.lib.periods import Period
from nghiquyet.lib.vnformat import format_date_long, format_date_short, format_number, format_percent

register = template.Library()


def _page_lang() -> str:
    """The page's language as the domain's words know it: "en" or "vi"."""
    return "en" if (translation.get_language() or "vi").startswith("en") else "vi"


@register.filter
def deadline_of(task: object) -> str:
    """A task's deadline, or "thường xuyên, hằng tháng" (followup.rules.deadline_text), in the page's language."""
    return deadline_text(task.deadline, task.cadence, _page_lang())


@register.filter
def cadence_of(task: object) -> str:
    """A recurring task's cadence alone ("hằng tháng"), or "thường xuyên" where it has none."""
    lang = _page_lang()
    return cadence_words(task.cadence, lang) or deadline_text(None, "", lang)


@register.filter
def vn_number(value: Decimal | int | None, decimals: int = 2) -> str:
    return format_number(value, int(decimals))


@register.filter
def vn_percent(value: Decimal | None) -> str:
    return format_percent(value)


@register.simple_tag(takes_context=True)
def period_label(context: dict, period: Period) -> str:
    """A period's name in the page's language ("năm 2021" / "2021")."""
    request = context.get("request")
    lang = "en" if request is not None and getattr(request, "LANGUAGE_CODE", "vi").startswith("en") else "vi"
    return period.label(lang)


@register.filter(name="as_json")
def as_json_filter(value: object) -> str:
    """An audit event's old/new values as JSON text (the same as the CSV export)."""
    return as_json(value)


@register.filter
def vn_date(value: date | None) -> str:
    return format_date_short(value) if value else ""


@register.filter
def vn_date_long(value: date | None) -> str:
    """"ngày 18 tháng 12 năm 2020"; on English pages "18 December 2020"."""
    if not value:
        return ""
    if _page_lang() == "en":
        return f"{value.day} {value:%B} {value.year}"
    return format_date_long(value)


@register.filter
def shared_codes(units: list) -> set[str]:
    """The codes that name more than one of these units (a code reused after the 2025 reform): only those
    need their validity dates to be told apart in a list."""
    seen: set[str] = set()
    shared: set[str] = set()
    for unit in units or ():
        (shared if unit.code in seen else seen).add(unit.code)
    return shared


SPARK_W, SPARK_H, BAR_W, BAR_H = 96, 24, 120, 14


@register.simple_tag
def sparkline(points: list, label: str = "") -> str:
    """A target's figures over the years as a small inline SVG (attributes only: the page's CSP allows no
    style attribute): the line of actual values, its last point marked; empty when fewer than two years have one."""
    values = [(n, float(p.actual)) for n, p in enumerate(points) if p.actual is not None]
    if len(values) < 2:
        return ""
    low, high = min(v for _, v in values), max(v for _, v in values)
    span, steps = (high - low) or 1.0, max(len(points) - 1, 1)

    def xy(n: int, v: float) -> str:
        return f"{2 + n * (SPARK_W - 4) / steps:.1f},{SPARK_H - 3 - (v - low) / span * (SPARK_H - 6):.1f}"

    line = " ".join(xy(n, v) for n, v in values)
    last = xy(*values[-1]).split(",")
    return format_html(
        '<svg class="spark" width="{}" height="{}" viewBox="0 0 {} {}" role="img" aria-label="{}"><polyline points="{}" fill="none" '
        'stroke="#2f5d8a" stroke-width="1.6"/><circle cx="{}" cy="{}" r="2.4" fill="#2f5d8a"/></svg>',
        SPARK_W, SPARK_H, SPARK_W, SPARK_H, label, line, last[0], last[1],
    )


@register.simple_tag
def percent_bar(percent: Decimal | None, status: str = "") -> str:
    """Percent of plan as a bar (0–150 %, a mark at 100 %), an inline SVG coloured by status class."""
    if percent is None:
        return ""
    width = max(0.0, min(float(percent), 150.0)) / 150 * BAR_W
    hundred = 100 / 150 * BAR_W
    return format_html(
        '<svg class="pbar {}" width="{}" height="{}" viewBox="0 0 {} {}" aria-hidden="true"><rect class="track" x="0" y="3" width="{}" '
        'height="8"/><rect class="fill" x="0" y="3" width="{}" height="8"/><line x1="{}" x2="{}" y1="0" y2="{}" '
        'stroke="#1b1f24" stroke-width="1"/></svg>',
        status, BAR_W, BAR_H, BAR_W, BAR_H, BAR_W, f"{width:.1f}", f"{hundred:.1f}", f"{hundred:.1f}", BAR_H,
    )


@register.filter
def trend_of(board: object, target: object) -> list:
    """A dashboard's points for one target (figures.dashboard.Dashboard.trend)."""
    return board.trend(target)  # type: ignore[attr-defined]


@register.filter
def get_item(mapping: object, key: object) -> object:
    """`mapping[key]`, or None (a template cannot index a dict by a variable)."""
    return mapping.get(key) if isinstance(mapping, dict) else None
