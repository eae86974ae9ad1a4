"""The `nghiquyet` command: Django's management commands with the project's settings.

`nghiquyet demo`, `nghiquyet scorecard …`, `nghiquyet createuser …`, and Django's own (`migrate`, `check`).
"""

from __future__ import annotations

import os
import signal
import sys

OWN_COMMANDS = ("demo", "serve", "scorecard", "review", "tasks", "remind", "import", "createuser", "role", "token", "audit", "run-jobs")
ALIASES = {"run-jobs": "run_jobs"}  # Django names commands after modules; people type dashes


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nghiquyet.settings")
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `nghiquyet scorecard … | head` ends quietly
    argv = list(sys.argv if argv is None else argv)
    argv[0] = "nghiquyet"
    if len(argv) == 1:
        print("nghiquyet: theo dõi thực hiện nghị quyết.\n\nLệnh:")
        for name in OWN_COMMANDS:
            print(f"  nghiquyet {name} --help")
        print("  nghiquyet help   (mọi lệnh, kể cả của Django: migrate, check …)")
        return
    from django.core.management import execute_from_command_line

    argv[1] = ALIASES.get(argv[1], argv[1])

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
