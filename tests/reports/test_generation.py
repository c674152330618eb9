"""Expected reports are generated for every (task × implementing unit × period)."""

import datetime

import pytest

from papitrack.reports.generation import generate_expected_reports
from papitrack.reports.models import Report

pytestmark = pytest.mark.django_db


def test_every_commune_owes_a_q3_report_on_poor_household_lists(plan):
    reports = Report.objects.filter(task__key="D2-T2", period__code="2020Q3")
    communes = reports.filter(unit__kind="commune")
    assert communes.count() == 233
    assert reports.filter(unit__kind="district").count() == 18
    assert reports.filter(unit__code="QNA-SLDTBXH", kind="consolidated").count() == 1


def test_due_dates_follow_the_level_and_the_calendar(plan):
    commune = Report.objects.get(task__key="D2-T2", period__code="2020Q3", unit__code="20605")
    district = Report.objects.get(task__key="D2-T2", period__code="2020Q3", unit__code="508")
    # cut-off 14/9/2020 (Monday): communes +2 working days, districts +4.
    assert commune.due_date == datetime.date(2020, 9, 16)
    assert district.due_date == datetime.date(2020, 9, 18)
    inspection = Report.objects.get(task__key="D5-T4", unit__code="QNA-SNV")
    assert inspection.period.code == "2020-09-30D"
    assert inspection.due_date == datetime.date(2020, 9, 30)


def test_generation_is_idempotent(plan):
    before = Report.objects.count()
    result = generate_expected_reports(plan=plan, years=[2020])
    assert (result.created, Report.objects.count()) == (0, before)
    assert "IX.1: Các cơ quan, đơn vị có liên quan" in result.unresolved
