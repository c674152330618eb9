"""KPI values read from the database and turned into tallies per (KPI, group).

- For tasks that report for the period itself: values summed in SQL per (KPI, group, unit
  kind), plus the districts' answers standing in for communes that gave none of their own.
- For tasks that do not (a deadline task seen over the year): one UNION query of per-unit
  rows, combined over the task's shortest periods by the KPI's accumulation rule.

Rules: docs/ARCHITECTURE.md, "Roll-up rules".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import (
    Aggregate,
    BigIntegerField,
    BooleanField,
    CharField,
    DecimalField,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
)

from papitrack.monitoring.enums import ZeroDenominator
from papitrack.monitoring.models import KpiRollupRule
from papitrack.monitoring.queries.aggregates import plain_count
from papitrack.monitoring.queries.expected import ExpectedReports
from papitrack.monitoring.queries.facts import fact_answer_rows, fact_value_rows
from papitrack.monitoring.queries.scope import PeriodRef, group_of, in_scope
from papitrack.monitoring.queries.stored import (
    AUTO,
    current_stored_level,
    reads_facts,
    stored_child_answer_rows,
    stored_value_rows,
)
from papitrack.monitoring.rollup import (
    Family,
    Observation,
    Tally,
    combine_periods,
    default_accumulation,
    family_of,
    population_kinds,
    unit_tally,
)
from papitrack.orgunits.models import OrgUnit
from papitrack.reports.enums import MilestoneStatus, ReportKind
from papitrack.reports.models import ChildAnswer, KpiValue, Report
from papitrack.tasks.enums import Comparator
from papitrack.tasks.models import Kpi, Task

RATIO_GIVEN = Q(numerator__isnull=False, denominator__isnull=False)
# The per-unit threshold of a count KPI, as rollup.meets_threshold reads it.
COUNT_LOOKUPS = {
    "": "gte",
    Comparator.AT_LEAST: "gte",
    Comparator.MORE_THAN: "gt",
    Comparator.AT_MOST: "lte",
    Comparator.LESS_THAN: "lt",
    Comparator.EQUAL: "exact",
}


def meets_threshold(kpis: Iterable[Kpi]) -> Q:
    """Values of count KPIs that reach their KPI's per-unit threshold (none means ≥ 1).

    Built from the KPIs in hand, so the value rows need no join on the KPI table (a join
    per row costs as much as the rest of the national roll-up).
    """
    condition = Q(pk__in=[])
    for kpi in kpis:
        if family_of(kpi.kind) is not Family.COUNT:
            continue
        lookup = COUNT_LOOKUPS[kpi.comparator] if kpi.value is not None else "gte"
        threshold = kpi.value if kpi.value is not None else Decimal(1)
        condition |= Q(kpi_id=kpi.pk, **{f"count__{lookup}": threshold})
    return condition


def rule_of(kpi: Kpi) -> tuple[str, str]:
    """(accumulation, zero_denominator) of a KPI: its stored rule or its kind's default."""
    # A missing one-to-one raises an AttributeError subclass, so getattr's default applies.
    rule: KpiRollupRule | None = getattr(kpi, "rollup_rule", None)
    if rule is None:
        return default_accumulation(kpi.kind), ZeroDenominator.NO_DATA
    return rule.accumulation, rule.zero_denominator


# --- values for the period itself (summed in SQL) ---------------------------------------------


@dataclass
class _Sums:
    ratio_reported: int = 0
    numerator: Decimal = Decimal(0)
    denominator: Decimal = Decimal(0)
    answered: int = 0
    yes: int = 0
    counted: int = 0
    events: Decimal = Decimal(0)
    meeting: int = 0
    milestone_reported: int = 0
    done: int = 0
    extra_members: int = 0

    def add(self, row: dict[str, Any]) -> None:
        """A row of `value_aggregates` sums, all of them or one family's (FAMILY_SUMS)."""
        self.ratio_reported += row.get("ratio_reported", 0)
        self.numerator += row.get("sum_numerator") or 0
        self.denominator += row.get("sum_denominator") or 0
        self.answered += row.get("answered", 0)
        self.yes += row.get("yes", 0)
        self.counted += row.get("counted", 0)
        self.events += row.get("sum_events") or 0
        self.meeting += row.get("meeting", 0)
        self.milestone_reported += row.get("milestone_reported", 0)
        self.done += row.get("done", 0)

    def merge(self, other: _Sums) -> None:
        self.ratio_reported += other.ratio_reported
        self.numerator += other.numerator
        self.denominator += other.denominator
        self.answered += other.answered
        self.yes += other.yes
        self.counted += other.counted
        self.events += other.events
        self.meeting += other.meeting
        self.milestone_reported += other.milestone_reported
        self.done += other.done
        self.extra_members += other.extra_members


def _value_reports(prefix: str, lead_only: Iterable[int]) -> Q:
    """Units' own reports; the lead's consolidated report only for a task that has no unit
    reports (implementers not named), so that nothing is counted twice."""
    return Q(**{f"{prefix}kind": ReportKind.UNIT}) | Q(
        **{f"{prefix}kind": ReportKind.CONSOLIDATED, f"{prefix}task_id__in": list(lead_only)}
    )


# The sums each family's tally reads (_tally_from_sums): a read of one family's values
# asks only these.
FAMILY_SUMS: dict[Family, tuple[str, ...]] = {
    Family.RATIO: ("ratio_reported", "sum_numerator", "sum_denominator"),
    Family.ANSWER: ("answered", "yes"),
    Family.COUNT: ("counted", "sum_events", "meeting"),
    Family.MILESTONE: ("milestone_reported", "done"),
}


def family_aggregates(family: Family, kpis: Iterable[Kpi]) -> dict[str, Aggregate]:
    """`value_aggregates` of the sums one family's tally reads."""
    every = value_aggregates(kpis)
    return {name: every[name] for name in FAMILY_SUMS[family]}


def value_aggregates(kpis: Iterable[Kpi]) -> dict[str, Aggregate]:
    """The sums a roll-up needs of a set of KPI values (shared with the stored roll-ups)."""
    return {
        "ratio_reported": plain_count("id", filter=RATIO_GIVEN),
        "sum_numerator": Sum("numerator", filter=RATIO_GIVEN),
        "sum_denominator": Sum("denominator", filter=RATIO_GIVEN),
        "answered": plain_count("id", filter=Q(answer__isnull=False)),
        "yes": plain_count("id", filter=Q(answer=True)),
        "counted": plain_count("id", filter=Q(count__isnull=False)),
        "sum_events": Sum("count"),
        "meeting": plain_count("id", filter=meets_threshold(kpis)),
        "milestone_reported": plain_count("id", filter=~Q(milestone_status="")),
        "done": plain_count("id", filter=Q(milestone_status=MilestoneStatus.DONE)),
    }


def _grouped_values(
    *,
    plan_id: int,
    kpis: list[Kpi],
    period: PeriodRef,
    root: OrgUnit | None,
    statuses: Sequence[str],
    lead_only: set[int],
    stored_level: int | None,
    facts: bool,
) -> list[dict[str, Any]]:
    """Value sums per (KPI, group, unit kind): from the stored roll-ups at `stored_level`
    (current_stored_level), from the fact tables, or from the values themselves."""
    if facts:
        # One read per family, each of its KPIs' tasks and with its own sums only: every
        # value row pays for 2 or 3 aggregates instead of 10 (half the national read).
        families: dict[Family, list[Kpi]] = defaultdict(list)
        for kpi in kpis:
            families[family_of(kpi.kind)].append(kpi)
        return [
            row
            for family, family_kpis in families.items()
            for row in fact_value_rows(
                plan_id=plan_id,
                kpis=[(kpi.task_id, kpi.pk) for kpi in family_kpis],
                period_id=period.id,
                statuses=statuses,
                reports=_value_reports("", lead_only),
                aggregates=family_aggregates(family, family_kpis),
            )
        ]
    if stored_level is not None:
        return stored_value_rows(
            plan_id=plan_id,
            kpi_ids=[kpi.pk for kpi in kpis],
            period_id=period.id,
            level=stored_level,
            root=root,
            statuses=statuses,
            lead_only=lead_only,
        )
    values = (
        KpiValue.objects.filter(
            kpi_id__in=[kpi.pk for kpi in kpis],
            report__period_id=period.id,
            report__status__in=statuses,
        )
        .filter(_value_reports("report__", lead_only))
        .filter(in_scope("report__unit", root))
    )
    return list(
        values.annotate(group=group_of("report__unit", root))
        .values("kpi_id", "group", "report__unit__kind")
        .annotate(**value_aggregates(kpis))
        .order_by()
    )


def own_answers() -> QuerySet[KpiValue]:
    """For a ChildAnswer (outer query): the child unit's own answer to the same KPI, in its
    own report for the task and period. Counted, it takes precedence over the district's."""
    return KpiValue.objects.filter(
        kpi_id=OuterRef("kpi_id"),
        report__task_id=OuterRef("report__task_id"),
        report__period_id=OuterRef("report__period_id"),
        report__unit_id=OuterRef("child_id"),
        report__kind=ReportKind.UNIT,
        answer__isnull=False,
    )


def owes_report() -> Exists:
    """For a ChildAnswer (outer query): the child unit owes a report of its own."""
    return Exists(
        Report.objects.filter(
            task_id=OuterRef("report__task_id"),
            period_id=OuterRef("report__period_id"),
            unit_id=OuterRef("child_id"),
            kind=ReportKind.UNIT,
        )
    )


# (KPI, group, child unit kind, answers, yes answers, answers for children owing no report)
ChildAnswerSums = tuple[int, int, str, int, int, int]


def _fallback_answers(
    *,
    plan_id: int,
    kpi_ids: list[int],
    period: PeriodRef,
    root: OrgUnit | None,
    statuses: Sequence[str],
    stored_level: int | None,
    facts: bool,
) -> list[ChildAnswerSums]:
    """District answers that stand in for communes without a counted answer of their own,
    summed per (KPI, group, child kind): stored at `stored_level`, from the fact tables, or
    read live."""
    if not kpi_ids:
        return []
    if facts:
        return fact_answer_rows(
            plan_id=plan_id, kpi_ids=kpi_ids, period_id=period.id, statuses=statuses
        )
    if stored_level is not None:
        return stored_child_answer_rows(
            plan_id=plan_id,
            kpi_ids=kpi_ids,
            period_id=period.id,
            level=stored_level,
            root=root,
            statuses=statuses,
        )
    answers = (
        ChildAnswer.objects.filter(
            kpi_id__in=kpi_ids,
            report__period_id=period.id,
            report__status__in=statuses,
            report__kind=ReportKind.UNIT,
            answer__isnull=False,
        )
        .filter(in_scope("child", root))
        .filter(~Exists(own_answers().filter(report__status__in=statuses)))
        .annotate(group=group_of("child", root), owes=owes_report())
        .values_list("kpi_id", "group", "child__kind", "answer", "owes")
        .order_by()
    )
    sums: dict[tuple[int, int, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    for kpi_id, group_id, kind, answer, owes in answers:
        count_answer(sums[(kpi_id, group_id, kind)], answer=answer, owes=owes)
    return [(*key, answered, yes, extra) for key, (answered, yes, extra) in sums.items()]


def count_answer(sums: list[int], *, answer: bool | None, owes: bool) -> None:
    """One stand-in answer into [answers, yes answers, answers for children owing no
    report]."""
    sums[0] += 1
    sums[1] += bool(answer)
    sums[2] += not owes


def explicit_tallies(
    *,
    tasks: list[Task],
    period: PeriodRef,
    rows: Sequence[ExpectedReports],
    root: OrgUnit | None,
    statuses: Sequence[str],
    lead_only: set[int],
    source: str = AUTO,
) -> dict[tuple[int, int], Tally]:
    """(KPI, group) -> tally for tasks that report for the period itself (two queries, and
    one or two to see whether stored roll-ups or the facts serve the scope)."""
    tallies: dict[tuple[int, int], Tally] = {}
    kpis = [kpi for task in tasks for kpi in task.kpis.all()]
    if not kpis:
        return tallies
    # task -> [(group, unit kind, expected unit reports)]
    members: dict[int, list[tuple[int, str, int]]] = defaultdict(list)
    for row in rows:
        counted_kind = ReportKind.CONSOLIDATED if row.task_id in lead_only else ReportKind.UNIT
        if row.period.id == period.id and row.kind == counted_kind:
            members[row.task_id].append((row.group_id, row.unit_kind, row.expected))
    # kpi -> (group, unit kind) -> sums
    sums: dict[int, dict[tuple[int, str], _Sums]] = defaultdict(lambda: defaultdict(_Sums))
    plan_id = tasks[0].plan_id
    stored_level = current_stored_level(plan_id=plan_id, root=root) if source == AUTO else None
    facts = reads_facts(plan_id=plan_id, root=root, source=source)
    for value_row in _grouped_values(
        plan_id=plan_id,
        kpis=kpis,
        period=period,
        root=root,
        statuses=statuses,
        lead_only=lead_only,
        stored_level=stored_level,
        facts=facts,
    ):
        if value_row["group"] is not None:
            key = (value_row["group"], value_row["report__unit__kind"])
            sums[value_row["kpi_id"]][key].add(value_row)
    share_ids = [kpi.pk for kpi in kpis if family_of(kpi.kind) is Family.ANSWER]
    for kpi_id, group_id, kind, answered, yes, extra in _fallback_answers(
        plan_id=plan_id,
        kpi_ids=share_ids,
        period=period,
        root=root,
        statuses=statuses,
        stored_level=stored_level,
        facts=facts,
    ):
        entry = sums[kpi_id][(group_id, kind)]
        entry.answered += answered
        entry.yes += yes
        entry.extra_members += extra
    for kpi in kpis:
        family = family_of(kpi.kind)
        kinds = population_kinds(kpi.population) if family is not Family.RATIO else None
        expected: dict[int, int] = defaultdict(int)
        for group_id, unit_kind, count in members.get(kpi.task_id, []):
            if kinds is None or unit_kind in kinds:
                expected[group_id] += count
        given: dict[int, _Sums] = defaultdict(_Sums)
        for (group_id, unit_kind), entry in sums.get(kpi.pk, {}).items():
            if kinds is None or unit_kind in kinds:
                given[group_id].merge(entry)
        for group_id in expected.keys() | given.keys():
            tallies[(kpi.pk, group_id)] = _tally_from_sums(
                family, expected.get(group_id, 0), given.get(group_id, _Sums())
            )
    return tallies


def _tally_from_sums(family: Family, expected: int, sums: _Sums) -> Tally:
    if family is Family.RATIO:
        return Tally(
            expected=expected,
            reported=sums.ratio_reported,
            numerator=sums.numerator,
            denominator=sums.denominator,
        )
    members = expected + sums.extra_members
    if family is Family.ANSWER:
        reported, positive = sums.answered, sums.yes
    elif family is Family.COUNT:
        reported, positive = sums.counted, sums.meeting
    else:
        reported, positive = sums.milestone_reported, sums.done
    return Tally(
        expected=members,
        reported=reported,
        numerator=Decimal(positive),
        denominator=Decimal(members),
        events=sums.events if family is Family.COUNT else Decimal(0),
    )


# --- values combined from shorter periods (per unit) ------------------------------------------

EXPECTED_ROW, VALUE_ROW, CHILD_ROW = 0, 1, 2


def _unit_rows(
    *,
    task_ids: list[int],
    period_ids: list[int],
    root: OrgUnit | None,
    statuses: Sequence[str],
    lead_only: set[int],
) -> list[tuple[Any, ...]]:
    """One UNION query: expected reports, values and district answers, one row per unit.

    Columns: source, task, kpi, unit, unit kind, group, period, numerator, denominator,
    answer, count, milestone status.
    """

    def nothing(output: models.Field[Any, Any]) -> Value:
        return Value(None, output_field=output)

    expected = (
        Report.objects.filter(task_id__in=task_ids, period_id__in=period_ids)
        .filter(_value_reports("", lead_only))
        .filter(in_scope("unit", root))
        .order_by()
        .annotate(
            source=Value(EXPECTED_ROW),
            kpi=nothing(BigIntegerField()),
            group=group_of("unit", root),
            row_numerator=nothing(DecimalField()),
            row_denominator=nothing(DecimalField()),
            row_answer=nothing(BooleanField()),
            row_count=nothing(DecimalField()),
            row_milestone=Value("", output_field=CharField()),
        )
        .values_list(
            "source",
            "task_id",
            "kpi",
            "unit_id",
            "unit__kind",
            "group",
            "period_id",
            "row_numerator",
            "row_denominator",
            "row_answer",
            "row_count",
            "row_milestone",
        )
    )
    counting = {
        "report__task_id__in": task_ids,
        "report__period_id__in": period_ids,
        "report__status__in": statuses,
    }
    values = (
        KpiValue.objects.filter(**counting)
        .filter(_value_reports("report__", lead_only))
        .filter(in_scope("report__unit", root))
        .order_by()
        .annotate(source=Value(VALUE_ROW), group=group_of("report__unit", root))
        .values_list(
            "source",
            "report__task_id",
            "kpi_id",
            "report__unit_id",
            "report__unit__kind",
            "group",
            "report__period_id",
            "numerator",
            "denominator",
            "answer",
            "count",
            "milestone_status",
        )
    )
    children = (
        ChildAnswer.objects.filter(**counting, report__kind=ReportKind.UNIT, answer__isnull=False)
        .filter(in_scope("child", root))
        .order_by()
        .annotate(
            source=Value(CHILD_ROW),
            group=group_of("child", root),
            row_numerator=nothing(DecimalField()),
            row_denominator=nothing(DecimalField()),
            row_count=nothing(DecimalField()),
            row_milestone=Value("", output_field=CharField()),
        )
        .values_list(
            "source",
            "report__task_id",
            "kpi_id",
            "child_id",
            "child__kind",
            "group",
            "report__period_id",
            "row_numerator",
            "row_denominator",
            "answer",
            "row_count",
            "row_milestone",
        )
    )
    return [row for row in expected.union(values, children, all=True) if row[5] is not None]


def _observation(row: tuple[Any, ...]) -> Observation:
    milestone = row[11]
    return Observation(
        numerator=row[7],
        denominator=row[8],
        answer=row[9],
        count=row[10],
        done=(milestone == MilestoneStatus.DONE) if milestone else None,
    )


def combined_tallies(
    *,
    tasks: list[Task],
    partitions: dict[int, list[PeriodRef]],
    root: OrgUnit | None,
    statuses: Sequence[str],
    lead_only: set[int],
) -> dict[tuple[int, int], Tally]:
    """(KPI, group) -> tally for tasks combined from their shorter periods (one query)."""
    tallies: dict[tuple[int, int], Tally] = {}
    period_ids = sorted({p.id for periods in partitions.values() for p in periods})
    rows = _unit_rows(
        task_ids=[task.pk for task in tasks],
        period_ids=period_ids,
        root=root,
        statuses=statuses,
        lead_only=lead_only,
    )
    # (task, period) -> unit -> (group, kind); (kpi, unit, period) -> observation
    expected: dict[tuple[int, int], dict[int, tuple[int, str]]] = defaultdict(dict)
    own: dict[tuple[int, int, int], Observation] = {}
    stand_in: dict[tuple[int, int, int], Observation] = {}
    answered_for: dict[tuple[int, int], list[tuple[int, int, str]]] = defaultdict(list)
    for row in rows:
        source, task_id, kpi_id, unit_id, unit_kind, group_id, period_id = row[:7]
        if source == EXPECTED_ROW:
            expected[(task_id, period_id)][unit_id] = (group_id, unit_kind)
        elif source == VALUE_ROW:
            own[(kpi_id, unit_id, period_id)] = _observation(row)
        else:
            stand_in[(kpi_id, unit_id, period_id)] = Observation(answer=row[9])
            answered_for[(kpi_id, period_id)].append((unit_id, group_id, unit_kind))
    for task in tasks:
        periods = partitions[task.pk]
        latest = periods[-1]
        for kpi in task.kpis.all():
            family = family_of(kpi.kind)
            kinds = population_kinds(kpi.population) if family is not Family.RATIO else None
            accumulation, _ = rule_of(kpi)
            members = dict(expected.get((task.pk, latest.id), {}))
            if family is Family.ANSWER:
                for unit_id, group_id, kind in answered_for.get((kpi.pk, latest.id), []):
                    members.setdefault(unit_id, (group_id, kind))
            for unit_id, (group_id, unit_kind) in members.items():
                if kinds is not None and unit_kind not in kinds:
                    continue
                observations: list[Observation | None] = []
                for period in periods:
                    observation = own.get((kpi.pk, unit_id, period.id))
                    if family is Family.ANSWER and (
                        observation is None or observation.answer is None
                    ):
                        observation = stand_in.get((kpi.pk, unit_id, period.id), observation)
                    observations.append(observation)
                combined = combine_periods(observations, kind=kpi.kind, accumulation=accumulation)
                key = (kpi.pk, group_id)
                tallies[key] = tallies.get(key, Tally()) + unit_tally(
                    kind=kpi.kind,
                    observation=combined,
                    comparator=kpi.comparator,
                    threshold=kpi.value,
                )
    return tallies
