"""Shared fixtures. Every test that touches the database runs in a transaction rolled back afterwards."""

from __future__ import annotations

import pytest


@pytest.fixture
def demo(db):
    """The illustrative Cần Thơ 2021 data, loaded through the import path (tables are already migrated)."""
    from nghiquyet.demo.loader import load_demo

    return load_demo(migrate=False)
