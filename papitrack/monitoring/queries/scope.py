"""Which reports a figure covers, how they group under the scope unit's children, which periods.

Grouping is done in SQL: each report (or value, or child answer) is labelled with the child
of the scope unit it falls under (or the scope unit itself for its own reports), read from
the unit's stored ancestor at the depth below the scope unit (OrgUnit.ancestor_N, kept by
orgunits/tree.py): one join per row, however deep the tree. Without a scope unit the labels
are the top-level units (the provinces).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    BigIntegerField,
    DateTimeField,
    Exists,
    Expression,
    ExpressionWrapper,
    F,
    Func,
    OuterRef,
    Q,
    QuerySet,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from papitrack.calendars.enums import PeriodKind, ReportingLevel
from papitrack.monitoring.rules import can_view_unit
from papitrack.orgunits.enums import UnitKind
from papitrack.orgunits.models import MAX_DEPTH, OrgUnit
from papitrack.reports.enums import ReportKind, ReportStatus
from papitrack.reports.models import Report, ReportingPeriod
from papitrack.tasks.models import Task

# Shortest first: when a longer period is combined from shorter ones, the shortest kind wins.
KIND_ORDER = (
    PeriodKind.DEADLINE,
    PeriodKind.MONTH,
    PeriodKind.QUARTER,
    PeriodKind.HALF_YEAR,
    PeriodKind.NINE_MONTHS,
    PeriodKind.YEAR,
)


# Who sends a report, as the due-date rules group them (reports/generation.py).
LEVEL_UNIT_KINDS: dict[str, frozenset[str]] = {
    ReportingLevel.COMMUNE: frozenset({UnitKind.COMMUNE}),
    ReportingLevel.DISTRICT: frozenset({UnitKind.DISTRICT, UnitKind.DISTRICT_AGENCY}),
    ReportingLevel.DEPARTMENT: frozenset(
        {
            UnitKind.DEPARTMENT,
            UnitKind.AGENCY,
            UnitKind.MASS_ORGANISATION,
            UnitKind.ENTERPRISE,
            UnitKind.PROVINCE,
        }
    ),
}
# Levels a completeness figure can be filtered by (the lead's consolidated reports included).
LEVELS = (
    ReportingLevel.COMMUNE,
    ReportingLevel.DISTRICT,
    ReportingLevel.DEPARTMENT,
    ReportingLevel.LEAD,
)


def level_filter(
    level: str | None,
    prefix: str = "",
    *,
    kind_field: str = "kind",
    unit_kind_field: str = "unit__kind",
) -> Q:
    """Reports of one level: the units' own reports by unit kind, or the leads' consolidated.

    The field names default to a report's; stored roll-ups name them their own way.
    """
    if not level:
        return Q()
    if level == ReportingLevel.LEAD:
        return Q(**{f"{prefix}{kind_field}": ReportKind.CONSOLIDATED})
    return Q(
        **{
            f"{prefix}{kind_field}": ReportKind.UNIT,
            f"{prefix}{unit_kind_field}__in": sorted(LEVEL_UNIT_KINDS[level]),
        }
    )


def counting_statuses(*, include_submitted: bool) -> tuple[str, ...]:
    """Report states whose values count: approved only, or also submitted (not yet reviewed)."""
    if include_submitted:
        return (ReportStatus.APPROVED, ReportStatus.SUBMITTED)
    return (ReportStatus.APPROVED,)


def subtree_ids(root: OrgUnit) -> QuerySet[OrgUnit, Any]:
    """The ids of a unit and every unit below it, as a subquery (the database uses the
    reports' unit index instead of scanning every report)."""
    return OrgUnit.objects.filter(Q(pk=root.pk) | Q(**{f"ancestor_{root.depth}": root.pk})).values(
        "pk"
    )


def in_scope(field: str, root: OrgUnit | None) -> Q:
    """Rows whose unit `field` is the root or below it; everything without a root."""
    if root is None:
        return Q()
    return Q(**{f"{field}__in": subtree_ids(root)})


def group_of(field: str, root: OrgUnit | None) -> Expression:
    """The id of the root's child that the unit `field` falls under, the root's own id for
    its own rows; without a root, the unit's top-level ancestor. Meant for rows already
    limited by `in_scope(field, root)`."""
    return group_at_level(field, 1 if root is None else root.depth + 1)


def group_at_level(field: str, level: int) -> Expression:
    """The unit `field`'s ancestor at depth `level`, or the unit itself when it is not that
    deep: the child of a scope unit at depth `level - 1` that the unit falls under (or that
    scope unit, for its own rows)."""
    if level > MAX_DEPTH - 1:
        return ExpressionWrapper(F(field), output_field=BigIntegerField())
    return Coalesce(F(f"{field}__ancestor_{level}"), F(field), output_field=BigIntegerField())


@dataclass(frozen=True)
class PeriodRef:
    """A reporting period as the pages and the API show it (read with the report rows)."""

    id: int
    code: str
    kind: str
    start: datetime.date
    end: datetime.date
    label: str

    @property
    def is_final(self) -> bool:
        """The last word on its year: the year itself, a deadline, or a period ending 31/12."""
        return self.kind in {PeriodKind.YEAR, PeriodKind.DEADLINE} or (
            self.end.month == 12 and self.end.day == 31
        )

    def contains(self, other: PeriodRef) -> bool:
        return self.start <= other.start and other.end <= self.end


def plan_periods(plan_id: int) -> list[PeriodRef]:
    """The periods the plan has expected reports for, in order (one query).

    An EXISTS per period stops at the period's first report of the plan, where a join and
    DISTINCT would read every report of every period (seconds at national scale).
    """
    plan_tasks = Task.objects.filter(plan_id=plan_id).values("pk")
    periods = ReportingPeriod.objects.filter(
        Exists(Report.objects.filter(period_id=OuterRef("pk"), task_id__in=plan_tasks))
    )
    return sorted_periods(
        PeriodRef(
            id=period.pk,
            code=period.code,
            kind=period.kind,
            start=period.start,
            end=period.end,
            label=period.label,
        )
        for period in periods
    )


def sorted_periods(periods: Iterable[PeriodRef]) -> list[PeriodRef]:
    """By end date; for equal ends the shorter period first (Q4 before the second half)."""
    return sorted(set(periods), key=lambda p: (p.end, -p.start.toordinal(), p.code))


def finest_partition(period: PeriodRef, candidates: Iterable[PeriodRef]) -> list[PeriodRef]:
    """The periods inside `period` of the shortest kind present, oldest first.

    Periods of one kind never overlap, so their values can be combined without counting
    anything twice (quarters, not quarters and half years together).
    """
    inside = [p for p in candidates if p.id != period.id and period.contains(p)]
    for kind in KIND_ORDER:
        chosen = [p for p in inside if p.kind == kind]
        if chosen:
            return sorted_periods(chosen)
    return []


def default_period(received: dict[PeriodRef, int], *, today: datetime.date) -> PeriodRef | None:
    """The period a dashboard opens on: the latest with a report received; else the latest
    already ended; else the first. Equal ends: the longer period (Q3 rather than 30/9)."""
    if not received:
        return None

    def latest(periods: Sequence[PeriodRef]) -> PeriodRef:
        return max(periods, key=lambda p: (p.end, -p.start.toordinal()))

    with_reports = [period for period, count in received.items() if count]
    if with_reports:
        return latest(with_reports)
    ended = [period for period in received if period.end <= today]
    return latest(ended) if ended else sorted_periods(received)[0]


NO_UNIT = "Không tìm thấy đơn vị."


def get_scope_unit_for_user(user: Any, *, code: str | None, default: OrgUnit) -> OrgUnit:
    """The unit a monitoring page is about, with its parents (for the drill-down path).

    Without a code: `default` for users who see everything, else the user's own unit. A unit
    the user may not see is a 404, like a missing one.
    """
    units = OrgUnit.objects.select_related("parent__parent__parent")
    if code:
        unit = units.filter(code=code).first()
    elif can_view_unit(user, default):
        unit = units.filter(pk=default.pk).first()
    else:
        unit_id = getattr(user, "unit_id", None)
        unit = units.filter(pk=unit_id).first() if unit_id is not None else None
    if unit is None or not can_view_unit(user, unit):
        raise Http404(NO_UNIT)
    return unit


class DueDayEnd(Func):
    """The instant (UTC) at which a due date's local day ends: submissions before it are on
    time. Computed in SQL without a per-row Python function (SQLite's `__date` lookup calls
    one per row, the bulk of a dashboard's time).

    PostgreSQL converts with the zone's rules; SQLite, which has no time zones, applies the
    current zone's offset of today (exact for Asia/Ho_Chi_Minh, which has no summer time).
    """

    output_field = DateTimeField()

    def __init__(self, expression: Any) -> None:
        super().__init__(expression)

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        offset = timezone.localtime().utcoffset() or datetime.timedelta(0)
        seconds = int(offset.total_seconds())
        if 0 < seconds < 86400:
            # East of UTC the local day of D ends on D itself in UTC (D 17:00:00 for UTC+7):
            # a string concatenation, much cheaper per row than datetime().
            midnight = datetime.datetime.combine(
                datetime.date(2000, 1, 2), datetime.time(), tzinfo=datetime.UTC
            )
            end = (midnight - offset).strftime("%H:%M:%S")
            template = f"(%(expressions)s || ' {end}')"
        else:
            template = f"datetime(%(expressions)s, '+1 day', '{-seconds:+d} seconds')"
        return self.as_sql(compiler, connection, template=template, **extra_context)

    def as_postgresql(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        sql, params = self.as_sql(
            compiler,
            connection,
            template="((%(expressions)s + 1)::timestamp AT TIME ZONE %%s)",
            **extra_context,
        )
        return sql, (*params, str(timezone.get_current_timezone()))
