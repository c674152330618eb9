"""A small hand-made tree under Quảng Nam: one district, four communes, reports set by hand.

District T90 has communes T9001, T9002, T9003 (created 1/8/2020, mid-year) and T9004
(created 1/11/2020, after the third quarter). Expected reports are made as
reports/generation.py makes them: one per unit active at the period's end.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from tests.monitoring.helpers import DUE, Tree


@pytest.fixture
def tree(plan: Any) -> Tree:
    from papitrack.orgunits.enums import UnitKind, UnitLevel
    from papitrack.orgunits.models import OrgUnit

    province = OrgUnit.objects.get(code="49")
    district = OrgUnit.objects.create(
        code="T90",
        kind=UnitKind.DISTRICT,
        level=UnitLevel.DISTRICT,
        name="Huyện Thử",
        parent=province,
    )
    starts = [None, None, datetime.date(2020, 8, 1), datetime.date(2020, 11, 1)]
    communes = [
        OrgUnit.objects.create(
            code=f"T900{number}",
            kind=UnitKind.COMMUNE,
            level=UnitLevel.COMMUNE,
            name=f"Xã Thử {number}",
            parent=district,
            valid_from=start,
        )
        for number, start in enumerate(starts, start=1)
    ]
    return Tree(plan=plan, province=province, district=district, communes=communes)


@pytest.fixture
def expect(tree: Tree) -> Any:
    """Create the expected reports of a task and period for the units active at its end."""
    from papitrack.reports.models import Report, ReportingPeriod
    from papitrack.tasks.models import Task

    def make(
        task_key: str, period_code: str, codes: list[str], due: datetime.date = DUE
    ) -> dict[str, Any]:
        task = Task.objects.get(plan=tree.plan, key=task_key)
        period = ReportingPeriod.objects.get(code=period_code)
        reports = {}
        for code in codes:
            unit = tree.unit(code)
            if unit.is_active_on(period.end):
                reports[code] = Report.objects.create(
                    task=task, unit=unit, period=period, due_date=due
                )
        return reports

    return make
