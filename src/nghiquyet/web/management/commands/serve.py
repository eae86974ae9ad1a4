"""nghiquyet serve [--host 127.0.0.1] [--port 8000] — migrate, collect static files, serve with waitress."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command

from nghiquyet.audit.commands import AuditedCommand


class Command(AuditedCommand):
    needs_schema = False  # it migrates first
    help = "Chạy trang web và API bằng máy chủ WSGI waitress (không dùng runserver của Django)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)

    def handle(self, *args: Any, **options: Any) -> None:
        from waitress import serve

        call_command("migrate", verbosity=0, interactive=False)
        call_command("collectstatic", verbosity=0, interactive=False)
        # Imported only now: WhiteNoise lists the static files when the application starts.
        from nghiquyet.wsgi import application
        host, port = options["host"], options["port"]
        if host not in settings.ALLOWED_HOSTS and "*" not in settings.ALLOWED_HOSTS and host not in ("0.0.0.0", "::"):
            self.stderr.write(f"Lưu ý: {host} không có trong NGHIQUYET_ALLOWED_HOSTS; trình duyệt sẽ nhận lỗi 400.")
        self.stdout.write(f"nghiquyet đang chạy tại http://{host}:{port}/ (Ctrl+C để dừng)")
        serve(application, host=host, port=port, threads=options["threads"], ident="nghiquyet")
