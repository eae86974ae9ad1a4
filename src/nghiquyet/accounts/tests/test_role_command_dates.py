"""Unit codes are read at a date. The README's example names its date, so it works whatever today is, and
a code that names no unit today says when it was valid and how to name that date (--on)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from nghiquyet.accounts.models import Membership

pytestmark = pytest.mark.django_db
README = Path(__file__).resolve().parents[4] / "README.md"


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
    except SystemExit as exit:
        return int(exit.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


@pytest.fixture
def lan(demo, django_user_model):
    return django_user_model.objects.create_user("lan", password="mat-khau-dai-1")


def test_the_readmes_role_example_works_today(lan):
    line = next(line for line in README.read_text(encoding="utf-8").splitlines() if "nghiquyet role add lan" in line)
    args = re.sub(r"\s+#.*$", "", line).split("nghiquyet ", 1)[1].split()
    code, out, err = run(*args)
    assert code == 0, err
    assert Membership.objects.filter(user=lan, org_unit__code="CT-NK", role="reporter").exists()


def test_a_code_not_valid_today_says_when_it_was_and_how_to_name_the_date(lan):
    code, _, err = run("role", "add", "lan", "--org", "CT-NK", "--role", "reporter")
    assert code == 2
    assert "--on" in err and "2025-06-30" in err
    assert len(err.strip().splitlines()) == 1
    assert not Membership.objects.filter(user=lan).exists()
