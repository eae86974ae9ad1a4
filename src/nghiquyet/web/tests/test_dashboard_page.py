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
