"""The web pages: what a logged-in user sees, and that bad input is a message, not a crash."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(client, demo, django_user_model):
    """A viewer of the whole city."""
    from nghiquyet.accounts.services import grant_role
    from nghiquyet.orgunits.models import OrgUnit

    user = django_user_model.objects.create(username="reader")
    grant_role(user=user, org_unit=OrgUnit.objects.get(code="CT", valid_to__isnull=False), role="viewer")
    client.force_login(user)
    return client


def test_the_home_page_lists_resolutions_by_owner_and_term(reader):
    html = reader.get("/").content.decode()
    assert "Thành phố Cần Thơ" in html and "nhiệm kỳ 2020-2025" in html
    assert "Nghị quyết về nhiệm vụ năm 2021" in html and "ngày 18 tháng 12 năm 2020" in html
    assert "Dữ liệu minh họa" in html


def test_the_scorecard_page_shows_the_summary_and_every_target(reader):
    response = reader.get("/nghi-quyet/ct-2021/danh-gia/?org=CT&period=2021")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Thực hiện đạt và vượt 11/19 chỉ tiêu; 8/19 chỉ tiêu không đạt." in html
    assert html.count('<span class="status ') == 19
    assert "1.635" in html and "102%" in html and "0,21" in html


def test_the_scorecard_defaults_to_the_newest_year_with_results(reader):
    html = reader.get("/nghi-quyet/ct-2021/danh-gia/").content.decode()
    assert "11/19" in html and '<option value="2021" selected>' in html


def test_an_htmx_request_gets_only_the_table(reader):
    response = reader.get("/nghi-quyet/ct-2021/danh-gia/?org=CT-NK&period=2021", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html and "3/4 chỉ tiêu" in html


@pytest.mark.parametrize(
    "query, message",
    [
        ("?org=CT&period=2021-13", "không hợp lệ"),
        ("?org=CT&period=2030", "ngoài nhiệm kỳ"),
        ("?org=XX&period=2021", "Không tìm thấy đơn vị"),
        ("?org=CT-NK&period=2025-H2", "không có hiệu lực"),
    ],
)
def test_a_bad_unit_or_period_is_a_message_with_status_400(reader, query, message):
    response = reader.get(f"/nghi-quyet/ct-2021/danh-gia/{query}")
    assert response.status_code == 400 and message in response.content.decode()


def test_an_unknown_resolution_or_target_is_404(reader):
    assert reader.get("/nghi-quyet/nope/danh-gia/").status_code == 404
    assert reader.get("/nghi-quyet/ct-2021/chi-tieu/99/").status_code == 404


def test_the_target_page_shows_history_by_period_and_unit(reader):
    html = reader.get("/nghi-quyet/ct-2021/chi-tieu/19/").content.decode()
    assert html.index("Năm 2021") < html.index("Năm 2020")
    assert "Quận Ninh Kiều" in html and "104,58%" in html and "99,25%" in html


def test_the_resolution_page_lists_targets_and_links_scorecards(reader):
    html = reader.get("/nghi-quyet/ct-2021/").content.decode()
    assert "19 chỉ tiêu" in html and "Càng thấp càng tốt" in html
    assert "/nghi-quyet/ct-2021/danh-gia/?org=CT&amp;period=2021" in html


def test_login_and_logout(client, demo, django_user_model):
    django_user_model.objects.create_user(username="an", password="mat-khau-dai-1")
    response = client.post("/dang-nhap/", {"username": "an", "password": "sai"})
    assert response.status_code == 200 and "không đúng" in response.content.decode()
    response = client.post("/dang-nhap/", {"username": "an", "password": "mat-khau-dai-1"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200
    client.post("/dang-xuat/")
    assert client.get("/").status_code == 302


def test_pages_load_no_script_from_another_site(reader):
    for url in ("/", "/nghi-quyet/ct-2021/", "/nghi-quyet/ct-2021/danh-gia/", "/nghi-quyet/ct-2021/chi-tieu/19/", "/api/v1/docs"):
        html = reader.get(url).content.decode()
        assert "src=\"http" not in html and "href=\"http" not in html and "//cdn" not in html, url
