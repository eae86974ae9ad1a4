"""A report as Markdown: the same content as the documents, for reading in a terminal, a wiki or an email."""

from __future__ import annotations

from nghiquyet.reports.content import REMEDIES_HEADING, ReportContent

COLUMNS = ("TT", "Chỉ tiêu", "ĐVT", "Kế hoạch", "Thực hiện", "% KH", "Đánh giá", "So với cùng kỳ")


def _cell(text: str) -> str:
    return (text or "").replace("|", "\\|").replace("\n", " ")


def markdown(content: ReportContent) -> str:
    header = content.header
    lines = [line for line in (header.superior, f"**{header.issuer}**", "\\*", header.number) if line]
    lines += ["", f"**{header.party}**", "", f"*{header.place_date}*", "", f"# {header.kind}", "", f"**{header.subject}**", ""]
    if content.notice:
        lines += [f"> {content.notice}", ""]
    lines += ["## I. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU", "", content.paragraph, ""]
    lines += ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * 3 + "---:|" * 3 + "---|---|"]
    for row in content.table:
        cells = (row.number, row.name, row.unit, row.plan, row.actual, row.percent, row.status, row.change)
        lines.append("| " + " | ".join(_cell(cell) for cell in cells) + " |")
    lines += ["", "## II. CÁC CHỈ TIÊU KHÔNG ĐẠT VÀ NGUYÊN NHÂN", ""]
    lines += [f"- {line}" for line in content.not_met] or ["Không có chỉ tiêu nào không đạt."]
    if content.remedies:
        lines += ["", f"## {REMEDIES_HEADING}", ""] + [f"- {_cell(remedy.line)}" for remedy in content.remedies]
    return "\n".join(lines) + "\n"
