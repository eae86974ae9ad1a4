"""Who may see and change resolutions and targets: their owner unit's rules (accounts.permissions),
and a resolution is visible too to anyone with a role below its owner (a ward sees the city's plan)."""

from __future__ import annotations

from typing import Any

from nghiquyet.accounts.permissions import Access, Action, may, register, unit_rule
from nghiquyet.lib.errors import NotFound
from nghiquyet.targets.models import Resolution, Target


def resolution_rule(access: Access, action: str, resolution: Resolution) -> bool:
    return unit_rule(access, action, resolution.org_unit)


def target_rule(access: Access, action: str, target: Target) -> bool:
    return unit_rule(access, action, target.resolution.org_unit)


def register_rules() -> None:
    register(Resolution, resolution_rule)
    register(Target, target_rule)





def visible_resolution(user: Any, key: str) -> Resolution:
    """The resolution, if the user may see it; the same "not found" otherwise, whether or not it exists."""
    resolution = Resolution.objects.select_related("org_unit", "parent").filter(key=(key or "").strip()).first()
    if resolution is None or not may(user, Action.VIEW, resolution):
        raise NotFound(f'Không tìm thấy nghị quyết có khóa "{key}".', en=f'No resolution with key "{key}".', field="resolution")
    return resolution
