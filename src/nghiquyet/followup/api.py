"""/api/v1/tasks and /api/v1/conclusions: the follow-up for programs — the tasks a person may see, in the shape
of `nghiquyet tasks --format json` (with its filters), one task, a progress report on it, and the
conclusions. The same reads (followup.reads) and services (followup.services) as the pages and the CLI."""


from datetime import date
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from nghiquyet.accounts.permissions import Action, require, resolutions_q
from nghiquyet.api.schemas import Message, Pages
from nghiquyet.followup import services
from nghiquyet.followup.models import Conclusion, Task
from nghiquyet.followup.reads import task_row, tasks
from nghiquyet.followup.rules import Status
from nghiquyet.lib.errors import NotFound
from nghiquyet.orgunits.models import OrgUnit

router = Router(tags=["follow-up"])


class TaskOut(Schema):
    id: int
    title: str
    lead_unit: str
    owner: str | None
    deadline: date | None
    status: str
    conclusion: str | None
    targets: list[str]
    kind: str
    cadence: str | None
    percent: int
    period: str | None
    post: str | None
    filled_on: date | None
    version: int


class TaskFilters(Schema):
    org: str | None = Field(default=None, description="lead unit's code (its subtree; every unit that bore the code)")
    overdue: bool = False
    mine: bool = Field(default=False, description="only the tasks I own")
    conclusion_id: int | None = None
    status: Status | None = None


class ProgressIn(Schema):
    text: str = Field(max_length=10_000)
    percent: int = Field(ge=0, le=100)
    version: int | None = Field(default=None, description="the task's version as read; a newer one is a 409")


class ConclusionOut(Schema):
    id: int
    number: str
    issuer: str
    issued_on: date
    org_unit: str
    meeting: str
    text: str

    @staticmethod
    def resolve_org_unit(conclusion: Any) -> str:
        return conclusion.org_unit.code


def _shaped(row: Any) -> dict[str, Any]:
    return row.as_json() | {"version": row.task.version}


@router.get("/tasks", response=list[TaskOut], summary="Tasks you may see (filters as `nghiquyet tasks`)")
@paginate(Pages, page_size=100)
def list_tasks(request: HttpRequest, filters: Query[TaskFilters]):
    units = None
    if filters.org:
        units = list(OrgUnit.objects.filter(code=filters.org.strip()))
        if not units:
            raise NotFound(f'Không tìm thấy đơn vị có mã "{filters.org[:32]}".', en=f'No org unit with code "{filters.org[:32]}".', field="org")
    conclusion = None
    if filters.conclusion_id is not None:
        conclusion = Conclusion.objects.filter(resolutions_q(request.user), pk=filters.conclusion_id).first()
        if conclusion is None:
            raise NotFound("Không tìm thấy kết luận.", en="No such conclusion.", field="conclusion_id")
    rows = tasks(today=timezone.localdate(), user=request.user, org_unit=units, owner=request.user if filters.mine else None,
                 overdue=filters.overdue, conclusion=conclusion, state=filters.status.value if filters.status else "")
    return [_shaped(row) for row in rows]


def _visible_task(request: HttpRequest, task_id: int) -> Task:
    task = Task.objects.select_related("lead_unit", "owner", "conclusion__org_unit").filter(pk=task_id).first()
    if task is None:
        raise NotFound("Không tìm thấy nhiệm vụ.", en="No such task.")
    require(request.user, Action.VIEW, task)
    return task


@router.get("/tasks/{task_id}", response={200: TaskOut, 404: Message}, summary="One task")
def get_task(request: HttpRequest, task_id: int):
    _visible_task(request, task_id)
    return _shaped(task_row(task_id=task_id, today=timezone.localdate()))


@router.post("/tasks/{task_id}/progress", response={201: TaskOut, 400: Message, 403: Message, 404: Message, 409: Message},
             summary="Report progress (the owner, the lead unit's reporters, the conclusion's writers)")
def report_progress(request: HttpRequest, task_id: int, payload: ProgressIn):
    task = _visible_task(request, task_id)
    services.report_progress(user=request.user, task=task, text=payload.text, percent=payload.percent, version=payload.version)
    return 201, _shaped(task_row(task_id=task_id, today=timezone.localdate()))


@router.get("/conclusions", response=list[ConclusionOut], summary="Conclusions you may see")
@paginate(Pages, page_size=100)
def list_conclusions(request: HttpRequest):
    return Conclusion.objects.filter(resolutions_q(request.user)).select_related("org_unit").order_by("-issued_on", "-pk")
