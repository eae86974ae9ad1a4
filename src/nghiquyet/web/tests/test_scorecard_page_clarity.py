"""The scorecard as a new user tried it: an empty table says why and what to do; a page with no figures says
whether it is about approval or entry; unit names carry dates only where a code is shared; the change keeps its
unit on one line."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from nghiquyet.web.templatetags.vn import shared_codes

pytestmark = pytest.mark.django_db

PAGE = "/nghi-quyet/ct-2021/danh-gia/"


def test_a_unit_with_no_targets_in_the_period_is_told_why(client, people):
    client.force_login(people.alice)
    page = client.get(PAGE, {"org": "CT-SYT", "period": "2021"}).content.decode()  # the health department: no plan, no result
    assert 'id="why-empty"' in page and "chưa được giao kế hoạch" in page and "<table" not in page


def test_a_period_without_approved_figures_points_to_the_switch_and_the_entry_page(client, people):
    client.force_login(people.alice)
    page = client.get(PAGE, {"org": "CT", "period": "2024"}).content.decode()
    assert 'id="why-no-data"' in page and "Gồm cả số liệu chưa duyệt" in page
    with_drafts = client.get(PAGE, {"org": "CT", "period": "2024", "drafts": "1"}).content.decode()
    assert "kể cả số đang nhập" in with_drafts


def test_dates_tell_apart_only_units_that_share_a_code():
    old, new, ward = (SimpleNamespace(code=c) for c in ("CT", "CT", "CT-NK"))
    assert shared_codes([old, new, ward]) == {"CT"}
    assert shared_codes([ward]) == set()


def test_the_page_lists_units_without_their_end_date_when_no_code_is_shared(client, people):
    client.force_login(people.alice)
    page = client.get(PAGE, {"org": "CT", "period": "2021"}).content.decode()
    select = page.split('id="pick-org"')[1].split("</select>")[0]
    assert "đến 30/06/2025" not in select


def test_the_change_keeps_its_unit_on_one_line(client, people):
    client.force_login(people.alice)
    page = client.get(PAGE, {"org": "CT", "period": "2021"}).content.decode()
    assert 'class="change"' in page and 'data-label="So với cùng kỳ"' in page
