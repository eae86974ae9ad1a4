"""The English web UI: the language cookie switches the template text to English, Vietnamese stays the
default without it, the language switch posts to Django's set_language, and the English catalogue is
complete and compiled (scripts/compile-messages).

Vietnamese is the source language: the msgids are the Vietnamese text of the templates."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po
from django.conf import settings as django_settings
from django.utils.translation import templatize

pytestmark = pytest.mark.django_db

SCORECARD = "/nghi-quyet/ct-2021/danh-gia/?org=CT&period=2021"
TARGET = "/nghi-quyet/ct-2021/chi-tieu/10/"
TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
CATALOGUE_DIR = Path(django_settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES"
PO, MO = CATALOGUE_DIR / "django.po", CATALOGUE_DIR / "django.mo"
VIETNAMESE = re.compile(r"[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]", re.IGNORECASE)


@pytest.fixture
def english(client, settings):
    """A client whose language cookie asks for English (as set_language leaves it)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def page(client, url: str, **extra) -> str:
    response = client.get(url, **extra)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


# --- pages in English ------------------------------------------------------------------------------------


def test_the_home_page_is_in_english_with_the_cookie(english, people):
    english.force_login(people.alice)
    html = page(english, "/")
    assert '<html lang="en">' in html
    assert "<title>Resolutions · nghiquyet</title>" in html and "<h1>Resolutions</h1>" in html
    assert "View the target scorecard" in html and "No. 05-NQ/TU" in html
    assert "Log out" in html and "Unit administration" in html and "Audit log" in html
    assert "Xem đánh giá chỉ tiêu" not in html and "Đăng xuất" not in html


def test_the_scorecard_page_is_in_english_with_the_cookie(english, people):
    english.force_login(people.alice)
    html = page(english, SCORECARD)
    assert (
        '<th>Code</th><th>Target</th><th>Unit of measure</th><th class="num">Plan</th><th class="num">Actual</th>'
        '<th class="num">% of plan</th><th>Status</th><th>Change vs a year earlier</th>'
    ) in html
    assert "<label>Unit" in html and "<label>Period" in html
    assert "Exceeded: " in html and "Not met: " in html and 'aria-label="Summary"' in html
    assert 'title="Key target"' in html and "Download the table (Excel)" in html
    assert "★ key target · (est.) estimated result, no official figure yet · % of plan is given only" in html
    for vietnamese in ("Kế hoạch", "Thực hiện", "% KH", "So với cùng kỳ", "Vượt:", "Chỉ tiêu chủ yếu", "Tải bảng"):
        assert vietnamese not in html


def test_the_htmx_table_is_in_english_too(english, people):
    english.force_login(people.alice)
    html = page(english, "/nghi-quyet/ct-2021/danh-gia/?org=CT-NK&period=2021", HTTP_HX_REQUEST="true")
    assert "<html" not in html and '<th class="num">Plan</th>' in html and "Exceeded: 3" in html


def test_the_target_page_is_in_english_with_the_cookie(english, people):
    english.force_login(people.alice)
    html = page(english, TARGET)
    assert "Unit of measure: %" in html and 'title="Key target"' in html
    assert '<th>Unit</th><th class="num">Plan</th><th class="num">Actual</th><th class="num">% of plan</th>' in html
    assert "not yet approved" in html  # the wards' draft results for 2022, which an admin sees
    assert "Đơn vị tính" not in html and "chưa duyệt" not in html


def test_the_resolution_page_is_in_english_with_the_cookie(english, people):
    english.force_login(people.alice)
    html = page(english, "/nghi-quyet/ct-2021/")
    assert "<h2>19 targets</h2>" in html and "Lead unit: " in html and "Implements <a" in html
    assert "<th>Direction</th>" in html and "<h2>19 chỉ tiêu</h2>" not in html


def test_the_account_page_is_in_english_with_the_cookie(english, people):
    english.force_login(people.alice)
    html = page(english, "/tai-khoan/")
    assert "<title>Account · nghiquyet</title>" in html and "<h1>Account alice</h1>" in html
    assert "<h2>Roles</h2>" in html and "and the units under it" in html
    assert "<h2>Two-step login</h2>" in html and "<h2>API tokens</h2>" in html
    assert "Create a new token" in html and "Create token" in html and "No tokens yet." in html
    assert "Khóa API" not in html and "Tạo khóa" not in html


def test_the_login_page_is_in_english_with_the_cookie(english):
    html = page(english, "/dang-nhap/")
    assert '<html lang="en">' in html and "<title>Log in · nghiquyet</title>" in html
    assert "<h1>Log in</h1>" in html and ">Username</label>" in html and ">Password</label>" in html
    assert '<button type="submit">Log in</button>' in html
    assert "Đăng nhập" not in html and "Mật khẩu" not in html


# --- Vietnamese stays the default ---------------------------------------------------------------------------


def test_without_the_cookie_the_pages_stay_vietnamese(client, people):
    html = page(client, "/dang-nhap/")
    assert '<html lang="vi">' in html and "<h1>Đăng nhập</h1>" in html and ">Tên đăng nhập</label>" in html
    assert "Log in" not in html
    client.force_login(people.alice)
    html = page(client, SCORECARD)
    assert '<html lang="vi">' in html
    assert (
        '<th>Mã</th><th>Chỉ tiêu</th><th>ĐVT</th><th class="num">Kế hoạch</th><th class="num">Thực hiện</th>'
        '<th class="num">% KH</th><th>Đánh giá</th><th>So với cùng kỳ</th>'
    ) in html
    assert "★ chỉ tiêu chủ yếu · (ước) ước thực hiện, chưa có số chính thức · % KH chỉ tính cho chỉ tiêu “càng cao càng tốt”." in html
    assert "Plan" not in html and "Actual" not in html
    assert "Xem đánh giá chỉ tiêu" in page(client, "/")
    assert "<h1>Tài khoản alice</h1>" in page(client, "/tai-khoan/")
    html = page(client, "/nghi-quyet/ct-2021/")
    assert "<h2>19 chỉ tiêu</h2>" in html and "· Thực hiện <a" in html


def test_an_unknown_language_cookie_falls_back_to_vietnamese(client, settings, people):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    client.force_login(people.alice)
    assert '<html lang="vi">' in page(client, "/")


# --- the language switch ------------------------------------------------------------------------------------


def test_every_page_has_a_language_switch_of_two_buttons_and_no_inline_script(client, people):
    client.force_login(people.alice)
    html = page(client, SCORECARD)
    form = re.search(r'<form method="post" action="/i18n/setlang/"[^>]*>.*?</form>', html, re.S)
    assert form, "no language switch in the header"
    assert '<input type="hidden" name="next" value="/nghi-quyet/ct-2021/danh-gia/?org=CT&amp;period=2021" class="language-next">' in form[0]
    assert 'name="csrfmiddlewaretoken"' in form[0]
    assert re.search(r'<button type="submit" name="language" value="vi"[^>]*>Tiếng Việt</button>', form[0])
    assert re.search(r'<button type="submit" name="language" value="en"[^>]*>English</button>', form[0])
    assert "<select" not in form[0]
    for other in (html, page(client, "/"), page(client, "/tai-khoan/")):
        assert not re.search(r"\son[a-z]+=", other), "inline event handler"
        assert not re.search(r"<script(?![^>]*\bsrc=)", other), "inline script"


def test_the_login_page_has_the_language_switch_too(client):
    html = page(client, "/dang-nhap/?next=/tai-khoan/")
    assert 'action="/i18n/setlang/"' in html
    assert '<input type="hidden" name="next" value="/dang-nhap/?next=/tai-khoan/" class="language-next">' in html
    assert 'name="language" value="en"' in html and 'name="language" value="vi"' in html


def test_posting_the_language_sets_the_cookie_and_goes_back_to_next(client, settings, people):
    client.force_login(people.alice)
    response = client.post("/i18n/setlang/", {"language": "en", "next": SCORECARD})
    assert response.status_code == 302 and response["Location"] == SCORECARD
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert '<th class="num">Plan</th>' in page(client, SCORECARD)

    response = client.post("/i18n/setlang/", {"language": "vi", "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "vi"
    assert '<th class="num">Kế hoạch</th>' in page(client, SCORECARD)


def test_the_switch_does_not_redirect_to_another_site(client, settings):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


# --- the catalogue ------------------------------------------------------------------------------------------


def load_po():
    with PO.open("rb") as handle:
        return read_po(handle, locale="en", domain="django")


def entries(catalog) -> dict:
    """{(context, msgid): msgstr}, plural ids and strings as tuples, the header left out."""
    def plain(value):
        return tuple(value) if isinstance(value, list | tuple) else value

    return {(message.context, plain(message.id)): plain(message.string) for message in catalog if message.id}


def test_the_catalogue_header_is_english_utf8_with_two_plural_forms():
    text = PO.read_text(encoding="utf-8")
    assert '"Language: en\\n"' in text
    assert '"Content-Type: text/plain; charset=UTF-8\\n"' in text
    assert '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"' in text


def test_every_message_has_an_english_translation_with_the_same_placeholders():
    catalog = load_po()
    messages = [message for message in catalog if message.id]
    assert len(messages) > 100
    for message in messages:
        strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
        assert strings and all(s.strip() for s in strings), f"untranslated: {message.id!r}"
        assert not message.fuzzy, f"fuzzy: {message.id!r}"
    assert [(message.id, errors) for message, errors in catalog.check() if errors] == []


def test_every_translatable_template_text_is_in_the_catalogue():
    """What makemessages would extract from the templates (Django's templatize, read by Babel)."""
    wanted = set()
    for template in sorted(TEMPLATES.rglob("*.html")):
        source = templatize(template.read_text(encoding="utf-8"), origin=str(template))
        # templatize keeps the template's lines and indentation, which Python's tokenizer would reject.
        source = "\n".join(line.lstrip() for line in source.splitlines())
        for _line, message, _comments, context in extract("python", io.BytesIO(source.encode()), keywords=DEFAULT_KEYWORDS):
            wanted.add((context, message[0] if isinstance(message, tuple) else message))
    known = {(context, msgid[0] if isinstance(msgid, tuple) else msgid) for context, msgid in entries(load_po())}
    assert len(wanted) > 100
    assert sorted(wanted - known, key=str) == []


def test_no_vietnamese_text_in_a_template_is_left_outside_a_translation_tag():
    """A guard against new untranslated text: strip the translation blocks, tags, variables and comments;
    what is left must not be Vietnamese (language names excepted). Words without diacritics slip by."""
    left = []
    for template in sorted(TEMPLATES.rglob("*.html")):
        text = template.read_text(encoding="utf-8")
        text = re.sub(r"{%\s*blocktrans(?:late)?\b.*?{%\s*endblocktrans(?:late)?\s*%}", "", text, flags=re.S)
        text = re.sub(r"{%.*?%}|{{.*?}}|{#.*?#}", "", text, flags=re.S)
        text = text.replace("Tiếng Việt", "")
        left += [f"{template.name}: {line.strip()}" for line in text.splitlines() if VIETNAMESE.search(line)]
    assert left == []


def test_the_compiled_catalogue_is_up_to_date_with_the_po(tmp_path):
    """scripts/compile-messages was run after the last change to django.po."""
    assert MO.exists(), "run scripts/compile-messages"
    fresh = tmp_path / "django.mo"
    with fresh.open("wb") as handle:
        write_mo(handle, load_po(), use_fuzzy=False)
    with MO.open("rb") as handle:
        committed = read_mo(handle)
    with fresh.open("rb") as handle:
        expected = read_mo(handle)
    assert entries(committed) == entries(expected)
    assert committed.plural_forms == "nplurals=2; plural=(n != 1);"


def test_the_compile_script_is_an_executable_file():
    script = Path(__file__).resolve().parents[4] / "scripts" / "compile-messages"
    assert script.is_file() and script.stat().st_mode & 0o111
    assert script.read_text(encoding="utf-8").startswith("#!/usr/bin/env bash")


def test_a_recurring_tasks_deadline_and_the_follow_up_panel_in_english(english, people):
    from nghiquyet.followup import services
    from nghiquyet.targets.models import Target

    target = Target.objects.get(resolution__key="ct-dtc", code="DTC-01")
    task = services.add_task(user=people.alice, lead_unit=people.city, title="Đẩy nhanh giải ngân", cadence="quarterly", targets=[target])
    english.force_login(people.alice)
    assert "<td>recurring, quarterly</td>" in page(english, "/nhiem-vu/")
    assert "Recurring, quarterly" in page(english, f"/nhiem-vu/{task.pk}/")
    board = page(english, "/nghi-quyet/ct-dtc/tong-quan/?org=CT&period=2022")
    assert "overdue: 0" in board and "Thực hiện kết luận" not in board and "quá hạn" not in board
    assert "No unit below has a plan or a figure for this target in this period (12 units)." in board
