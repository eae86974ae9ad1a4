"""nghiquyet serve [--host 127.0.0.1] [--port 8000] [--workers N] [--threads T] — migrate, collect static
files, then serve with gunicorn: one worker process per core (Python runs one thread at a time per
process), each with a few threads for requests that wait on the database."""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.management import call_command

from nghiquyet.audit.commands import AuditedCommand


class Command(AuditedCommand):
    needs_schema = False  # it migrates first
    help = "Chạy trang web và API bằng máy chủ WSGI gunicorn, mỗi lõi CPU một tiến trình (không dùng runserver của Django)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="số tiến trình (mặc định: số lõi CPU)")
        parser.add_argument("--threads", type=int, default=4, help="số luồng mỗi tiến trình")

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", verbosity=0, interactive=False)
        call_command("collectstatic", verbosity=0, interactive=False)
        host, port = options["host"], options["port"]
        if host not in settings.ALLOWED_HOSTS and "*" not in settings.ALLOWED_HOSTS and host not in ("0.0.0.0", "::"):
            self.stderr.write(f"Lưu ý: {host} không có trong NGHIQUYET_ALLOWED_HOSTS; trình duyệt sẽ nhận lỗi 400.")
        self.stdout.write(
            f"nghiquyet đang chạy tại http://{host}:{port}/ với {options['workers']} tiến trình × {options['threads']} luồng (Ctrl+C để dừng)"
        )
        self.stdout.flush()
        run_gunicorn(bind=f"{host}:{port}", workers=options["workers"], threads=options["threads"])


def run_gunicorn(**config: Any) -> None:
    """Serve nghiquyet.wsgi with gunicorn (imported here: only `serve` needs it)."""
    from gunicorn.app.base import BaseApplication

    class _Server(BaseApplication):
        def load_config(self) -> None:
            hooks = {"post_worker_init": _start_task_worker}
            for key, value in (config | hooks | {"worker_class": "gthread", "accesslog": "-", "graceful_timeout": 10}).items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            # Imported in each worker: WhiteNoise lists the static files when the application starts.
            from nghiquyet.wsgi import application

            return application

    _Server().run()


def _start_task_worker(_worker: Any) -> None:
    """In each app process: the task queue's worker thread, unless a separate worker is configured."""
    from nghiquyet.schedule.worker import start_in_process

    start_in_process()
