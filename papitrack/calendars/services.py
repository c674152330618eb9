"""Writes for the calendar: seed the days off and the due-date rules."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from papitrack.calendars.models import CalendarDay, DueDateRule
from papitrack.calendars.periods import DueDateRules
from papitrack.calendars.sources import PACKAGE_SOURCE_PREFIX, vietnam_special_days

NO_YEARS = "Cần ít nhất một năm để nạp lịch."


def _is_package_row(row: CalendarDay) -> bool:
    """Seeding may change this row: the package wrote it and nobody has confirmed it."""
    return row.source.startswith(PACKAGE_SOURCE_PREFIX) and not row.confirmed


def _seed_due_date_rules() -> int:
    stored = set(DueDateRule.objects.values_list("period_kind", "level"))
    created: list[DueDateRule] = []
    for (kind, level), offset in DueDateRules.default().offsets.items():
        if (kind, level) in stored:
            continue
        rule = DueDateRule(period_kind=kind, level=level, offset_working_days=offset)
        # Pairs are unique here: every stored pair is in `stored`.
        rule.full_clean(validate_unique=False, validate_constraints=False)
        created.append(rule)
    DueDateRule.objects.bulk_create(created)
    return len(created)


@transaction.atomic
def seed_calendar(*, years: range, today: datetime.date | None = None) -> int:
    """Fill the calendar of `years` from the `holidays` package; add missing due-date rules.

    Returns the number of rows created, changed or deleted, so a second run returns 0.
    Rows that an administrator confirmed or gave another source are never changed, and
    stored due-date rules keep their offsets. Days of years before `today`'s year are
    stored as confirmed; the current and later years stay provisional until an
    administrator checks them against that year's notice. Unconfirmed package rows that
    the package no longer lists are deleted.
    """
    if not years:
        raise ValidationError(NO_YEARS)
    today = today or timezone.localdate()
    stored = {row.date: row for row in CalendarDay.objects.filter(date__year__in=list(years))}
    created: list[CalendarDay] = []
    changed = 0
    for special in vietnam_special_days(years):
        values = {
            "kind": special.kind.value,
            "name": special.name,
            "source": special.source,
            "confirmed": special.day.year < today.year,
        }
        row = stored.pop(special.day, None)
        if row is None:
            row = CalendarDay(date=special.day, **values)
            # Dates are unique here: every stored date of these years is in `stored`.
            row.full_clean(validate_unique=False)
            created.append(row)
        elif _is_package_row(row) and any(
            getattr(row, field) != value for field, value in values.items()
        ):
            for field, value in values.items():
                setattr(row, field, value)
            row.full_clean()
            row.save()
            changed += 1
    CalendarDay.objects.bulk_create(created)
    written = len(created) + changed
    stale = [row.pk for row in stored.values() if _is_package_row(row)]
    written += CalendarDay.objects.filter(pk__in=stale).delete()[0]
    return written + _seed_due_date_rules()
