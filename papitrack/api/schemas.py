"""Response schemas of the JSON API. Decimals are JSON strings so that they stay exact."""

from __future__ import annotations

import datetime
from decimal import Decimal

from ninja import Schema


class ErrorOut(Schema):
    detail: str


class ProvinceOut(Schema):
    code: str
    name: str
    short_name: str
    valid_to: datetime.date | None
    successor_codes: list[str]


class ScoreOut(Schema):
    dimension: str
    dimension_name: str
    score: Decimal
    rank: int
    group: int
    count: int
    group_sizes: list[int]
    group_sizes_status: str
    tied: bool
    tied_at_two_decimals: bool
    gap_to_next_group: Decimal | None
    change: Decimal | None
    rank_change: int | None
    ci_low: Decimal | None
    ci_high: Decimal | None


class ProvinceScoresOut(Schema):
    province: ProvinceOut
    index: str
    year: int
    scores: list[ScoreOut]


class UnitRefOut(Schema):
    unit_code: str | None
    level: str | None
    group: str | None
    label: str
    is_consolidating: bool


class KpiOut(Schema):
    code: str
    kind: str
    comparator: str | None
    value: Decimal | None
    unit: str | None
    population: str
    measure: str
    interpretation: str


class TaskOut(Schema):
    id: int
    key: str
    dimension: str
    printed_block: str
    printed_number: str
    title: str
    sub_items: list[dict[str, str]]
    kpi_text: str
    kpis: list[KpiOut]
    lead_text: str
    implementing_text: str
    leads: list[UnitRefOut]
    implementers: list[UnitRefOut]
    timeline_text: str
    timeline_kind: str
    timeline_year: int | None
    timeline_quarter: int | None
    timeline_month: int | None
    timeline_months: int | None
    expected_output: str
    outputs: list[str]
    flags: list[str]
    notes: str


class TargetOut(Schema):
    dimension: str
    label: str
    score: Decimal
    increment: Decimal
    implied_baseline: Decimal
    target_group: int
    stated_baseline_group: int | None


class PlanSummaryOut(Schema):
    id: int
    code: str
    number: str
    title: str
    issued_on: datetime.date
    issuer_code: str
    index: str
    baseline_year: int
    target_year: int
    task_count: int


class PlanOut(PlanSummaryOut):
    place: str
    signer_name: str
    signer_title: str
    signing_authority: list[str]
    unit_plan_deadline: datetime.date | None
    unit_plan_deadline_wording: str
    stated_baseline_score: Decimal | None
    source_notes: list[str]
    targets: list[TargetOut]
    tasks: list[TaskOut]


class EvaluationRowOut(Schema):
    dimension: str
    dimension_name: str
    baseline: Decimal | None
    implied_baseline: Decimal
    target: Decimal
    increment: Decimal
    actual: Decimal | None
    met: bool | None
    met_at_two_decimals: bool | None
    improved: bool | None
    change: Decimal | None
    baseline_rank: int | None
    baseline_group: int | None
    actual_rank: int | None
    actual_count: int | None
    actual_group: int | None
    target_group: int
    group_met: bool | None
    group_sizes_status: str | None
    rank_change: int | None


class EvaluationOut(Schema):
    plan_id: int
    province_code: str
    baseline_year: int
    target_year: int
    rule: str
    rows: list[EvaluationRowOut]
