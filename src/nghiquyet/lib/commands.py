"""Base for the project's management commands: a user's mistake is one clear line and exit status 2,
never a traceback; a command that needs the database's tables says what to run when they are missing."""

from __future__ import annotations

import sys
from contextlib import AbstractContextManager, nullcontext
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

from nghiquyet.lib.errors import DomainError
from nghiquyet.lib.periods import PeriodError


def unapplied_migrations(alias: str = DEFAULT_DB_ALIAS) -> int:
    """How many migrations the database still lacks (all of them on a fresh one)."""
    executor = MigrationExecutor(connections[alias])
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


class UserFacingCommand(BaseCommand):
    lang = "vi"
    needs_schema = True  # commands that migrate first (demo, serve) turn this off

    def context(self) -> AbstractContextManager[Any]:
        """Around the command (subclasses: who is acting, for the audit trail)."""
        return nullcontext()

    def execute(self, *args: Any, **options: Any) -> str | None:
        try:
            if self.needs_schema and unapplied_migrations():
                raise CommandError(
                    "cơ sở dữ liệu chưa được tạo hoặc chưa cập nhật; chạy trước: nghiquyet migrate"
                    if self.lang == "vi"
                    else "the database is not set up or not up to date; run first: nghiquyet migrate"
                )
            with self.context():
                return super().execute(*args, **options)
        except DomainError as error:
            self._fail(error.text(self.lang))
        except (PeriodError, CommandError) as error:
            self._fail(str(error))
        return None

    def _fail(self, message: str) -> None:
        self.stderr.write(f"Lỗi: {message}" if self.lang == "vi" else f"Error: {message}")
        sys.exit(2)


def add_place_arguments(parser: Any) -> None:
    """--resolution, --org, --period: the place of a scorecard, a template or a report on the command line."""
    parser.add_argument("--resolution", required=True, help="khóa nghị quyết, ví dụ ct-2021")
    parser.add_argument("--org", required=True, help="mã đơn vị, ví dụ CT")
    parser.add_argument("--period", required=True, help='kỳ: "2021", "2021-H1", "2021-Q3", "2021-06", "2020-2025"')
