"""Documents drafted once per module from the session's demo data (they only read it)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest

# The day the figures are taken on: after the 2020 cycle's due dates, so states are final.
TODAY = datetime.date(2021, 2, 1)
RECIPIENTS = ("UBND tỉnh (b/c)", "Các Sở, Ban, ngành", "Lưu: VT, CCHC")


@dataclass(frozen=True)
class Drafted:
    data: Any
    docx: bytes


def draft_consolidated(period_code: str) -> Drafted:
    from papitrack.exports.documents.consolidated import ConsolidatedReportExporter
    from papitrack.exports.documents.consolidated_data import consolidated_report_data
    from papitrack.exports.officialdoc import SignatureBlock
    from papitrack.orgunits.models import OrgUnit
    from papitrack.plans.models import Plan

    data = consolidated_report_data(
        plan=Plan.objects.get(code="QNA-4055-2020"),
        period_code=period_code,
        issuer_unit=OrgUnit.objects.select_related("parent").get(code="QNA-SNV"),
        signature=SignatureBlock(("KT. GIÁM ĐỐC",), "PHÓ GIÁM ĐỐC", "Nguyễn Văn A"),
        recipients=RECIPIENTS,
        today=TODAY,
    )
    return Drafted(data=data, docx=ConsolidatedReportExporter().render(data))


@pytest.fixture(scope="module")
def six_month_report(django_db_setup: None, django_db_blocker: Any) -> Drafted:
    with django_db_blocker.unblock():
        return draft_consolidated("2020S2")


@pytest.fixture(scope="module")
def annual_report(django_db_setup: None, django_db_blocker: Any) -> Drafted:
    with django_db_blocker.unblock():
        return draft_consolidated("2020")
