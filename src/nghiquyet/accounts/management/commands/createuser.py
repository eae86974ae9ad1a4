"""nghiquyet createuser USERNAME [--admin]; the password comes from NGHIQUYET_PASSWORD or a prompt."""

from __future__ import annotations

import getpass
import os
import sys
from typing import Any

from nghiquyet.accounts.services import create_user
from nghiquyet.audit.commands import AuditedCommand
from nghiquyet.lib.errors import Invalid


class Command(AuditedCommand):
    help = "Tạo tài khoản người dùng (mật khẩu lấy từ NGHIQUYET_PASSWORD hoặc nhập khi được hỏi)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("username")
        parser.add_argument("--admin", action="store_true", help="quản trị hệ thống (superuser)")

    def handle(self, *args: Any, **options: Any) -> None:
        password = os.environ.get("NGHIQUYET_PASSWORD")
        if password is None:
            if not sys.stdin.isatty():
                raise Invalid("Không có mật khẩu: đặt NGHIQUYET_PASSWORD hoặc chạy lệnh trong terminal.")
            password = getpass.getpass("Mật khẩu: ")
            if password != getpass.getpass("Nhập lại mật khẩu: "):
                raise Invalid("Hai lần nhập mật khẩu không khớp.")
        user = create_user(username=options["username"], password=password, admin=options["admin"])
        role = "quản trị hệ thống" if user.is_superuser else "người dùng"
        self.stdout.write(f"Đã tạo tài khoản {user.username} ({role}).")
