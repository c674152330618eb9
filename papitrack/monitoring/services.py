"""Writes of the monitoring app: the per-KPI roll-up rules."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from papitrack.accounts.models import User
from papitrack.audit.services import record_audit
from papitrack.monitoring import rules
from papitrack.monitoring.enums import Accumulation, ZeroDenominator
from papitrack.monitoring.models import KpiRollupRule
from papitrack.monitoring.rollup import ACCUMULATIONS, Family, family_of
from papitrack.plans.versions import bump_data_version
from papitrack.tasks.models import Kpi

NOT_ALLOWED = "Chỉ Sở Nội vụ (điều phối) hoặc quản trị hệ thống được đặt quy tắc tổng hợp."
ACCUMULATION_NOT_FOR_KIND = "Chỉ tiêu loại «{kind}» không cộng dồn theo cách «{accumulation}»."
ZERO_POLICY_ONLY_RATIOS = "Chỉ chỉ tiêu tỷ lệ (tử số/mẫu số) mới có quy tắc «mẫu số bằng 0»."


@transaction.atomic
def set_kpi_rollup_rule(
    *, kpi: Kpi, accumulation: str, zero_denominator: str, reason: str, actor: User
) -> KpiRollupRule:
    """Create or change a KPI's roll-up rule.

    Accumulation must suit the KPI's kind (ratios and counts may be incremental, cumulative or
    stock; yes/no stock or distinct units; milestones stock); "0/0 counts as met" is for ratio
    KPIs only. Side effects: one audit entry with the old and new settings; bumps the plan's
    data version.
    """
    if not rules.can_set_rollup_rules(actor):
        raise PermissionDenied(NOT_ALLOWED)
    family = family_of(kpi.kind)
    errors = []
    if accumulation not in ACCUMULATIONS[family]:
        errors.append(
            ACCUMULATION_NOT_FOR_KIND.format(
                kind=kpi.get_kind_display(),
                accumulation=Accumulation(accumulation).label
                if accumulation in Accumulation.values
                else accumulation,
            )
        )
    if zero_denominator != ZeroDenominator.NO_DATA and family is not Family.RATIO:
        errors.append(ZERO_POLICY_ONLY_RATIOS)
    if errors:
        raise ValidationError(errors)
    rule = KpiRollupRule.objects.filter(kpi=kpi).first() or KpiRollupRule(kpi=kpi)
    before = (
        {"accumulation": rule.accumulation, "zero_denominator": rule.zero_denominator}
        if rule.pk
        else {}
    )
    rule.accumulation = accumulation
    rule.zero_denominator = zero_denominator
    rule.reason = reason.strip()
    rule.full_clean()
    rule.save()
    record_audit(
        actor=actor,
        action="monitoring.rollup_rule",
        target=rule,
        changes={
            name: [before.get(name), getattr(rule, name)]
            for name in ("accumulation", "zero_denominator")
            if before.get(name) != getattr(rule, name)
        },
        comment=rule.reason,
    )
    # Rules apply when figures are read: nothing stored changes (no slice).
    bump_data_version(plan_id=kpi.task.plan_id, slices=[])
    return rule
