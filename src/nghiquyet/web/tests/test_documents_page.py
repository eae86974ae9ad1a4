"""Issuing reports on the web: the unit's administrators issue, the register numbers them in the body's series,
the file is kept as issued and downloaded as such; secret ones only for the unit's administrators."""

from __future__ import annotations

import pytest

from nghiquyet.reports.models import IssuedDocument

pytestmark = pytest.mark.django_db

PAGE = "/nghi-quyet/ct-2021/van-ban/"


def issue(client, **fields):
    body = {"org": "CT-NK-TA", "period": "2022", "body": "TU", "format": "docx", "signer": "(họ và tên)"} | fields
    return client.post(PAGE + "ban-hanh/", body, follow=True)


def test_an_administrator_issues_and_the_register_numbers_in_order(client, people):
    client.force_login(people.alice)
    assert "Đã ban hành Số 01-BC/TU" in issue(client).content.decode()
    page = issue(client, format="pdf").content.decode()
    assert "Số 02-BC/TU" in page and "Số 01-BC/TU" in page
    first = IssuedDocument.objects.get(number=1)
    response = client.get(f"/van-ban/{first.pk}/")
    assert response.status_code == 200 and response.content == bytes(first.content)
    assert response["Content-Disposition"].endswith('01-BC-TU.docx"')


def test_a_bad_body_symbol_is_a_message_and_no_number_is_used(client, people):
    client.force_login(people.alice)
    assert "Ký hiệu cơ quan" in issue(client, body="tu 1").content.decode()
    assert not IssuedDocument.objects.exists()
    assert "Số 01-BC/TU" in issue(client).content.decode()


def test_a_secret_document_is_for_the_units_administrators_only(client, people):
    client.force_login(people.alice)
    issue(client, secret="1")
    secret = IssuedDocument.objects.get()
    assert secret.secret
    client.force_login(people.bob)  # a reporter of the ward: sees its documents, not the secret one
    assert "Số 01-BC/TU" not in client.get(PAGE).content.decode()
    assert client.get(f"/van-ban/{secret.pk}/").status_code == 404


def test_others_neither_issue_nor_download(client, people):
    client.force_login(people.alice)
    issue(client)
    document = IssuedDocument.objects.get()
    client.force_login(people.bob)
    assert issue(client).status_code == 403
    client.force_login(people.dana)
    assert client.get(f"/van-ban/{document.pk}/").status_code == 404
    assert client.get("/van-ban/99999999999999999999/").status_code == 404
