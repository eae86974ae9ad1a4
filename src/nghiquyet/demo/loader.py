"""Load the illustrative Cần Thơ 2021 demo through the import path, from the workbook in data/."""

from __future__ import annotations

from django.core.management import call_command

from nghiquyet.demo.files import WORKBOOK
from nghiquyet.imports.importer import ImportReport, import_file
from nghiquyet.lib.errors import Invalid


def load_demo(*, migrate: bool = True) -> ImportReport:
    """Migrate (optionally) and import the demo workbook. Idempotent: a second run changes nothing."""
    if migrate:
        call_command("migrate", verbosity=0, interactive=False)
    report = import_file(WORKBOOK, source="demo")
    if not report.ok:
        raise Invalid("Dữ liệu minh họa không nhập được:\n" + "\n".join(p.text() for p in report.problems))
    return report
