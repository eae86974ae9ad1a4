"""What changes conclusions and tasks: keyword-only, called by the web, the CLI and the demo alike; each checks
followup.policies first and is audited. Statuses that follow from dates (overdue, done late) are never
stored: followup.rules reads them."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from nghiquyet.accounts.permissions import VIEWER, Access, Action, require
from nghiquyet.audit.services import record, refuse_stale
from nghiquyet.followup import generations
from nghiquyet.followup.models import Attachment, Cadence, Conclusion, Progress, Task, TaskKind, TaskState
from nghiquyet.followup.policies import TaskAction
from nghiquyet.lib.errors import Conflict, Invalid
from nghiquyet.lib.validation import clean_fields, clean_text
from nghiquyet.orgunits.models import OrgUnit
from nghiquyet.targets.models import Target

MAX_FILE_BYTES = 10 * 1024 * 1024


@transaction.atomic
def create_conclusion(*, user: Any, org_unit: OrgUnit, issuer: str, number: str, issued_on: date, meeting: str = "", text: str = "",
                      cycle: Any = None, illustrative: bool = False) -> Conclusion:
    conclusion = Conclusion(org_unit=org_unit, issued_on=issued_on, cycle=cycle, illustrative=illustrative,
                            created_by=user if getattr(user, "pk", None) else None,
                            **clean_fields(Conclusion, issuer=issuer, number=number, meeting=meeting, text=text))
    if not conclusion.issuer or not conclusion.number:
        raise Invalid("Cần cơ quan ban hành và số, ký hiệu.", en="The issuer and the number are needed.", field="number")
    require(user, Action.MANAGE, conclusion)
    conclusion.save()
    record("create", obj=conclusion, org_unit=org_unit, summary=f"Kết luận {conclusion.number}")
    return conclusion


def _checked_task(title: str, deadline: date | None, cadence: str) -> dict[str, Any]:
    texts = clean_fields(Task, title=title)
    if not texts["title"]:
        raise Invalid("Cần nội dung nhiệm vụ.", en="The task needs a title.", field="title")
    if cadence and cadence not in Cadence.values:
        raise Invalid(f'Kỳ báo cáo "{cadence[:20]}" không có.', en=f'No reporting cadence "{cadence[:20]}".', field="cadence")
    if not deadline and not cadence:
        raise Invalid("Cần thời hạn, hoặc chọn \"thường xuyên\" với kỳ báo cáo.", en="A deadline, or recurring with a cadence.", field="deadline")
    if deadline and cadence:
        raise Invalid("Nhiệm vụ thường xuyên không có thời hạn.", en="A recurring task has no deadline.", field="deadline")
    return texts


@transaction.atomic
def add_task(*, user: Any, lead_unit: OrgUnit, title: str, conclusion: Conclusion | None = None, deadline: date | None = None,
             cadence: str = "", owner: Any = None, supporting_units: list[OrgUnit] = (), targets: list[Target] = (), period: str = "",
             kind: str = TaskKind.TASK, post: str = "", vacant_since: date | None = None, planned_on: date | None = None) -> Task:
    """An item of a conclusion (or a task of its own, from a lagging target)."""
    texts = check_task(conclusion=conclusion, lead_unit=lead_unit, title=title, deadline=deadline, cadence=cadence, owner=owner,
                       supporting_units=supporting_units, kind=kind, post=post)
    if conclusion is not None:  # one writer at a time numbers the conclusion's items (two imports at once keep distinct positions)
        Conclusion.objects.select_for_update().filter(pk=conclusion.pk).first()
    task = Task(conclusion=conclusion, lead_unit=lead_unit, deadline=deadline, cadence=cadence, owner=owner, period=period, kind=kind,
                vacant_since=vacant_since, planned_on=planned_on, created_by=user if getattr(user, "pk", None) else None,
                position=(conclusion.tasks.count() + 1) if conclusion else 0, **texts,
                **clean_fields(Task, post=post))
    require(user, Action.MANAGE, task)
    _save(task)
    task.supporting_units.set(supporting_units)
    task.targets.set(targets)
    record("create", obj=task, org_unit=lead_unit, summary=f"Nhiệm vụ #{task.pk}: {task.title[:200]}")
    return task


def check_task(*, conclusion: Conclusion | None, lead_unit: OrgUnit, title: str, deadline: date | None = None, cadence: str = "",
               owner: Any = None, supporting_units: list[OrgUnit] | tuple = (), kind: str = TaskKind.TASK, post: str = "",
               **_other: Any) -> dict[str, Any]:
    """The rules an item must keep, before anything is written (a workbook's rows are all checked first):
    the title as stored; Invalid naming the field otherwise."""
    texts = _checked_task(title, deadline, cadence)
    if kind == TaskKind.VACANCY and not post.strip():
        raise Invalid("Cần chức danh còn khuyết.", en="The vacant post is needed.", field="post")
    _check_scope(conclusion, lead_unit, supporting_units, owner)
    return texts


def _check_scope(conclusion: Conclusion | None, lead_unit: OrgUnit, supporting_units: list[OrgUnit] | tuple = (), owner: Any = None) -> None:
    """A conclusion sets tasks for its own unit and the units below it, never for a unit outside its tree;
    the owner is someone with a role at the lead unit, above it or below it (not a stranger handed a task
    and its reminders)."""
    if conclusion is not None:
        for unit, field in [(lead_unit, "lead_unit"), *((unit, "supporting_units") for unit in supporting_units)]:
            if not unit.path.startswith(conclusion.org_unit.path):
                raise Invalid(f'"{unit.name}" không thuộc {conclusion.org_unit.name}: kết luận chỉ giao việc cho đơn vị mình và các đơn vị trực thuộc.',
                              en=f'"{unit.code}" is not under {conclusion.org_unit.code}: a conclusion sets tasks for its own units only.',
                              field=field)
    if owner is not None:
        access = Access(owner)
        if not owner.is_active or not (owner.is_superuser or access.rank_at(lead_unit) >= VIEWER or access.has_any_role_below(lead_unit)):
            raise Invalid(f'"{owner.get_username()}" không có vai trò ở {lead_unit.name}; chọn người của đơn vị chủ trì.',
                          en=f'"{owner.get_username()}" has no role at {lead_unit.code}; pick someone of the lead unit.', field="owner")


@transaction.atomic
def update_task(*, user: Any, task: Task, version: int | None = None, owner: Any = None, deadline: date | None = None, cadence: str = "",
                planned_on: date | None = None) -> Task:
    """Who does it by when: the owner, the deadline or the reporting cadence, a vacancy's planned date. For
    the conclusion's writers; audited with the old and new values; refused on a page older than the task."""
    task = _locked(task, version)
    require(user, Action.MANAGE, task)
    if task.state in (TaskState.DONE, TaskState.CANCELLED):
        raise Conflict("Nhiệm vụ đã kết thúc.", en="The task is closed already.")
    _checked_task(task.title, deadline, cadence)
    _check_scope(None, task.lead_unit, owner=owner)
    old = {"owner": task.owner.get_username() if task.owner else None, "deadline": task.deadline, "cadence": task.cadence,
           "planned_on": task.planned_on}
    task.owner, task.deadline, task.cadence, task.planned_on = owner, deadline, cadence, planned_on
    new = {"owner": owner.get_username() if owner else None, "deadline": deadline, "cadence": cadence, "planned_on": planned_on}
    if new == old:
        return task
    task.version += 1
    _save(task)
    record("update", obj=task, org_unit=task.lead_unit, summary=f"Nhiệm vụ #{task.pk}: giao lại, đổi thời hạn",
           old={k: v for k, v in old.items() if v != new[k]}, new={k: v for k, v in new.items() if v != old[k]})
    return task


def task_from_target(*, user: Any, target: Target, org_unit: OrgUnit, period: str, owner: Any = None, deadline: date | None = None,
                     title: str = "") -> Task:
    """One click from a target not met in a scorecard: the target, the unit and the period carried over."""
    return add_task(user=user, lead_unit=org_unit, title=title or f"Khắc phục chỉ tiêu {target.code}. {target.name} ({period})",
                    deadline=deadline, owner=owner, targets=[target], period=period)


def _save(task: Task, **options: Any) -> None:
    """Every write of a task: the tasks' generation moves with it (pages that keep what they read of the
    tasks read them again)."""
    task.save(**options)
    generations.moved()


def _locked(task: Task, version: int | None) -> Task:
    fresh = Task.objects.select_for_update(of=("self",)).select_related("conclusion__org_unit", "lead_unit").get(pk=task.pk)
    refuse_stale(fresh, version, what="Nhiệm vụ", what_en="The task")
    return fresh


@transaction.atomic
def report_progress(*, user: Any, task: Task, text: str, percent: int, files: list[tuple[str, bytes]] = (), version: int | None = None) -> Progress:
    task = _locked(task, version)
    require(user, TaskAction.REPORT, task)
    if task.state in (TaskState.DONE, TaskState.CANCELLED):
        raise Conflict("Nhiệm vụ đã kết thúc; không báo cáo tiến độ nữa.", en="The task is closed.")
    if not isinstance(percent, int) or isinstance(percent, bool) or not 0 <= percent <= 100:
        raise Invalid("Tiến độ từ 0 đến 100%.", en="Progress from 0 to 100%.", field="percent")
    text = clean_text(text, "text", limit=10_000, multiline=True)
    if not text:
        raise Invalid("Cần nội dung báo cáo tiến độ.", en="The report needs words.", field="text")
    report = Progress.objects.create(task=task, author=user, text=text, percent=percent)
    for name, content in files:
        if len(content) > MAX_FILE_BYTES:
            raise Invalid(f'Tệp "{name[:80]}" quá lớn (tối đa 10 MB).', en=f'"{name[:80]}" is too large (10 MB at most).', field="files")
        Attachment.objects.create(progress=report, name=clean_text(name, "files", limit=200) or "tep", content=content, size=len(content))
    task.state, task.percent = TaskState.IN_PROGRESS, percent
    task.version += 1
    _save(task, update_fields=["state", "percent", "version", "updated_at"])
    record("task_progress", obj=task, org_unit=task.lead_unit, summary=f"Nhiệm vụ #{task.pk}: {percent}%", new={"percent": percent})
    return report


@transaction.atomic
def close_task(*, user: Any, task: Task, evidence: str, done_on: date | None = None, filled_on: date | None = None,
               version: int | None = None) -> Task:
    """Done, with the evidence; done after the deadline reads as "done late". A vacancy closes when filled."""
    task = _locked(task, version)
    require(user, TaskAction.CLOSE, task)
    if task.state in (TaskState.DONE, TaskState.CANCELLED):
        raise Conflict("Nhiệm vụ đã kết thúc.", en="The task is closed already.")
    evidence = clean_text(evidence, "evidence", limit=10_000, multiline=True)
    if not evidence:
        raise Invalid("Cần kết quả, minh chứng hoàn thành.", en="Closing needs the evidence.", field="evidence")
    today = timezone.localdate()
    done_on = done_on or today
    if done_on > today:
        raise Invalid("Ngày hoàn thành không thể ở tương lai.", en="The done date cannot be in the future.", field="done_on")
    if task.kind == TaskKind.VACANCY:
        task.filled_on = filled_on or done_on
    task.state, task.percent, task.done_on, task.evidence = TaskState.DONE, 100, done_on, evidence
    task.version += 1
    _save(task)
    record("task_done", obj=task, org_unit=task.lead_unit, summary=f"Nhiệm vụ #{task.pk} hoàn thành {done_on:%d/%m/%Y}")
    return task


@transaction.atomic
def cancel_task(*, user: Any, task: Task, reason: str, version: int | None = None) -> Task:
    task = _locked(task, version)
    require(user, Action.MANAGE, task)
    reason = clean_text(reason, "reason", limit=5000, multiline=True)
    if not reason:
        raise Invalid("Cần lý do hủy.", en="Cancelling needs a reason.", field="reason")
    if task.state == TaskState.DONE:
        raise Conflict("Nhiệm vụ đã hoàn thành, không hủy được.", en="A done task cannot be cancelled.")
    task.state, task.cancel_reason = TaskState.CANCELLED, reason
    task.version += 1
    _save(task)
    record("task_cancel", obj=task, org_unit=task.lead_unit, summary=f"Nhiệm vụ #{task.pk} hủy")
    return task
