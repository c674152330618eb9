"""The plan loader's consistency checks, recomputed from the stored targets for the overview.

The loader reports these when it reads the file (plans.planfile, _consistency_warnings) but
does not store them; recomputing keeps the page right after a reload. They are checks of the
source document, not of our data.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from papitrack.plans.evaluation import EvaluationRow
from papitrack.plans.models import Plan
from papitrack.tasks.enums import SourceFlag
from papitrack.tasks.models import Task

# Flags that change how a task must be read; the others are kept only as notes.
WARNING_FLAGS = (SourceFlag.TRUNCATED_LEAD,)


@dataclass(frozen=True)
class SumCheck:
    label: str
    stated_label: str
    stated: Decimal
    computed_label: str
    computed: Decimal
    terms: tuple[Decimal, ...]

    @property
    def difference(self) -> Decimal:
        return self.stated - self.computed

    @property
    def agrees(self) -> bool:
        return self.difference == 0


@dataclass(frozen=True)
class FlaggedTask:
    task: Task
    flag: str

    @property
    def flag_label(self) -> str:
        return SourceFlag(self.flag).label


def sum_checks(*, plan: Plan, rows: Sequence[EvaluationRow]) -> list[SumCheck]:
    """Stated baseline vs the sum of implied baselines; overall target vs the sum of targets."""
    overall = next((row for row in rows if row.number == 0), None)
    dimensions = [row for row in rows if row.number > 0]
    checks: list[SumCheck] = []
    if not dimensions:
        return checks
    if plan.stated_baseline_score is not None:
        implied = tuple(row.implied_baseline for row in dimensions)
        checks.append(
            SumCheck(
                label=f"Điểm năm gốc {plan.baseline_year}",
                stated_label="ghi trong kế hoạch",
                stated=plan.stated_baseline_score,
                computed_label=(
                    f"tổng điểm gốc suy ra của {len(dimensions)} chỉ số nội dung "
                    "(chỉ tiêu trừ mức tăng)"
                ),
                computed=sum(implied, Decimal(0)),
                terms=implied,
            )
        )
    if overall is not None:
        targets = tuple(row.target for row in dimensions)
        checks.append(
            SumCheck(
                label=f"Chỉ tiêu năm {plan.target_year}",
                stated_label="chỉ tiêu tổng hợp",
                stated=overall.target,
                computed_label=f"tổng chỉ tiêu của {len(dimensions)} chỉ số nội dung",
                computed=sum(targets, Decimal(0)),
                terms=targets,
            )
        )
        increments = tuple(row.increment for row in dimensions)
        checks.append(
            SumCheck(
                label=f"Mức tăng so với năm {plan.baseline_year}",
                stated_label="mức tăng tổng hợp",
                stated=overall.increment,
                computed_label=f"tổng mức tăng của {len(dimensions)} chỉ số nội dung",
                computed=sum(increments, Decimal(0)),
                terms=increments,
            )
        )
    return checks


def flagged_tasks(tasks: Iterable[Task]) -> list[FlaggedTask]:
    return [
        FlaggedTask(task=task, flag=flag)
        for task in tasks
        for flag in task.flags
        if flag in WARNING_FLAGS
    ]
