"""Per-KPI roll-up rules: who sets them, what suits which kind, the audit entry."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from papitrack.audit.models import AuditEntry
from papitrack.monitoring.enums import Accumulation, ZeroDenominator
from papitrack.monitoring.services import (
    ACCUMULATION_NOT_FOR_KIND,
    NOT_ALLOWED,
    ZERO_POLICY_ONLY_RATIOS,
    set_kpi_rollup_rule,
)
from papitrack.tasks.models import Kpi

pytestmark = pytest.mark.django_db


def test_coordinator_sets_a_rule_and_it_is_audited(province_admin):
    kpi = Kpi.objects.get(code="D3-T1-K1")

    rule = set_kpi_rollup_rule(
        kpi=kpi,
        accumulation=Accumulation.CUMULATIVE,
        zero_denominator=ZeroDenominator.MET,
        reason=" Không có đơn thư thì không phải giải quyết. ",
        actor=province_admin,
    )

    assert (rule.accumulation, rule.zero_denominator, rule.reason) == (
        "cumulative",
        "met",
        "Không có đơn thư thì không phải giải quyết.",
    )
    entry = AuditEntry.objects.filter(action="monitoring.rollup_rule").latest("pk")
    assert entry.changes == {
        "accumulation": [None, "cumulative"],
        "zero_denominator": [None, "met"],
    }


def test_demo_rules_are_loaded(plan):
    from papitrack.monitoring.models import KpiRollupRule

    rules = dict(
        KpiRollupRule.objects.filter(kpi__task__plan=plan).values_list(
            "kpi__code", "zero_denominator"
        )
    )
    assert rules["D5-T6-K2"] == ZeroDenominator.MET
    assert rules["D2-T3-K1"] == ZeroDenominator.NO_DATA


def test_rule_must_suit_the_kind(province_admin):
    share = Kpi.objects.get(code="D2-T2-K1")

    with pytest.raises(ValidationError) as error:
        set_kpi_rollup_rule(
            kpi=share,
            accumulation=Accumulation.INCREMENTAL,
            zero_denominator=ZeroDenominator.MET,
            reason="",
            actor=province_admin,
        )

    assert error.value.messages == [
        ACCUMULATION_NOT_FOR_KIND.format(
            kind="Tỷ lệ đơn vị thực hiện", accumulation=Accumulation.INCREMENTAL.label
        ),
        ZERO_POLICY_ONLY_RATIOS,
    ]


def test_only_coordination_sets_rules(unit_officer):
    with pytest.raises(PermissionDenied, match=re.escape(NOT_ALLOWED)):
        set_kpi_rollup_rule(
            kpi=Kpi.objects.get(code="D3-T1-K1"),
            accumulation=Accumulation.INCREMENTAL,
            zero_denominator=ZeroDenominator.NO_DATA,
            reason="",
            actor=unit_officer,
        )
