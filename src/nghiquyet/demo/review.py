"""The demo's review cycle: the 2021 review of the Cần Thơ Standing Board, with placeholder members (never
real names), linked to the ct-2021 scorecard so that its proposed ceiling follows from 11/19. Illustrative:
the members, facts and checklists are made up; only 11/19 and 1.635 (102%) come from the news report."""

from __future__ import annotations

from datetime import date
from typing import Any

from nghiquyet.review import services
from nghiquyet.review.manifestations import CODES
from nghiquyet.review.models import CycleRole, ReviewCycle

CYCLE_KEY = "ct-btv-2021"
MEMBERS = (  # placeholder names, by the convention of Vietnamese forms (Nguyễn Văn A …)
    ("Nguyễn Văn A", "Bí thư Thành ủy (minh họa)", True),
    ("Trần Thị B", "Phó Bí thư Thường trực Thành ủy (minh họa)", False),
    ("Lê Văn C", "Phó Bí thư Thành ủy, Chủ tịch UBND thành phố (minh họa)", False),
    ("Phạm Thị D", "Trưởng Ban Tổ chức Thành ủy (minh họa)", False),
    ("Hoàng Văn E", "Chủ nhiệm Ủy ban Kiểm tra Thành ủy (minh họa)", False),
)
COLLECTIVE_FACTS = {"collective_disciplined": False, "subordinate_units_disciplined_share": "0.02", "corruption_in_scope": False,
                    "disunity": False}


def ensure_demo_cycle(admin: Any) -> ReviewCycle:
    """Idempotent. `admin` (the demo's administrator of the city) sets it up and is named its appraiser, so
    that the demo login can open it: a cycle's records are seen only by those it names."""
    existing = ReviewCycle.objects.filter(key=CYCLE_KEY).first()
    if existing is not None:
        return existing
    cycle = services.create_cycle(
        user=admin, key=CYCLE_KEY, title="Kiểm điểm, đánh giá, xếp loại chất lượng năm 2021 (minh họa)", org_code="CT",
        collective="Ban Thường vụ Thành ủy Cần Thơ", year=2021, resolution_key="ct-2021", period="2021",
        self_assessment_due=date(2022, 1, 10), meeting_on=date(2022, 1, 17), illustrative=True,
    )
    services.grant(user=admin, cycle=cycle, to=admin, role=CycleRole.APPRAISER)
    for name, position, is_head in MEMBERS:
        member = services.add_member(user=admin, cycle=cycle, name=name, position=position, is_head=is_head)
        services.record_findings(user=admin, member=member, found=dict.fromkeys(CODES, False))
        services.record_facts(user=admin, cycle=cycle, member=member, facts={"disciplined": False})
    services.record_facts(user=admin, cycle=cycle, facts=COLLECTIVE_FACTS)
    return cycle
