"""Base for the project's management commands: a user's mistake is one clear line and exit status 2,
never a traceback."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from nghiquyet.audit.context import acting_as, cli_actor
from nghiquyet.lib.errors import DomainError
from nghiquyet.lib.periods import PeriodError


class UserFacingCommand(BaseCommand):
    lang = "vi"

    def execute(self, *args: Any, **options: Any) -> str | None:
        try:
            with acting_as(cli_actor()):
                return super().execute(*args, **options)
        except DomainError as error:
            self._fail(error.text(self.lang))
        except (PeriodError, CommandError) as error:
            self._fail(str(error))
        return None

    def _fail(self, message: str) -> None:
        self.stderr.write(f"Lỗi: {message}" if self.lang == "vi" else f"Error: {message}")
        sys.exit(2)
