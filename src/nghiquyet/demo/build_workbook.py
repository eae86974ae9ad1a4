"""Build the demo workbook from the CSV files beside it: `python -m nghiquyet.demo.build_workbook`.

The CSV files are the reviewable source; the workbook is what `nghiquyet demo` imports and what the
import documentation shows. test_demo checks that the two say the same.
"""

from __future__ import annotations

import csv
from pathlib import Path

from nghiquyet.demo.files import DATA, SHEETS, WORKBOOK


def build(target: Path = WORKBOOK) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    for name in SHEETS:
        sheet = book.create_sheet(name)
        with (DATA / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
            for index, row in enumerate(csv.reader(handle)):
                sheet.append(row)
                if index == 0:
                    for cell in sheet[1]:
                        cell.font = Font(bold=True)
        for column in sheet.columns:
            width = max(len(str(cell.value or "")) for cell in column)
            sheet.column_dimensions[column[0].column_letter].width = min(60, max(10, width + 2))
    note = book.create_sheet("Hướng dẫn", 0)
    note.append(["Dữ liệu minh họa Cần Thơ năm 2021 — không phải số liệu chính thức."])
    note.append(["Chỉ các số 11/19 chỉ tiêu đạt và vượt, 8/19 không đạt và 1.635 đảng viên mới (102% kế hoạch) lấy từ bản tin ngày 17/01/2022."])
    note.append(["Định dạng: docs/import-format.md. Mỗi sheet một loại dữ liệu; số viết kiểu Việt Nam (1.635; 0,21)."])
    book.properties.creator = "nghiquyet"
    book.save(target)
    return target


if __name__ == "__main__":
    print(build())
