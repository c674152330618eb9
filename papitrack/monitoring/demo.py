"""The roll-up rules of plan 4055 that differ from the kind's default, set through the service.

Called by the demo loader (papitrack/demo/cycle.py); a real coordinator sets them in the
admin. Each entry says why, and the reason is stored with the rule.
"""

from __future__ import annotations

from dataclasses import dataclass

from papitrack.accounts.models import User
from papitrack.monitoring.enums import Accumulation, ZeroDenominator
from papitrack.monitoring.services import set_kpi_rollup_rule
from papitrack.plans.models import Plan
from papitrack.tasks.models import Kpi


@dataclass(frozen=True)
class DemoRule:
    kpi_code: str
    accumulation: str
    zero_denominator: str
    reason: str


PLAN_4055_RULES = (
    DemoRule(
        "D5-T6-K2",
        Accumulation.INCREMENTAL,
        ZeroDenominator.MET,
        "Không có hồ sơ sai sót, trễ hẹn thì không phải xin lỗi: 0/0 coi là đạt.",
    ),
    DemoRule(
        "D5-T5-K1",
        Accumulation.INCREMENTAL,
        ZeroDenominator.MET,
        "Không có hồ sơ bị trả lại thì không phải trả lời bằng văn bản: 0/0 coi là đạt.",
    ),
    DemoRule(
        "D2-T3-K1",
        Accumulation.DISTINCT_UNITS,
        ZeroDenominator.NO_DATA,
        "«Tối thiểu 30% xã được kiểm tra» đếm mỗi xã một lần trong năm.",
    ),
    DemoRule(
        "D3-T5-K1",
        Accumulation.DISTINCT_UNITS,
        ZeroDenominator.NO_DATA,
        "Xã đã được giám sát trong năm đếm một lần.",
    ),
    DemoRule(
        "D4-T5-K1",
        Accumulation.STOCK,
        ZeroDenominator.NO_DATA,
        "Số công chức, viên chức đã được bồi dưỡng trên số hiện có: số tại cuối kỳ.",
    ),
    DemoRule(
        "D4-T6-K1",
        Accumulation.STOCK,
        ZeroDenominator.NO_DATA,
        "Số cán bộ y tế đã được bồi dưỡng trên số hiện có: số tại cuối kỳ.",
    ),
    DemoRule(
        "D5-T2-K1",
        Accumulation.STOCK,
        ZeroDenominator.NO_DATA,
        "Số cán bộ Bộ phận Một cửa đã được tập huấn trên số hiện có: số tại cuối kỳ.",
    ),
)


def apply_demo_rollup_rules(*, plan: Plan, actor: User) -> int:
    """Set plan 4055's non-default roll-up rules; return how many were set."""
    kpis = {kpi.code: kpi for kpi in Kpi.objects.filter(task__plan=plan)}
    count = 0
    for rule in PLAN_4055_RULES:
        kpi = kpis.get(rule.kpi_code)
        if kpi is None:
            continue
        set_kpi_rollup_rule(
            kpi=kpi,
            accumulation=rule.accumulation,
            zero_denominator=rule.zero_denominator,
            reason=rule.reason,
            actor=actor,
        )
        count += 1
    return count
