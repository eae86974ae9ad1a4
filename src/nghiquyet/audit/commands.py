"""The base of the project's commands: lib.commands.UserFacingCommand, acting as `cli:NAME` for the audit
trail and reading access within one scope."""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Any

from nghiquyet.audit.context import acting_as, cli_actor
from nghiquyet.lib.commands import UserFacingCommand


class AuditedCommand(UserFacingCommand):
    def context(self) -> AbstractContextManager[Any]:
        return acting_as(cli_actor())
