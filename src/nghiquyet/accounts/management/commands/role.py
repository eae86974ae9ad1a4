"""nghiquyet role add|remove USERNAME --org CODE --role ROLE [--on DATE]; nghiquyet role list [USERNAME]"""

from __future__ import annotations

from datetime import date
from typing import Any

from nghiquyet.accounts import services
from nghiquyet.accounts.models import Membership, Role
from nghiquyet.audit.commands import AuditedCommand
from nghiquyet.lib.errors import Invalid, NotFound
from nghiquyet.orgunits.models import OrgUnit
from nghiquyet.orgunits.services import resolve


class Command(AuditedCommand):
    help = "Giao hoặc thu hồi vai trò của tài khoản tại một đơn vị (vai trò bao trùm cả các đơn vị trực thuộc)."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        for name in ("add", "remove"):
            command = sub.add_parser(name)
            command.add_argument("username")
            command.add_argument("--org", required=True, help="mã đơn vị")
            command.add_argument("--role", required=True, choices=Role.values)
            command.add_argument("--on", help="ngày để hiểu mã đơn vị (mặc định: hôm nay)")
        listing = sub.add_parser("list")
        listing.add_argument("username", nargs="?")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "list":
            memberships = Membership.objects.select_related("user", "org_unit").order_by("user__username", "org_unit__path")
            if options["username"]:
                memberships = memberships.filter(user=services.get_user(username=options["username"]))
            for m in memberships:
                self.stdout.write(f"{m.user.username}\t{m.role}\t{m.org_unit.code}\t{m.org_unit.name}")
            return
        try:
            day = date.fromisoformat(options["on"]) if options["on"] else date.today()
        except ValueError:
            raise Invalid(f'Ngày "{options["on"]}" không hợp lệ; viết dạng 2021-12-31.') from None
        user = services.get_user(username=options["username"])
        unit = _unit(options["org"], day, given=bool(options["on"]))
        if options["action"] == "add":
            services.grant_role(user=user, org_unit=unit, role=options["role"])
            self.stdout.write(f"Đã giao vai trò {options['role']} tại {unit.name} cho {user.username}.")
        else:
            membership = Membership.objects.filter(user=user, org_unit=unit, role=options["role"]).first()
            if membership is None:
                raise NotFound("Tài khoản không có vai trò này tại đơn vị đó.")
            services.revoke_role(membership=membership)
            self.stdout.write(f"Đã thu hồi vai trò {options['role']} tại {unit.name} của {user.username}.")


def _unit(code: str, day: date, *, given: bool) -> OrgUnit:
    """The unit the code names on `day`; when it names none then but did at other times, the error says
    when it was valid and how to name it at such a date (codes were reused by the 2025 reform)."""
    try:
        return resolve(code=code, on=day)
    except NotFound as error:
        spans = [unit.validity_label() for unit in OrgUnit.objects.filter(code=code.strip()).order_by("valid_from")]
        if not spans:
            raise
        example = next(
            (u.valid_to or u.valid_from for u in OrgUnit.objects.filter(code=code.strip()) if u.valid_to or u.valid_from), day
        )
        hint = f"Mã {code} có hiệu lực: {'; '.join(spans)}. Chỉ rõ ngày bằng --on, ví dụ --on {example.isoformat()}."
        hint_en = f"Code {code} is valid over: {'; '.join(spans)}. Name the day with --on, e.g. --on {example.isoformat()}."
        raise NotFound(f"{error.message} {hint}", en=f"{error.english} {hint_en}", field="org") from None
