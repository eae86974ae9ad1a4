"""nghiquyet token create USERNAME [--expires DATE] [--name LABEL] [--scope read|read-write]
nghiquyet token list USERNAME
nghiquyet token revoke ID"""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django.utils import timezone

from nghiquyet.accounts import services
from nghiquyet.accounts.models import ApiToken, TokenScope
from nghiquyet.audit.commands import AuditedCommand
from nghiquyet.lib.errors import Invalid, NotFound


class Command(AuditedCommand):
    help = "Khóa API cá nhân: tạo (in ra một lần), liệt kê, thu hồi."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="tạo khóa mới cho USERNAME; khóa chỉ in ra một lần")
        create.add_argument("username")
        create.add_argument("--expires", help="ngày hết hạn, YYYY-MM-DD (hết hạn cuối ngày đó)")
        create.add_argument("--name", default="", help="tên gợi nhớ")
        create.add_argument("--scope", choices=TokenScope.values, default=TokenScope.READ)
        listing = sub.add_parser("list", help="các khóa của USERNAME")
        listing.add_argument("username")
        revoke = sub.add_parser("revoke", help="thu hồi khóa theo ID")
        revoke.add_argument("id", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        match options["action"]:
            case "create":
                expires = None
                if options["expires"]:
                    try:
                        day = datetime.strptime(options["expires"], "%Y-%m-%d").date()
                    except ValueError:
                        raise Invalid(f'Ngày "{options["expires"]}" không hợp lệ; viết dạng 2027-01-31.') from None
                    expires = timezone.make_aware(datetime.combine(day, time.max))
                user = services.get_user(username=options["username"])
                token, secret = services.create_token(user=user, name=options["name"], scope=options["scope"], expires_at=expires)
                self.stdout.write(secret)
                self.stderr.write(f"Khóa #{token.pk} ({token.get_scope_display()}) — chỉ in ra lần này; hãy lưu lại.")
            case "list":
                user = services.get_user(username=options["username"])
                for token in ApiToken.objects.filter(user=user).order_by("pk"):
                    state = "đã thu hồi" if token.revoked_at else ("hết hạn" if not token.is_usable else "đang dùng")
                    expires = token.expires_at.date().isoformat() if token.expires_at else "-"
                    self.stdout.write(f"{token.pk}\t{token.hint}…\t{token.scope}\t{expires}\t{state}\t{token.name}")
            case "revoke":
                token = ApiToken.objects.filter(pk=options["id"]).select_related("user").first()
                if token is None:
                    raise NotFound(f"Không có khóa #{options['id']}.")
                services.revoke_token(token=token)
                self.stdout.write(f"Đã thu hồi khóa #{token.pk} của {token.user.get_username()}.")
