"""The plan's result computed from published data (2019 baseline, 2020 actual)."""

from decimal import Decimal

import pytest

from papitrack.plans.evaluation import ResultInput, TargetInput, evaluate_target
from papitrack.plans.queries import evaluate_plan

pytestmark = pytest.mark.django_db


def test_plan_4055_evaluation_from_published_scores(plan):
    rows = {row.dimension_code: row for row in evaluate_plan(plan=plan)}
    overall = rows["overall"]
    assert overall.baseline == Decimal("44.3318250")
    assert overall.actual == Decimal("43.2623330")
    assert overall.target == Decimal("46.5")
    assert overall.met is False
    assert (overall.actual_rank, overall.actual_count, overall.actual_group) == (21, 63, 2)
    assert overall.group_met is True
    assert overall.rank_change == 1
    assert overall.improved is False
    # The 2020 result, dimension by dimension: no score target was met.
    assert {code: row.met for code, row in rows.items()} == dict.fromkeys(rows, False)
    assert {code: row.group_met for code, row in rows.items()} == {
        "overall": True,
        "participation": True,
        "transparency": False,
        "accountability": True,
        "corruption": True,
        "procedures": False,
        "services": False,
        "environment": False,
        "egovernance": False,
    }


def test_implied_baselines_match_published_2019_at_two_decimals(plan):
    for row in evaluate_plan(plan=plan):
        if row.dimension_code != "overall":
            assert abs(row.baseline - row.implied_baseline) < Decimal("0.005"), row.dimension_code


def target(value="5.0"):
    return TargetInput("d", "D", 1, Decimal(value), Decimal("0.1"), 1, None)


def test_met_at_full_precision_and_at_two_decimals_can_disagree():
    row = evaluate_target(target("5.0"), None, ResultInput(Decimal("4.996"), 3, 63, 1, "official"))
    assert (row.met, row.met_at_two_decimals, row.rounding_disagrees) == (False, True, True)


def test_nothing_is_judged_before_publication():
    row = evaluate_target(target(), ResultInput(Decimal("4.9"), 3, 63, 1, "official"), None)
    assert (row.actual, row.met, row.group_met, row.rank_change, row.gap_to_target) == (None,) * 5
