"""One reader of numbers for every road: JSON numbers are taken as they are, text is read strictly, and
text that reads two ways ("1.635": 1635 in Vietnamese, 1.635 in English) is refused on the API, where it
comes with no locale, with a message that says how to write it."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from nghiquyet.figures import values
from nghiquyet.imports.importer import import_file
from nghiquyet.imports.tests.helpers import write_csv
from nghiquyet.lib.errors import Invalid
from nghiquyet.targets.models import Result

JSON = "application/json"


@pytest.mark.parametrize(
    "raw, expected",
    [
        (1.635, D("1.635")),  # a JSON number, as sent
        (1635, D(1635)),
        ("0,21", D("0.21")),  # only the Vietnamese reading is valid
        ("1635", D(1635)),
        ("1.635,5", D("1635.5")),
        ("1,635.5", D("1635.5")),
        ("12,5%", D("12.5")),
    ],
)
def test_unambiguous_values_are_read(raw, expected):
    assert values.number(raw)[0] == expected


@pytest.mark.parametrize("raw", ["1.635", "1,635", "1.500", "2,000"])
def test_text_that_reads_two_ways_is_refused_saying_how_to_write_it(raw):
    with pytest.raises(Invalid, match="không rõ nghĩa") as caught:
        values.number(raw)
    assert "số JSON" in caught.value.message and "JSON number" in caught.value.english


def test_an_import_reads_text_under_its_locale():
    assert values.number("1.635", locale="vi")[0] == D(1635)
    assert values.number("1.635", locale="en")[0] == D("1.635")


@pytest.fixture
def ward(people, client):
    client.force_login(people.alice)
    return {"resolution": "ct-2021", "target": "10", "org_unit": "CT-NK-TA", "period": "2023"}


def test_the_api_refuses_an_ambiguous_string_and_writes_nothing(client, ward):
    before = Result.objects.count()
    response = client.post("/api/v1/results", ward | {"value": "1.635"}, content_type=JSON)
    assert response.status_code == 400
    assert response.json()["field"] == "value" and "không rõ nghĩa" in response.json()["detail"]
    assert Result.objects.count() == before


def test_the_api_reads_a_vietnamese_decimal_string_and_a_json_number(client, ward):
    response = client.post("/api/v1/results", ward | {"value": "0,21"}, content_type=JSON)
    assert response.status_code == 201 and response.json()["value"] == 0.21
    response = client.post("/api/v1/results", ward | {"value": 1.635, "kind": "estimate"}, content_type=JSON)
    assert response.status_code == 201 and response.json()["value"] == 1.635


def test_the_import_and_the_api_agree_on_what_they_both_accept(client, ward, people, tmp_path):
    header = ["resolution", "target", "org_unit", "period", "value"]
    report = import_file(write_csv(tmp_path / "results.csv", [header, ["ct-2021", "10", "CT-NK-XK", "2023", "0,21"]]))
    assert report.ok
    client.post("/api/v1/results", ward | {"value": "0,21"}, content_type=JSON)
    values_written = set(Result.objects.filter(period="2023", target__code="10").values_list("value", flat=True))
    assert values_written == {D("0.21")}
