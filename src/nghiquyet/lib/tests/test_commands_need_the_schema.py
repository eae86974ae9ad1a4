"""A command run on a database that was never migrated says in one line what to run first, instead of
dying with "no such table"; the commands that migrate by themselves (demo, serve) just work."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[4]


def nghiquyet(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    env = os.environ | {"DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite3'}", "NGHIQUYET_VAR": str(tmp_path)}
    return subprocess.run(
        [sys.executable, "-m", "nghiquyet.cli", *args], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120
    )


@pytest.mark.parametrize(
    "args",
    [
        ("import", "results.csv"),
        ("scorecard", "--resolution", "ct-2021", "--org", "CT", "--period", "2021"),
        ("role", "list"),
        ("audit",),
    ],
)
def test_a_command_on_a_fresh_database_says_to_migrate_first(tmp_path, args):
    (tmp_path / "results.csv").write_text("resolution,target,org_unit,period,value\n", encoding="utf-8")
    done = nghiquyet(tmp_path, *args)
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "nghiquyet migrate" in lines[0], done.stderr
    assert "Traceback" not in done.stderr and "no such table" not in done.stderr
