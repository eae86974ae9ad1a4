"""Files and counts shared by the import tests."""

import csv

import openpyxl

from nghiquyet.orgunits.models import OrgUnit
from nghiquyet.targets.models import Plan, Resolution, Result, Target

MODELS = (OrgUnit, Resolution, Target, Plan, Result)


def write_xlsx(path, sheets):
    """A workbook with one sheet per item of `sheets` (name → rows)."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def write_csv(path, rows, *, delimiter=",", encoding="utf-8", line_end="\n"):
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle, delimiter=delimiter, lineterminator=line_end).writerows(rows)
    return path


def counts():
    """How many org units, resolutions, targets, plans and results there are."""
    return tuple(model.objects.count() for model in MODELS)
