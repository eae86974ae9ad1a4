"""`nghiquyet review rules|ceiling|tally`, on the demo (its 2021 cycle of the Standing Board, placeholder
members), and their errors."""

import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from nghiquyet.demo.loader import DEMO_USER, ensure_demo_user
from nghiquyet.demo.review import CYCLE_KEY, MEMBERS, ensure_demo_cycle
from nghiquyet.review.models import ReviewCycle

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command("review", *args, stdout=out, stderr=err)
    except SystemExit as exit:
        code = exit.code
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def demo_cycle(demo):
    ensure_demo_user()
    return ensure_demo_cycle(get_user_model().objects.get(username=DEMO_USER))


@pytest.mark.parametrize(("year", "key", "said"), [(2021, "qd-132-2018", "QĐ 132 Đ.12"), (2024, "qd-124-2023", "QĐ 124"),
                                                   (2025, "qd-366-2025", "QĐ 366 Đ.11")])
def test_rules_name_the_rule_set_of_the_year_with_sources(year, key, said):
    code, out, _ = run("rules", "--year", str(year))
    assert code == 0 and out.startswith(key) and said in out
    code, out, _ = run("rules", "--year", str(year), "--format", "json")
    data = json.loads(out)
    assert data["rule_set"] == key and all(rule["source"] and rule["certainty"] for rule in data["rules"])


def test_rules_before_2018_is_a_clear_error():
    code, _, err = run("rules", "--year", "2010")
    assert code == 2 and "2010" in err and "Traceback" not in err


def test_the_ceiling_of_can_tho_2021_is_good_because_of_eleven_of_nineteen(demo):
    code, out, _ = run("ceiling", "--resolution", "ct-2021", "--org", "CT", "--period", "2021", "--format", "json")
    data = json.loads(out)
    assert code == 0
    assert data["rule_set"] == "qd-132-2018" and data["ceiling"] == "good"
    assert any("11/19" in reason and "Xuất sắc" in reason for reason in data["reasons"])


def test_the_ceiling_by_another_year_uses_that_year_s_rules(demo):
    code, out, _ = run("ceiling", "--resolution", "ct-2021", "--org", "CT", "--period", "2021", "--year", "2025", "--format", "json")
    data = json.loads(out)
    assert data["rule_set"] == "qd-366-2025" and data["ceiling"] == "not_completed"  # under 70% of the tasks
    assert data["points"] is not None


@pytest.mark.parametrize("args", [("--resolution", "nope", "--org", "CT", "--period", "2021"),
                                  ("--resolution", "ct-2021", "--org", "CT", "--period", "2021", "--rule-set", "qd-1")])
def test_ceiling_errors_are_one_clear_line(demo, args):
    code, _, err = run("ceiling", *args)
    assert code == 2 and err.strip() and "Traceback" not in err


def test_the_demo_cycle_shows_the_ceiling_and_every_member(demo_cycle):
    assert demo_cycle.illustrative and ReviewCycle.objects.count() == 1
    code, out, _ = run("tally", CYCLE_KEY, "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["rule_set"] == "qd-132-2018"
    assert data["collective"]["ceiling"] == "good"
    assert not any(reason.startswith("Chưa có thông tin") for reason in data["collective"]["reasons"])  # facts recorded, checklists clear
    assert [member["name"] for member in data["members"]] == [name for name, _, _ in MEMBERS]
    assert all(member["state"] == "not_asked" and member["counts"] is None for member in data["members"])
    assert {check["rule"] for check in data["checks"]} == {"quota"}


def test_the_demo_cycle_is_made_once(demo_cycle):
    assert ensure_demo_cycle(get_user_model().objects.get(username=DEMO_USER)).pk == demo_cycle.pk


def test_tally_of_an_unknown_cycle(demo):
    code, _, err = run("tally", "nope")
    assert code == 2 and "nope" in err


def test_the_party_building_figures_the_review_quotes(demo):
    out = io.StringIO()
    call_command("scorecard", "--resolution", "ct-xdd-2021", "--org", "CT", "--period", "2021", "--format", "json", stdout=out)
    rows = {row["code"]: row for row in json.loads(out.getvalue())["targets"]}
    assert round(rows["XD-01"]["actual"]) == 99 and rows["XD-01"]["status"] == "exceeded"
    assert rows["XD-02"]["actual"] == 1635 and round(rows["XD-02"]["percent_of_plan"]) == 102
    assert rows["XD-03"]["status"] == "not_met"  # inspections behind the programme
    assert rows["XD-04"]["status"] == "not_met" and rows["XD-04"]["actual"] > rows["XD-04"]["previous_actual"]  # more disciplined than 2020
