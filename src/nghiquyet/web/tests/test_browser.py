"""A user's journey in a real browser: Playwright driving Debian's chromium, headless, against the live
test server. scripts/test installs chromium when it is missing."""

import os
import shutil

import pytest
from playwright.sync_api import expect

CHROMIUM = os.environ.get("NGHIQUYET_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not shutil.which(CHROMIUM), reason=f"no chromium at {CHROMIUM} (scripts/test installs it)"),
]


@pytest.fixture
def browser_page(transactional_db, live_server, monkeypatch):
    from playwright.sync_api import sync_playwright

    from nghiquyet.demo.loader import ensure_demo_user, load_demo

    # Playwright's sync API keeps an event loop in this thread; the ORM calls below are still synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    load_demo(migrate=False)
    ensure_demo_user()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(15000)
        yield page, live_server.url
        from django.db import connections

        connections.close_all()  # the connection the test opened while Playwright's loop ran is its own: PostgreSQL could not drop the test database
        browser.close()


def log_in(page, base):
    page.goto(base + "/")
    page.fill("#id_username", "demo")
    page.fill("#id_password", "nghiquyet-demo")
    page.click("section.login button[type=submit]")
    page.wait_for_url(base + "/")


def test_a_user_logs_in_reads_the_scorecard_switches_period_and_opens_a_target(browser_page):
    page, base = browser_page
    log_in(page, base)
    page.click("text=Nghị quyết về nhiệm vụ năm 2021 >> xpath=../a[contains(@class,'button')]")
    page.wait_for_selector("#summary")
    assert "11/19" in page.inner_text("#summary")
    assert page.locator("table.scorecard tbody tr").count() == 19

    page.select_option("#pick-period", "2020")  # HTMX swaps the table, no full reload
    expect(page.locator("#summary")).not_to_contain_text("11/19")
    expect(page.locator("#summary")).to_contain_text("/19 chỉ tiêu")
    assert "period=2020" in page.url

    page.select_option("#pick-period", "2021")
    expect(page.locator("#summary")).to_contain_text("11/19")
    page.click("table.scorecard >> text=Kết nạp đảng viên mới")
    page.wait_for_selector("h1")
    assert "Kết nạp đảng viên mới" in page.inner_text("h1")
    assert "102%" in page.inner_text("main")


def test_switching_the_unit_keeps_the_page(browser_page):
    page, base = browser_page
    log_in(page, base)
    page.goto(base + "/nghi-quyet/ct-2021/danh-gia/?org=CT&period=2021")
    page.evaluate("window.marker = 'same page'")
    page.select_option("#pick-org", "CT-NK")
    expect(page.locator("#summary")).to_contain_text("3/4")
    assert page.evaluate("window.marker") == "same page"  # the table was swapped, the page not reloaded


def test_the_pages_run_under_the_content_security_policy(browser_page):
    """No inline script: a page that worked only with 'unsafe-inline' would break here."""
    page, base = browser_page
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if "Content Security Policy" in message.text else None)
    log_in(page, base)
    page.goto(base + "/nghi-quyet/ct-2021/danh-gia/?org=CT&period=2021")
    page.select_option("#pick-period", "2020")
    expect(page.locator("#summary")).not_to_contain_text("11/19")
    assert errors == []


def test_switching_language_after_switching_period_keeps_the_period(browser_page):
    page, base = browser_page
    log_in(page, base)
    page.goto(base + "/nghi-quyet/ct-2021/danh-gia/?org=CT&period=2021")
    page.select_option("#pick-period", "2020")
    expect(page.locator("#summary")).not_to_contain_text("11/19")
    page.click("header button[value=en]")
    expect(page.locator("#summary")).to_contain_text("of 19 targets")
    assert "period=2020" in page.url


def test_an_anonymous_visitor_is_sent_to_the_login_page(browser_page):
    page, base = browser_page
    page.goto(base + "/nghi-quyet/ct-2021/danh-gia/")
    assert "/dang-nhap/" in page.url
    assert page.locator("#id_username").is_visible()


def test_a_reporter_types_figures_row_by_row_with_the_keyboard(browser_page):
    """From the scorecard to the entry page; a figure typed the Vietnamese way is saved when the cell is
    left, Enter moves down a row, a mistake is explained in its row, and the summary follows."""
    from decimal import Decimal

    from nghiquyet.targets.models import Result

    page, base = browser_page
    log_in(page, base)
    page.goto(base + "/nghi-quyet/ct-2021/danh-gia/?org=CT&period=2021")
    page.click("text=Nhập số liệu cho đơn vị này")
    page.select_option("#pick-period", "2024")
    page.click("form.pick button[type=submit]")
    rows = page.locator("#entry tbody tr")
    first, second = rows.nth(0).locator("input.cell-value"), rows.nth(1).locator("input.cell-value")
    first.fill("7,25")
    first.press("Enter")
    expect(second).to_be_focused()  # Enter went down a row, and leaving the cell saved it
    expect(rows.nth(0).locator("td.message")).to_contain_text("Đã lưu")
    second.fill("1.5")
    second.press("Tab")
    expect(rows.nth(1).locator("td.message")).to_contain_text("không rõ nghĩa")
    expect(page.locator("#summary")).to_contain_text("chỉ tiêu")
    saved = Result.objects.filter(target__resolution__key="ct-2021", period="2024", org_unit__code="CT")
    assert [r.value for r in saved] == [Decimal("7.25")] and saved[0].state == "draft"


def test_type_submit_return_fix_approve(browser_page, django_user_model):
    """The round of a unit's figures: the reporter types and submits; the approver returns with a reason;
    the reporter fixes and submits again; another approver approves, and the cells lock."""
    from nghiquyet.accounts.models import Role
    from nghiquyet.accounts.services import grant_role
    from nghiquyet.orgunits.models import OrgUnit

    page, base = browser_page
    city = OrgUnit.objects.get(code="CT", valid_to__isnull=False)
    approver = django_user_model.objects.create_user(username="duyet", password="mat-khau-dai-1")
    grant_role(user=approver, org_unit=city, role=Role.APPROVER)
    entry = base + "/nghi-quyet/ct-2021/nhap-so-lieu/?org=CT-NK&period=2024"

    log_in(page, base)  # demo: admin of the city, reporting for Ninh Kiều here
    page.goto(entry)
    cell = page.locator("#entry tbody tr").nth(0).locator("input.cell-value")
    cell.fill("12")
    cell.press("Tab")
    expect(page.locator("#entry tbody tr").nth(0).locator("td.message")).to_contain_text("Đã lưu")
    page.click("button[data-step=submit]")
    expect(page.locator(".set-state")).to_contain_text("chờ duyệt")
    expect(cell).to_be_disabled()

    other = page.context.browser.new_context().new_page()
    other.goto(base + "/dang-nhap/")
    other.fill("#id_username", "duyet")
    other.fill("#id_password", "mat-khau-dai-1")
    other.click("section.login button[type=submit]")
    other.goto(entry)
    other.fill("form.step input[name=reason]", "Số liệu quý 4 chưa khớp")
    other.click("button[data-step=return]")
    expect(other.locator(".set-state")).to_contain_text("trả lại")

    page.goto(entry)
    expect(page.locator(".data-set")).to_contain_text("Số liệu quý 4 chưa khớp")
    cell = page.locator("#entry tbody tr").nth(0).locator("input.cell-value")
    cell.fill("13")
    cell.press("Tab")
    expect(page.locator("#entry tbody tr").nth(0).locator("td.message")).to_contain_text("Đã lưu")
    page.click("button[data-step=submit]")
    expect(page.locator(".set-state")).to_contain_text("chờ duyệt")

    other.goto(entry)
    other.click("button[data-step=approve]")
    expect(other.locator(".set-state")).to_contain_text("Đã duyệt")
    expect(other.locator("#entry tbody tr").nth(0).locator("input.cell-value")).to_be_disabled()
    other.close()


def test_download_fill_upload_with_progress_then_write(browser_page, tmp_path):
    """The Excel round trip in the browser: the template from the entry page, filled in, uploaded; the page
    shows the job waiting and its progress, then what would change; "Ghi vào hệ thống" writes the drafts."""
    import threading

    import openpyxl
    from django.db import connection

    from nghiquyet.schedule.worker import _worker
    from nghiquyet.targets.models import Result

    page, base = browser_page
    log_in(page, base)
    page.goto(base + "/nghi-quyet/ct-2021/nhap-so-lieu/?org=CT-NK&period=2024")
    with page.expect_download() as download:
        page.click("#download-template")
    path = tmp_path / "mau.xlsx"
    download.value.save_as(path)
    book = openpyxl.load_workbook(path)
    book["Kết quả"]["J2"] = "7,5"
    book.save(path)

    page.click("#upload-link")
    page.set_input_files("input[type=file]", str(path))
    page.click("form.upload-form button[type=submit]")
    expect(page.locator("#upload-progress")).to_be_visible()  # queued: the bar and "waiting its turn"
    expect(page.locator(".upload-state")).to_contain_text("Đang chờ")

    worker = _worker(batch=False, interval=0.2)

    def work():
        try:
            worker.run()
        finally:
            connection.close()

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    try:
        expect(page.locator("#apply-upload")).to_be_visible()  # the page polled until the check was done
        expect(page.locator("#upload-status")).to_contain_text("1 thay đổi")
        page.click("#apply-upload")
        expect(page.locator("#upload-done")).to_be_visible()
    finally:
        worker.running = False
        thread.join(timeout=5)
    saved = Result.objects.get(target__resolution__key="ct-2021", period="2024", org_unit__code="CT-NK", target__position=1)
    assert saved.state == "draft"


def test_the_scorecard_fits_a_phone(browser_page):
    """390 px wide: the header wraps, a row of the table becomes a card; nothing scrolls sideways."""
    page, base = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, base)
    page.goto(base + "/nghi-quyet/ct-2021/danh-gia/?org=CT&period=2021")
    expect(page.locator("#summary")).to_contain_text("11/19")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.locator("header.site nav").bounding_box()["x"] + page.locator("header.site nav").bounding_box()["width"] <= 390
    assert page.locator("table.scorecard thead").is_hidden()


def test_the_dashboard_shows_its_charts_rendered(browser_page):
    """The status chart, the trend and the ranking are drawn by the vendored Vega bundle under the site's CSP
    (no eval, no inline style): each holds an SVG with the figures' labels; choosing another target redraws
    the drill-down after the HTMX swap; on a phone nothing scrolls sideways."""
    page, base = browser_page
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" and "Failed to load" not in message.text
            else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("response", lambda response: problems.append(response.url) if response.status >= 400 and "favicon" not in response.url else None)
    log_in(page, base)
    page.goto(base + "/nghi-quyet/ct-2021/tong-quan/?org=CT&period=2021&target=19")
    for chart in ("chart-status", "chart-trend", "chart-ranking"):
        expect(page.locator(f'[data-chart="{chart}"][data-rendered="true"] svg')).to_have_count(1)
    status_text = page.locator('[data-chart="chart-status"] svg').text_content()
    assert "Vượt" in status_text and "Không đạt" in status_text
    assert "1.600" in page.locator('[data-chart="chart-trend"] svg').text_content()  # Vietnamese thousands on the axis
    assert "Quận Ninh Kiều" in page.locator('[data-chart="chart-ranking"] svg').text_content()
    page.click("table.dashboard a:text('Tổng thu ngân sách nhà nước trên địa bàn')")
    expect(page.locator("#drill-title")).to_contain_text("Tổng thu ngân sách")
    expect(page.locator('[data-chart="chart-trend"][data-rendered="true"] svg')).to_have_count(1)
    assert "target=03" in page.url
    page.set_viewport_size({"width": 390, "height": 844})
    for target in ("03", "08", "19"):  # long figures and notes wrap inside the cards
        page.goto(base + f"/nghi-quyet/ct-2021/tong-quan/?org=CT&period=2021&target={target}")
        expect(page.locator('[data-chart="chart-trend"][data-rendered="true"] svg')).to_have_count(1)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, target
    assert problems == []


def test_a_task_from_a_target_not_met_is_reported_on_and_closed(browser_page):
    """The demo's administrator assigns a task to mend a target not met at the city, reports on it and closes it."""
    page, base = browser_page
    log_in(page, base)
    page.goto(base + "/nghi-quyet/ct-2021/chi-tieu/01/")
    form = page.locator("form.task-from-target").first
    form.locator("input[name=deadline]").fill("2027-06-30")
    form.locator("button").click()
    page.wait_for_selector("#task-status")
    assert "Đã tạo nhiệm vụ khắc phục chỉ tiêu" in page.inner_text("main")
    assert "Khắc phục chỉ tiêu 01." in page.inner_text("h1") and "Chưa thực hiện" in page.inner_text("#task-status")
    page.fill("#progress-form textarea[name=text]", "Đã rà soát nguyên nhân, đề xuất giải pháp (minh họa).")
    page.fill("#progress-form input[name=percent]", "50")
    page.click("#progress-form button")
    assert "Đã báo cáo tiến độ" in page.inner_text("main") and "Đang thực hiện" in page.inner_text("#task-status")
    assert "50%" in page.inner_text("#reports")
    page.fill("#close-form textarea[name=evidence]", "Báo cáo kết quả khắc phục (minh họa).")
    page.click("#close-form button")
    assert "Đã ghi hoàn thành nhiệm vụ" in page.inner_text("main") and "Hoàn thành" in page.inner_text("#task-status")
    assert page.locator("#progress-form").count() == 0  # a closed task takes no more reports
    page.goto(base + "/nghi-quyet/ct-2021/chi-tieu/01/")
    assert "Hoàn thành" in page.inner_text("#target-tasks")
    page.goto(base + "/nhiem-vu/?mine=1")
    assert "Khắc phục chỉ tiêu 01." in page.inner_text("#tasks")
