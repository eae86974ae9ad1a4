"""Load the illustrative Cần Thơ 2021 demo through the import path, from the workbook in data/."""

from __future__ import annotations

from datetime import date

from django.contrib.auth import get_user_model
from django.core.management import call_command

from nghiquyet.accounts.models import Role
from nghiquyet.accounts.services import create_user, grant_role
from nghiquyet.demo.files import WORKBOOK
from nghiquyet.imports.importer import ImportReport, import_file
from nghiquyet.lib.errors import Invalid
from nghiquyet.orgunits.services import resolve

# A known login for the demo only: `nghiquyet demo` is never run on a real installation.
DEMO_USER, DEMO_PASSWORD = "demo", "nghiquyet-demo"


def load_demo(*, migrate: bool = True) -> ImportReport:
    """Migrate (optionally) and import the demo workbook. Idempotent: a second run changes nothing."""
    if migrate:
        call_command("migrate", verbosity=0, interactive=False)
    report = import_file(WORKBOOK, source="demo")
    if not report.ok:
        raise Invalid("Dữ liệu minh họa không nhập được:\n" + "\n".join(p.text() for p in report.problems))
    return report


# The demo's other logins (same password): a reporter of a district and an approver of the city, so the round of
# a unit's figures — type, submit, return or approve — can be tried by two people, as the four-eyes rule wants.
DEMO_PEOPLE = (("demo-nhap", "CT-NK", Role.REPORTER, "nhập số liệu quận Ninh Kiều"),
               ("demo-duyet", "CT", Role.APPROVER, "duyệt số liệu của thành phố"))


def ensure_demo_user() -> bool:
    """The demo's logins (DEMO_USER / DEMO_PASSWORD, printed by `nghiquyet demo`): the administrator of the
    city as it was in 2021, and DEMO_PEOPLE. True if the administrator was created now."""
    User = get_user_model()
    for username, code, role, _what in DEMO_PEOPLE:
        if not User.objects.filter(username=username).exists():
            person = create_user(username=username, password=DEMO_PASSWORD)
            grant_role(user=person, org_unit=resolve(code=code, on=date(2021, 12, 31)), role=role)
    if User.objects.filter(username=DEMO_USER).exists():
        return False
    user = create_user(username=DEMO_USER, password=DEMO_PASSWORD)
    grant_role(user=user, org_unit=resolve(code="CT", on=date(2021, 12, 31)), role=Role.ADMIN)
    return True
