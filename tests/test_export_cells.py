"""Every spreadsheet the site writes keeps text that looks like a formula as text.

Typed text beginning with = + - @ is what a spreadsheet would run ("=1+1", "@SUM(A1)",
"-2+3", "+cmd|' /C calc'!A0"); each export is read back and such a cell must be a string, never
a formula, while a negative number in a number field stays a number.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from io import BytesIO
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from campaigns.documents import bulletin_xlsx
from campaigns.models import Report, Target
from relief.models import Person
from tests.campaigns.test_documents import month
from tests.conftest import Plan, Tree, client_for
from tests.relief.factories import person

FORMULAS = ["=1+1", "@SUM(A1)", "-2+3", "+cmd|' /C calc'!A0"]


def cells(data: bytes) -> list[Any]:
    book = load_workbook(BytesIO(data))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def assert_text_not_formula(data: bytes, texts: list[str]) -> list[Any]:
    found = cells(data)
    assert not [c.coordinate for c in found if c.data_type == "f"], "a formula was written"
    for text in texts:
        matching = [c for c in found if c.value == text]
        assert matching, f"{text!r} not exported"
        assert all(c.data_type == "s" for c in matching), text
    return found


def test_the_plan_export_keeps_formula_like_text_as_text(plan: Plan, tree: Tree, office):
    task = plan.task_a
    type(task).objects.filter(pk=task.pk).update(goal=FORMULAS[0], content=FORMULAS[1])
    indicator = plan.indicator_a
    type(indicator).objects.filter(pk=indicator.pk).update(scope_note=FORMULAS[2])
    Target.objects.update_or_create(
        indicator=indicator,
        unit=tree.township_a,
        defaults={"value": Decimal("-2"), "note": FORMULAS[3]},
    )
    type(plan.published).objects.filter(pk=plan.published.pk).update(doc_number="=1+1")
    url = reverse("campaigns:campaign_export", args=[plan.published.pk])
    response = client_for(office).get(url)
    assert response.status_code == 200
    found = assert_text_not_formula(response.content, FORMULAS)
    negative = [c for c in found if c.value == -2]
    assert negative and all(c.data_type == "n" for c in negative)


def test_the_roster_export_keeps_formula_like_text_as_text(tree: Tree, township_a):
    mine = person(tree.township_a, name="公式")
    Person.objects.filter(pk=mine.pk).update(
        relation=FORMULAS[0], phone=FORMULAS[1], name=FORMULAS[2], monthly_amount=Decimal("-5")
    )
    person(tree.township_a, name="另一个", relation=FORMULAS[3])
    response = client_for(township_a).get(reverse("relief:person_export"))
    assert response.status_code == 200
    found = assert_text_not_formula(response.content, FORMULAS)
    negative = [c for c in found if c.value == -5]
    assert negative and all(c.data_type == "n" for c in negative)


def test_the_report_template_keeps_formula_like_text_as_text(plan: Plan, tree: Tree, township_a):
    report = plan.report_a
    Report.objects.filter(pk=report.pk).update(
        progress=FORMULAS[0], problems=FORMULAS[1], plans=FORMULAS[2]
    )
    entry = report.entries.get()
    type(entry).objects.filter(pk=entry.pk).update(note=FORMULAS[3])
    with time_machine.travel(
        datetime(2020, 4, 20, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False
    ):
        url = reverse("campaigns:report_template", args=[plan.period.pk, tree.township_a.pk])
        response = client_for(township_a).get(url)
    assert response.status_code == 200
    assert_text_not_formula(response.content, FORMULAS)


@pytest.mark.parametrize("words", FORMULAS)
def test_the_bulletin_workbook_keeps_formula_like_text_as_text(plan: Plan, tree: Tree, words):
    bulletin = month(plan, 4, {tree.township_a: (30, 50)}, problems=words)
    assert_text_not_formula(bulletin_xlsx(bulletin), [words])
