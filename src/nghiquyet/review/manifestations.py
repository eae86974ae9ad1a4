"""The 27 manifestations of degradation (NQ 04-NQ/TW, 2016): 3 groups × 9, in review/manifestations.json
with our own short wording and how sure we are of each item."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

DATA: dict[str, Any] = json.loads(resources.files("nghiquyet.review").joinpath("manifestations.json").read_text(encoding="utf-8"))
ITEMS: dict[str, dict[str, Any]] = {item["code"]: item for group in DATA["groups"] for item in group["items"]}
CODES: tuple[str, ...] = tuple(ITEMS)
