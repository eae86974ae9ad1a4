"""Handing plans down: the level above sets each child unit's plan for a target and period, cell by cell,
on the one write path; for targets that add up, the children's total is checked against the parent's plan —
a warning with the difference, never a refusal."""

from __future__ import annotations

from decimal import Decimal

import pytest

from nghiquyet.orgunits.models import OrgUnit
from nghiquyet.targets.models import Plan

pytestmark = pytest.mark.django_db

PAGE = "/nghi-quyet/ct-2021/giao-ke-hoach/"
SAVE = PAGE + "luu/"


def children_total(people) -> Decimal:
    children = OrgUnit.objects.filter(parent=people.city, unit_type="territory")
    return sum(Plan.objects.filter(target__resolution__key="ct-2021", target__code="19", period="2021", org_unit__in=children)
               .values_list("value", flat=True), Decimal(0))


def test_the_page_shows_the_parents_plan_each_childs_and_the_difference(client, people):
    client.force_login(people.alice)
    response = client.get(PAGE, {"org": "CT", "period": "2021", "target": "19"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Kế hoạch của Thành phố Cần Thơ" in page and "1.603" in page
    assert 'id="plan-CT-NK" name="value" value="240"' in page
    total = children_total(people)
    assert f"Tổng kế hoạch giao cho các đơn vị: {total:,.0f}".replace(",", ".") in page
    assert ("Thấp hơn" if total < 1603 else "Cao hơn") in page


def test_a_plan_saved_updates_the_total_line(client, people):
    client.force_login(people.alice)
    before = children_total(people)
    answer = client.post(SAVE, {"org": "CT", "period": "2021", "target": "19", "child": "CT-VT", "value": "1.000"}).content.decode()
    assert "Đã lưu" in answer and 'id="plan-total"' in answer and 'hx-swap-oob="true"' in answer
    plan = Plan.objects.get(target__resolution__key="ct-2021", target__code="19", period="2021", org_unit__code="CT-VT")
    assert plan.value == 1000 and children_total(people) > before
    assert "Cao hơn kế hoạch của đơn vị giao" in answer  # handed down more than the city's own plan: said, not refused


def test_a_stale_plan_is_not_overwritten(client, people):
    client.force_login(people.alice)
    plan = Plan.objects.get(target__resolution__key="ct-2021", target__code="19", period="2021", org_unit__code="CT-NK")
    client.post(SAVE, {"org": "CT", "period": "2021", "target": "19", "child": "CT-NK", "value": "250", "version": plan.version})
    answer = client.post(SAVE, {"org": "CT", "period": "2021", "target": "19", "child": "CT-NK", "value": "260",
                                "version": plan.version}).content.decode()
    assert "đã được sửa" in answer and 'class="message error"' in answer.replace("message error", "message error")
    assert Plan.objects.get(pk=plan.pk).value == 250


def test_a_target_that_does_not_add_up_is_not_checked(client, people):
    client.force_login(people.alice)
    page = client.get(PAGE, {"org": "CT", "period": "2021", "target": "10"}).content.decode()  # a percentage
    assert "không đối chiếu tổng" in page


def test_a_mistake_names_itself_and_writes_nothing(client, people):
    client.force_login(people.alice)
    answer = client.post(SAVE, {"org": "CT", "period": "2021", "target": "19", "child": "CT-NK", "value": "nhiều"}).content.decode()
    assert "không phải là số" in answer
    assert Plan.objects.get(target__resolution__key="ct-2021", target__code="19", period="2021", org_unit__code="CT-NK").value == 240


def test_only_the_level_above_hands_down(client, people):
    client.force_login(people.bob)  # reporter of ward A: sees it, hands nothing down
    assert client.get(PAGE, {"org": people.ward_a.code, "period": "2022"}).status_code == 403
    assert client.get(PAGE, {"org": "CT-NK", "period": "2022"}).status_code == 404
    assert client.post(SAVE, {"org": "CT-NK", "period": "2022", "target": "10", "child": people.ward_a.code, "value": "1"}).status_code == 404
