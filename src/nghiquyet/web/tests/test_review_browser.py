"""A whole review cycle in a real browser, each person signing in with the second factor: a member writes and
submits a self-assessment, the appraiser marks attendance and opens the vote on the collective, three members
vote in their own sessions, the vote is closed and its counts shown, the deciding level decides, and the
results table downloads as DOCX."""

import os
import shutil

import pytest
from docx import Document

CHROMIUM = os.environ.get("NGHIQUYET_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not shutil.which(CHROMIUM), reason=f"no chromium at {CHROMIUM} (scripts/test installs it)"),
]

PASSWORD = "mat-khau-dai-1"


@pytest.fixture
def meeting(transactional_db, live_server, monkeypatch, django_user_model):
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from playwright.sync_api import sync_playwright

    from nghiquyet.accounts.models import Role
    from nghiquyet.accounts.services import grant_role
    from nghiquyet.demo.loader import load_demo
    from nghiquyet.orgunits.models import OrgUnit
    from nghiquyet.review import services
    from nghiquyet.review.models import CycleRole

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    load_demo(migrate=False)
    users = {name: django_user_model.objects.create_user(username=name, password=PASSWORD) for name in ("admin", "m1", "m2", "m3", "clerk", "dora")}
    devices = {name: TOTPDevice.objects.create(user=user, name="test", confirmed=True) for name, user in users.items()}
    grant_role(user=users["admin"], org_unit=OrgUnit.objects.get(code="CT", valid_to__isnull=False), role=Role.ADMIN)
    cycle = services.create_cycle(user=users["admin"], key="ct-btv-2021", title="Kiểm điểm năm 2021 (minh họa)", org_code="CT",
                                  collective="Ban Thường vụ (minh họa)", year=2021, resolution_key="ct-2021", period="2021")
    for n, letter in enumerate("ABC", start=1):
        services.add_member(user=users["admin"], cycle=cycle, name=f"Nguyễn Văn {letter}", position="Ủy viên (minh họa)",
                            is_head=n == 1, member_user=users[f"m{n}"])
    services.grant(user=users["admin"], cycle=cycle, to=users["clerk"], role=CycleRole.APPRAISER)
    services.grant(user=users["admin"], cycle=cycle, to=users["dora"], role=CycleRole.DECIDER)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)

        def session(name: str):
            from django_otp.oath import totp

            context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
            page = context.new_page()
            page.set_default_timeout(15000)
            page.goto(live_server.url + "/dang-nhap/")
            page.fill("#id_username", name)
            page.fill("#id_password", PASSWORD)
            page.fill("#id_otp_token", f"{totp(devices[name].bin_key):06d}")
            page.click("section.login button[type=submit]")
            page.wait_for_url(live_server.url + "/")
            page.goto(live_server.url + "/kiem-diem/ct-btv-2021/")
            return page

        yield session, cycle
        from django.db import connections

        connections.close_all()  # the connection the test opened while Playwright's loop ran is its own: PostgreSQL could not drop the test database
        browser.close()


def test_a_full_cycle_self_assess_vote_tally_decide_report(meeting):
    session, cycle = meeting
    m2 = session("m2")
    row = m2.locator("#row-" + str(cycle.members.get(user__username="m2").pk))
    row.locator("textarea[name=strengths]").fill("Hoàn thành các nhiệm vụ được phân công (minh họa).")
    row.locator("select[name=proposed_level]").select_option("good")
    row.locator("input[name=submit]").check()
    row.locator(".assess-form button[type=submit]").click()
    assert "Đã nộp bản kiểm điểm" in m2.inner_text("main")
    assert "Đã nộp" in m2.inner_text("#row-" + str(cycle.members.get(user__username="m2").pk))

    clerk = session("clerk")
    for box in clerk.locator("#attendance-form input[name=present]").all():
        box.check()
    clerk.click("#attendance-form button[type=submit]")
    clerk.locator("#row-collective .open-form button").click()
    assert "Đã mở biểu quyết" in clerk.inner_text("main")

    for name, level in (("m1", "good"), ("m2", "good"), ("m3", "excellent")):
        voter = m2 if name == "m2" else session(name)
        voter.goto(voter.url)
        voter.locator(f"#row-collective .vote-form input[value={level}]").check()
        voter.locator("#row-collective .vote-form button").click()
        assert "Đã ghi nhận phiếu của bạn" in voter.inner_text("main")
        assert "bạn đã bỏ phiếu" in voter.inner_text("#row-collective")
        assert voter.locator("#row-collective .vote-form").count() == 0  # no second ballot offered

    clerk.reload()
    assert "3 đã bỏ phiếu" in clerk.inner_text("#row-collective")  # counts hidden while open
    assert "Hoàn thành tốt nhiệm vụ: " not in clerk.inner_text("#row-collective")
    clerk.locator("#row-collective .close-form button").click()
    tally = clerk.inner_text("#row-collective")
    assert "Hoàn thành tốt nhiệm vụ: 2" in tally and "Hoàn thành xuất sắc nhiệm vụ: 1" in tally

    dora = session("dora")
    dora.locator("#row-collective .decide-form select[name=level]").select_option("excellent")
    dora.locator("#row-collective .decide-form button").click()
    assert "Mức cao nhất theo hồ sơ" in dora.inner_text("main")  # 11/19: excellent is above the ceiling, refused
    dora.locator("#row-collective .decide-form select[name=level]").select_option("good")
    dora.locator("#row-collective .decide-form button").click()
    assert "Đã ghi quyết định xếp loại" in dora.inner_text("main")
    assert "Hoàn thành tốt nhiệm vụ" in dora.inner_text("#row-collective .decision")

    with dora.expect_download() as download:
        dora.click("text=Tải biên bản kiểm phiếu")
    document = Document(str(download.value.path()))
    text = "\n".join(p.text for p in document.paragraphs) + "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text and "BIÊN BẢN" in text and "Ban Thường vụ (minh họa)" in text
    assert "Hoàn thành tốt nhiệm vụ" in text
