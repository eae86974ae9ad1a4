"""What a review report says, whatever it is written as (Markdown now; DOCX and PDF render the same content):
the Party document's header (docs: ../shared/domain/DOCUMENT-LAYOUT.md, HD 36-HD/VPTW), the opening paragraph
("… thực hiện đạt và vượt 11/19 chỉ tiêu; 8/19 chỉ tiêu không đạt, gồm: …"), the target table, the targets
not met with their causes, and the open tasks set to mend the targets that lag (followup.reads.lagging_tasks).
Built from a scorecard and those tasks; no database access of its own."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from nghiquyet.figures.dashboard import Cumulative, running_totals_of
from nghiquyet.figures.reads import EVERYONE
from nghiquyet.figures.scorecard import Scorecard, children_of
from nghiquyet.followup.reads import lagging_tasks
from nghiquyet.followup.rules import deadline_text
from nghiquyet.lib.vnformat import format_date_long
from nghiquyet.reports.charts import cumulative_chart, plan_chart, status_chart, units_chart
from nghiquyet.targets.rules import ACHIEVED, Status
from nghiquyet.targets.sentences import NotMet, mid_sentence, not_met_lines, review_paragraph

PARTY = "ĐẢNG CỘNG SẢN VIỆT NAM"
PLACE_PREFIXES = ("Thành phố ", "Tỉnh ", "Thị xã ", "Thị trấn ", "Quận ", "Huyện ", "Phường ", "Xã ")
REMEDIES_HEADING = "III. NHIỆM VỤ KHẮC PHỤC CÁC CHỈ TIÊU CHƯA ĐẠT"
CAUSE_WORDS = {"objective": "khách quan", "subjective": "chủ quan"}


@dataclass(frozen=True)
class Header:
    superior: str  # the body above the issuer, CAPS ("ĐẢNG BỘ THÀNH PHỐ CẦN THƠ"); may be empty
    issuer: str  # CAPS ("THÀNH ỦY CẦN THƠ")
    number: str  # "Số 12-BC/TU", or "Số    -BC/…" until the register numbers it
    place_date: str  # "Cần Thơ, ngày 17 tháng 01 năm 2022"
    kind: str  # "BÁO CÁO"
    subject: str  # "kết quả thực hiện …", lower case first

    party: str = PARTY


@dataclass(frozen=True)
class TableRow:
    number: str
    name: str
    unit: str
    plan: str
    actual: str
    percent: str
    status: str
    change: str


@dataclass(frozen=True)
class Remedy:
    """An open task beside the target it mends, as the report prints it."""

    target: str  # "03. Tổng thu ngân sách nhà nước trên địa bàn"
    title: str
    lead_unit: str
    deadline: str  # "31/12/2022", or "thường xuyên, hằng tháng"
    status: str  # "Quá hạn"
    percent: str  # "45%"
    line: str  # the whole of it in one sentence, for lists


RUNNING_TOTALS_CHARTED = 4  # a year-to-date target's running total month by month, in a document


@dataclass(frozen=True)
class ReportChart:
    caption: str  # "Biểu đồ 1. …", printed under it
    spec: dict  # Vega-Lite (reports.charts): the dashboard's chart, drawn for the document by vl-convert


@dataclass(frozen=True)
class ReportContent:
    header: Header
    notice: str  # the resolution's notice ("Dữ liệu minh họa …"), printed wherever it is
    paragraph: str
    table: list[TableRow]
    not_met: list[str]
    authority: str = "T/M BAN THƯỜNG VỤ"  # the signature block (HD 36: T/M for a cấp ủy)
    office: str = "BÍ THƯ"
    signer: str = ""
    recipients: tuple[str, ...] = ("Lưu Văn phòng.",)
    secret: bool = False  # "MẬT" under the number
    charts: tuple[ReportChart, ...] = ()
    remedies: tuple[Remedy, ...] = ()  # section III; empty: the section is left out


def place_of(unit_name: str) -> str:
    """"Cần Thơ" from "Thành phố Cần Thơ": the place a document is dated at."""
    for prefix in PLACE_PREFIXES:
        if unit_name.startswith(prefix):
            return unit_name[len(prefix):]
    return unit_name


def report_content(scorecard: Scorecard, *, day: date, issuer: str = "", superior: str = "", number: str = "",
                   place: str = "", signer: str = "", recipients: tuple[str, ...] = (), secret: bool = False,
                   authority: str = "", office: str = "", children: Sequence[Scorecard] = (),
                   tasks: Mapping[int, Sequence] | None = None, cumulative: Sequence[Cumulative] = ()) -> ReportContent:
    resolution, unit, period = scorecard.resolution, scorecard.org_unit, scorecard.period
    period_words = period.label_vi()
    header = Header(
        superior=superior.upper(),
        issuer=(issuer or resolution.issuer or unit.name).upper(),
        number=number or "Số    -BC/…",
        place_date=f"{place or place_of(unit.name)}, {format_date_long(day)}",
        kind="BÁO CÁO",
        subject=f"kết quả thực hiện Nghị quyết số {resolution.number} ({resolution.title}), {period_words}",
    )
    not_met = [
        NotMet(row.target.name, f"{CAUSE_WORDS.get(row.cause.kind, row.cause.kind)}: {row.cause.text}" if row.cause else "")
        for row in scorecard.rows if row.status == Status.NOT_MET
    ]
    subject = f"{period_words[:1].upper()}{period_words[1:]}, {mid_sentence(unit.name)}"
    table = [
        TableRow(str(index), row.target.name, row.target.unit, row.plan_text,
                 row.actual_text + (" (ước)" if row.kind == "estimate" else "")
                 + (" (chưa duyệt)" if row.state and row.state != "approved" else ""), row.percent_text, row.status_label,
                 row.change_text.replace(" %", "\u00a0%"))  # "điểm %" never split over two lines
        for index, row in enumerate(scorecard.rows, start=1)
    ]
    return ReportContent(header=header, notice=resolution.notice, paragraph=review_paragraph(subject=subject, summary=scorecard.summary,
                         not_met=not_met), table=table, not_met=not_met_lines(not_met),
                         authority=(authority or "T/M BAN THƯỜNG VỤ").upper(), office=(office or "BÍ THƯ").upper(), signer=signer,
                         recipients=tuple(recipients) or ("Lưu Văn phòng.",), secret=secret, charts=report_charts(scorecard, children, cumulative),
                         remedies=remedies_of(scorecard, tasks or {}))


def report_parts(scorecard: Scorecard, *, today: date, user: Any = None, include_drafts: bool = False) -> dict[str, Any]:
    """What a report reads beside its scorecard, as report_content's arguments: the units directly below, the
    open tasks of the targets that lag, the year-to-date targets' running totals, as `user` may see them (None:
    the command line's operator, every figure). Read once, before a document is numbered and rendered."""
    return {"children": children_of(scorecard, include_drafts=include_drafts), "tasks": lagging_tasks(scorecard, today=today, user=user),
            "cumulative": running_totals_of(scorecard=scorecard, seen_by=EVERYONE if user is None else user)}


def remedies_of(scorecard: Scorecard, tasks: Mapping[int, Sequence]) -> tuple[Remedy, ...]:
    """The open tasks (followup.reads.TaskRow: a task and its status) of each target, in the table's order."""
    made = []
    for row in scorecard.rows:
        for found in tasks.get(row.target.pk, ()):
            task = found.task
            deadline = deadline_text(task.deadline, task.cadence)
            status = found.status_label
            target = f"{row.target.code}. {row.target.name}"
            line = (f"{target}: {task.title} (chủ trì: {task.lead_unit.name}; thời hạn: {deadline}; "
                    f"{status[:1].lower()}{status[1:]}, {task.percent}%).")
            made.append(Remedy(target, task.title, task.lead_unit.name, deadline, status, f"{task.percent}%", line))
    return tuple(made)


def report_charts(scorecard: Scorecard, children: Sequence[Scorecard] = (), cumulative: Sequence[Cumulative] = ()) -> tuple[ReportChart, ...]:
    """The status of the targets, each target's percent of plan where the rules give one, the units below
    with their targets by status (where any of them has targets), and the running totals month by month
    (figures.dashboard.running_totals_of: the dashboard's, for its year-to-date targets)."""
    made = [ReportChart(f"Biểu đồ 1. Kết quả thực hiện {scorecard.summary.total} chỉ tiêu", status_chart(scorecard.summary))]
    if any(row.percent_of_plan is not None for row in scorecard.rows):
        made.append(ReportChart(f"Biểu đồ {len(made) + 1}. Tỷ lệ thực hiện so với kế hoạch (%)", plan_chart(scorecard)))
    if any(card.summary.total for card in children):
        made.append(ReportChart(f"Biểu đồ {len(made) + 1}. Kết quả thực hiện chỉ tiêu của các đơn vị trực thuộc", units_chart(children)))
    drafts = any(row.state and row.state != "approved" for row in scorecard.rows)  # the table counts drafts; the chart does not
    for totals in _running_totals_charted(scorecard, cumulative):
        name = totals.target.name
        what = name if "lũy kế" in name.lower() else f"{name}, lũy kế từ đầu năm"
        caption = f"Biểu đồ {len(made) + 1}. {what} theo tháng, so với cùng kỳ năm\u00a0{totals.year - 1}"
        made.append(ReportChart(caption + (" (số liệu đã duyệt)" if drafts else ""), cumulative_chart(totals)))
    return tuple(made)


def _running_totals_charted(scorecard: Scorecard, cumulative: Sequence[Cumulative]) -> list[Cumulative]:
    """At most RUNNING_TOTALS_CHARTED of them (each is a picture drawn while the reader waits), those of the
    targets short of met first, in the table's order."""
    short = {row.target.pk for row in scorecard.rows if row.status not in ACHIEVED}
    chosen = sorted(range(len(cumulative)), key=lambda index: cumulative[index].target.pk not in short)[:RUNNING_TOTALS_CHARTED]
    return [cumulative[index] for index in sorted(chosen)]
