"""The dashboard page: its charts as JSON specs in the page (no inline script), the drill-down, and what a
reader may not see."""

from __future__ import annotations

import json
import re


def specs(html: str) -> dict[str, dict]:
    return {name: json.loads(body) for name, body in re.findall(r'<script id="(chart-[a-z]+)" type="application/json">(.*?)</script>', html, re.S)}


def test_the_page_carries_three_charts_and_every_target(client, people):
    client.force_login(people.alice)
    response = client.get("/nghi-quyet/ct-2021/tong-quan/", {"org": "CT", "period": "2021", "target": "19"})
    html = response.content.decode()
    assert response.status_code == 200
    assert set(specs(html)) == {"chart-status", "chart-trend", "chart-ranking"}
    assert html.count('class="spark"') >= 15 and "11/19" in html
    assert 'data-chart="chart-ranking"' in html and "vendor/charts/charts.js" in html
    assert "<script>" not in html  # the specs are data (type="application/json"), never run


def test_an_htmx_switch_gets_the_dashboard_alone(client, people):
    client.force_login(people.alice)
    response = client.get("/nghi-quyet/ct-2021/tong-quan/", {"org": "CT-NK", "period": "2021"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html and 'id="chart-status"' in html


def test_a_reader_sees_only_the_units_below_they_may_see(client, people):
    client.force_login(people.dana)  # a viewer of ward B
    response = client.get("/nghi-quyet/ct-2021/tong-quan/", {"org": "CT", "period": "2021"})
    assert response.status_code == 400 and "Không tìm thấy đơn vị" in response.content.decode()


def test_an_unknown_target_or_period_is_a_clear_400(client, people):
    client.force_login(people.alice)
    for query in ({"org": "CT", "period": "2021", "target": "zz"}, {"org": "CT", "period": "2099"}):
        response = client.get("/nghi-quyet/ct-2021/tong-quan/", query)
        assert response.status_code == 400, query
        assert 'role="alert"' in response.content.decode()
    response = client.get("/nghi-quyet/ct-2021/tong-quan/", {"org": "CT", "period": "2021", "target": "x\x00"})
    assert response.status_code == 400 and "NUL" in response.content.decode()


def test_a_figure_changed_shows_at_once_though_the_dashboard_is_kept(client, people):
    """The dashboard is kept under the figures' generation: the second read comes from the cache, a write moves
    the generation in its own transaction, and the next read shows the new figure."""
    from decimal import Decimal

    from nghiquyet.figures import generations
    from nghiquyet.figures.writes import record_result
    from nghiquyet.lib.periods import parse_period
    from nghiquyet.orgunits.models import OrgUnit
    from nghiquyet.targets.models import Resolution, Target

    client.force_login(people.alice)
    query = {"org": "CT", "period": "2021", "target": "19"}
    first = client.get("/nghi-quyet/ct-2021/tong-quan/", query).content.decode()
    assert "1.635" in first
    resolution = Resolution.objects.get(key="ct-2021")
    before = generations.current(resolution.pk)
    from unittest import mock

    with mock.patch("nghiquyet.web.dashboard_views.dashboard_seen_by") as computed:
        again = client.get("/nghi-quyet/ct-2021/tong-quan/", query).content.decode()
    assert not computed.called  # kept
    assert again.split('id="dashboard"')[1] == first.split('id="dashboard"')[1]
    city = OrgUnit.objects.get(code="CT", valid_to__isnull=False)
    record_result(target=Target.objects.get(resolution=resolution, code="19"), org_unit=city, period=parse_period("2021"),
                  value=Decimal(1700))
    assert generations.current(resolution.pk) != before
    after = client.get("/nghi-quyet/ct-2021/tong-quan/", query).content.decode()
    assert "1.700 / 1.603" in after and "106,05%" in after
    assert "cấp dưới cộng lại: 1.635 (10/10 đơn vị) — khác số báo cáo" in after  # its units' total, now flagged


def test_readers_who_see_different_units_never_share_a_kept_dashboard(client, people, django_user_model):
    """The key holds what the reader may see: a district's viewer and the city's admin read the same district
    dashboard, and each gets it computed for them (a ward's viewer is refused the district)."""
    from nghiquyet.accounts.services import grant_role
    from nghiquyet.orgunits.models import OrgUnit

    district = OrgUnit.objects.get(code="CT-NK", valid_to__isnull=False)
    viewer = django_user_model.objects.create_user(username="xem-quan", password="mat-khau-dai-1")
    grant_role(user=viewer, org_unit=district, role="viewer")
    query = {"org": "CT-NK", "period": "2021"}
    client.force_login(people.alice)
    assert client.get("/nghi-quyet/ct-2021/tong-quan/", query).status_code == 200
    client.force_login(people.dana)
    response = client.get("/nghi-quyet/ct-2021/tong-quan/", query)
    assert response.status_code == 400 and 'id="chart-status"' not in response.content.decode()
    client.force_login(viewer)
    assert client.get("/nghi-quyet/ct-2021/tong-quan/", query).status_code == 200


def test_units_below_with_no_figure_are_said_in_a_line_not_a_table_of_empty_rows(client, people):
    client.force_login(people.alice)
    html = client.get("/nghi-quyet/ct-2021/tong-quan/", {"org": "CT", "period": "2021", "target": "19"}).content.decode()
    assert 'class="data children"' in html and "Chưa đơn vị trực thuộc nào" not in html  # the districts reported
    html = client.get("/nghi-quyet/ct-dtc/tong-quan/", {"org": "CT", "period": "2022"}).content.decode()  # the city's figures only
    assert 'class="data children"' not in html and "chart-ranking" not in html
    assert "Chưa đơn vị trực thuộc nào có kế hoạch hay số liệu của chỉ tiêu này trong kỳ (12 đơn vị)." in html
    assert "?org=CT-NK&amp;period=2022&amp;target=DTC-01" in html  # each still one click away
