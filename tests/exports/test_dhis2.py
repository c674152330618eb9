"""DHIS2 exchange: the mapping file, dataValueSets JSON and ADX round trips, and the import
(idempotent, all or nothing, only into reports the caller may edit)."""

from __future__ import annotations

import datetime
import io
import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from papitrack.accounts.models import User
from papitrack.exports import dhis2, services
from papitrack.exports.dhis2 import DataValue, Dhis2Field
from papitrack.exports.queries import default_dhis2_mapping, dhis2_export_values
from papitrack.plans.models import Plan
from papitrack.reports.models import KpiValue, Report
from papitrack.tasks.enums import KpiKind

pytestmark = pytest.mark.django_db

EXPORTED_AT = datetime.datetime(2021, 1, 15, 8, 0, tzinfo=datetime.UTC)


@pytest.fixture
def coordinator() -> User:
    return User.objects.get(username="demo-coordinator")


@pytest.fixture
def mapping(plan: Plan) -> dhis2.Dhis2Mapping:
    mapping, names = default_dhis2_mapping(plan=plan)
    # Through the file, as a province would use it.
    return dhis2.parse_mapping(dhis2.mapping_to_yaml(mapping, unit_names=names))


def _key(value: DataValue) -> tuple[str, str, str, str]:
    return (value.data_element, value.period, value.org_unit, value.value)


# --- periods and the mapping file -----------------------------------------------------------


@pytest.mark.parametrize(
    ("iso", "adx"),
    [
        ("2020", "2020-01-01/P1Y"),
        ("2020S1", "2020-01-01/P6M"),
        ("2020S2", "2020-07-01/P6M"),
        ("2020Q3", "2020-07-01/P3M"),
        ("202009", "2020-09-01/P1M"),
        ("20200930", "2020-09-30/P1D"),
    ],
)
def test_iso_and_adx_periods_round_trip(iso, adx):
    assert dhis2.adx_period(iso) == adx
    assert dhis2.period_from_adx(adx) == iso


def test_reporting_periods_become_iso_periods():
    day = datetime.date
    assert (
        dhis2.iso_period(kind="quarter", code="2020Q3", start=day(2020, 7, 1), end=day(2020, 9, 30))
        == "2020Q3"
    )
    assert (
        dhis2.iso_period(
            kind="half_year", code="2020S2", start=day(2020, 7, 1), end=day(2020, 12, 31)
        )
        == "2020S2"
    )
    assert (
        dhis2.iso_period(kind="year", code="2020", start=day(2020, 1, 1), end=day(2020, 12, 31))
        == "2020"
    )
    assert (
        dhis2.iso_period(
            kind="deadline", code="2020-09-30D", start=day(2020, 9, 30), end=day(2020, 9, 30)
        )
        == "20200930"
    )
    assert (
        dhis2.iso_period(
            kind="nine_months", code="2020N", start=day(2020, 1, 1), end=day(2020, 9, 30)
        )
        is None
    )


def test_default_mapping_covers_every_kpi_unit_and_period(plan, mapping):
    fields = {(element.kpi_code, element.field) for element in mapping.data_elements}

    assert ("D5-T6-K1", Dhis2Field.NUMERATOR) in fields
    assert ("D5-T6-K1", Dhis2Field.DENOMINATOR) in fields
    assert ("D2-T1-K1", Dhis2Field.CHILD_ANSWER) in fields
    assert ("D2-T7-K1", Dhis2Field.COUNT) in fields
    assert ("D5-T3-K1", Dhis2Field.MILESTONE_DONE) in fields
    assert mapping.org_units["20605"] == "20605"
    assert mapping.org_units["QNA-SNV"] == "QNA-SNV"
    assert mapping.periods == {
        "2020": "2020",
        "2020-09-30D": "20200930",
        "2020-12-31D": "20201231",
        "2020Q3": "2020Q3",
        "2020Q4": "2020Q4",
        "2020S2": "2020S2",
    }
    assert all(len(element.code) <= 50 for element in mapping.data_elements)


def test_shipped_mapping_file_matches_the_plan(plan, settings):
    shipped = dhis2.parse_mapping((settings.DATA_DIR / "dhis2" / "mapping.yaml").read_text())
    generated, _ = default_dhis2_mapping(plan=plan)

    assert shipped.plan_code == plan.code
    assert shipped.data_elements == generated.data_elements
    assert shipped.periods == generated.periods


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("version: 2\n", "phiên bản phải là 1"),
        ("version: 1\nid_scheme: NAME\n", "CODE hoặc UID"),
        (
            "version: 1\nid_scheme: UID\ndata_elements:\n  - {kpi: A, field: count, code: X}\n",
            "thiếu uid",
        ),
        ("version: 1\ndata_elements:\n  - {kpi: A, field: total, code: X}\n", "field hợp lệ"),
        ("version: 1\nperiods: {'2020Q3': '2020-Q3'}\n", "không phải kỳ ISO"),
        ("[oops", "không đọc được YAML"),
    ],
)
def test_invalid_mapping_files_are_explained(text, message):
    with pytest.raises(ValidationError, match=message):
        dhis2.parse_mapping(text)


# --- export ---------------------------------------------------------------------------------


def test_export_holds_every_approved_value_and_nothing_else(plan, mapping):
    result = dhis2_export_values(plan=plan, mapping=mapping)
    approved = KpiValue.objects.filter(report__task__plan=plan, report__status="approved")
    ratio = approved.filter(kpi__kind=KpiKind.RATIO, numerator__isnull=False).first()

    assert result.skipped == ()
    assert len(result.values) > 300
    assert {value.period for value in result.values} <= {"2020Q3", "20200930"}
    numerator = mapping.element(ratio.kpi.code, Dhis2Field.NUMERATOR).code
    assert (
        numerator,
        ratio.report.period.code,
        ratio.report.unit.code,
        dhis2.format_number(ratio.numerator),
    ) in {(v.data_element, v.period, v.org_unit, v.value) for v in result.values}
    assert not KpiValue.objects.filter(report__status="draft").exists() or all(
        value.last_updated for value in result.values
    )


def test_json_and_adx_round_trip(plan, mapping):
    result = dhis2_export_values(plan=plan, mapping=mapping, period_codes=["2020Q3"])
    as_json = dhis2.data_value_set_json(result, mapping=mapping)
    as_adx = dhis2.adx_xml(result, mapping=mapping, exported=EXPORTED_AT)

    from_json = dhis2.read_payload(as_json)
    from_adx = dhis2.read_payload(as_adx)

    expected = sorted(_key(value) for value in result.values)
    assert sorted(_key(value) for value in from_json) == expected
    assert sorted(_key(value) for value in from_adx) == expected
    payload = json.loads(as_json)
    assert payload["dataSet"] == "PT_QNA_4055_2020"
    assert set(payload["dataValues"][0]) >= {"dataElement", "period", "orgUnit", "value"}
    assert b'xmlns="urn:ihe:qrph:adx:2015"' in as_adx
    assert b'period="2020-07-01/P3M"' in as_adx


def test_uid_scheme_exports_uids(plan):
    mapping, _ = default_dhis2_mapping(plan=plan)
    elements = tuple(
        dhis2.DataElement(
            kpi_code=element.kpi_code,
            field=element.field,
            code=element.code,
            uid=f"a{index:010d}",
        )
        for index, element in enumerate(mapping.data_elements)
    )
    with_uids = dhis2.Dhis2Mapping(
        plan_code=mapping.plan_code,
        data_set=mapping.data_set,
        id_scheme="UID",
        data_elements=elements,
        org_units=mapping.org_units,
        periods=mapping.periods,
    )

    result = dhis2_export_values(plan=plan, mapping=with_uids, period_codes=["2020Q3"])

    assert all(value.data_element.startswith("a") for value in result.values)


# --- import ---------------------------------------------------------------------------------


def test_importing_the_export_back_changes_nothing(plan, mapping, coordinator):
    result = dhis2_export_values(plan=plan, mapping=mapping)
    values = dhis2.read_payload(dhis2.adx_xml(result, mapping=mapping, exported=EXPORTED_AT))
    versions = dict(Report.objects.values_list("pk", "version"))

    summary = services.import_dhis2_values(
        actor=coordinator, plan=plan, mapping=mapping, values=values, dry_run=False
    )

    assert summary.as_dict()["import_count"] == {
        "imported": 0,
        "updated": 0,
        "unchanged": len(values),
        "ignored": 0,
    }
    assert (summary.status, summary.conflicts) == ("SUCCESS", ())
    assert dict(Report.objects.values_list("pk", "version")) == versions


def _own_draft_ratio_report() -> Report:
    return (
        Report.objects.filter(unit__code="QNA-SNV", status="draft", task__kpis__kind=KpiKind.RATIO)
        .select_related("task", "period", "unit")
        .order_by("period__end", "task__position")
        .first()
    )


def _ratio_values(
    report: Report, mapping: dhis2.Dhis2Mapping, numerator: str, denominator: str
) -> list[DataValue]:
    kpi = report.task.kpis.filter(kind=KpiKind.RATIO).first()
    return [
        DataValue(
            data_element=mapping.element(kpi.code, field).code,
            period=mapping.periods[report.period.code],
            org_unit=report.unit.code,
            value=value,
        )
        for field, value in (
            (Dhis2Field.NUMERATOR, numerator),
            (Dhis2Field.DENOMINATOR, denominator),
        )
    ]


def test_import_writes_into_the_callers_draft_and_is_idempotent(plan, mapping, coordinator):
    report = _own_draft_ratio_report()
    values = _ratio_values(report, mapping, "45", "50")

    dry = services.import_dhis2_values(
        actor=coordinator, plan=plan, mapping=mapping, values=values, dry_run=True
    )
    untouched = Report.objects.get(pk=report.pk).version
    first = services.import_dhis2_values(
        actor=coordinator, plan=plan, mapping=mapping, values=values, dry_run=False
    )
    written = Report.objects.get(pk=report.pk)
    second = services.import_dhis2_values(
        actor=coordinator, plan=plan, mapping=mapping, values=values, dry_run=False
    )
    kpi_value = KpiValue.objects.get(report=report, kpi__kind=KpiKind.RATIO)

    assert (dry.dry_run, dry.imported, untouched) == (True, 2, report.version)
    assert (first.imported, first.updated, first.reports_changed) == (2, 0, 1)
    assert written.version == report.version + 1
    assert (kpi_value.numerator, kpi_value.denominator) == (Decimal(45), Decimal(50))
    assert (second.imported, second.updated, second.unchanged) == (0, 0, 2)
    assert Report.objects.get(pk=report.pk).version == written.version


def test_a_refused_value_undoes_the_whole_import(plan, mapping, coordinator):
    report = _own_draft_ratio_report()
    good = _ratio_values(report, mapping, "45", "50")
    other = (
        Report.objects.filter(unit__code="QNA-SNV", status="draft", task__kpis__kind=KpiKind.RATIO)
        .exclude(pk=report.pk)
        .select_related("task", "period", "unit")
        .first()
    )
    bad = _ratio_values(other, mapping, "70", "50")  # numerator above denominator

    summary = services.import_dhis2_values(
        actor=coordinator, plan=plan, mapping=mapping, values=good + bad, dry_run=False
    )

    assert summary.status == "ERROR"
    assert (summary.imported, summary.reports_changed) == (0, 0)
    assert "không được lớn hơn mẫu số" in summary.conflicts[-1].value
    assert not KpiValue.objects.filter(report__in=[report, other], kpi__kind=KpiKind.RATIO).exists()


def test_values_for_reports_the_caller_cannot_edit_are_ignored(plan, mapping, coordinator):
    approved = (
        KpiValue.objects.filter(
            report__status="approved", kpi__kind=KpiKind.RATIO, report__unit__kind="commune"
        )
        .select_related("kpi", "report__unit", "report__period")
        .first()
    )
    changed = DataValue(
        data_element=mapping.element(approved.kpi.code, Dhis2Field.NUMERATOR).code,
        period=mapping.periods[approved.report.period.code],
        org_unit=approved.report.unit.code,
        value="0",
    )

    summary = services.import_dhis2_values(
        actor=coordinator, plan=plan, mapping=mapping, values=[changed], dry_run=False
    )

    assert (summary.status, summary.ignored, summary.imported) == ("WARNING", 1, 0)
    assert "không phải cán bộ" in summary.conflicts[0].value
    assert KpiValue.objects.get(pk=approved.pk).numerator == approved.numerator


def test_unknown_identifiers_and_bad_values_are_conflicts(plan, mapping, coordinator):
    element = mapping.element("D2-T1-K1", Dhis2Field.ANSWER).code
    values = [
        DataValue(data_element="NO_SUCH_ELEMENT", period="2020Q3", org_unit="20605", value="1"),
        DataValue(data_element=element, period="2020Q3", org_unit="NOWHERE", value="1"),
        DataValue(data_element=element, period="1999Q1", org_unit="20605", value="1"),
        DataValue(data_element=element, period="2020Q3", org_unit="20605", value="maybe"),
    ]

    summary = services.import_dhis2_values(
        actor=coordinator, plan=plan, mapping=mapping, values=values, dry_run=True
    )

    assert [conflict.object for conflict in summary.conflicts] == [
        "NO_SUCH_ELEMENT",
        "NOWHERE",
        "1999Q1",
        element,
    ]
    assert summary.ignored == 4


def test_only_the_coordinator_exchanges_with_dhis2(plan, mapping, user_named):
    with pytest.raises(PermissionDenied):
        services.import_dhis2_values(
            actor=user_named("demo-district"), plan=plan, mapping=mapping, values=[], dry_run=True
        )


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b'{"dataValues": 3}', "thiếu danh sách"),
        (b"{not json", "không đọc được JSON"),
        (b'{"dataValues": [{"period": "2020Q3"}]}', "thiếu trường"),
        (
            b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY b "c">]>'
            b'<adx xmlns="urn:ihe:qrph:adx:2015"/>',
            "thực thể hoặc DTD",
        ),
        (b"<adx><group/></adx>", "không phải <adx>"),
        (b"hello", "Không nhận ra định dạng"),
    ],
)
def test_bad_payloads_are_refused_with_a_message(payload, message):
    with pytest.raises(ValidationError, match=message):
        dhis2.read_payload(payload)


def test_mapping_command_writes_the_default_file(tmp_path):
    from django.core.management import call_command

    target = tmp_path / "mapping.yaml"
    call_command("dhis2_mapping", "--output", str(target), stdout=io.StringIO())
    printed = io.StringIO()
    call_command("dhis2_mapping", stdout=printed)

    written = dhis2.parse_mapping(target.read_text(encoding="utf-8"))
    assert written.plan_code == "QNA-4055-2020"
    assert len(written.data_elements) == 74
    assert printed.getvalue() == target.read_text(encoding="utf-8")
