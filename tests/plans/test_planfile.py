"""The plan file: the real one loads faithfully, bad ones are refused with clear messages."""

import copy
from decimal import Decimal

import pytest
import yaml

from papitrack.lib.datafiles import read_yaml
from papitrack.plans import planfile
from papitrack.plans.planfile import PlanFileError, parse_plan

UNITS = {"49", "QNA-SNV", "QNA-SLDTBXH", "QNA-TTR", "QNA-VPUB", "QNA-TTHCC", "QNA-STNMT"}
DIMENSIONS = {
    "participation": 1,
    "transparency": 2,
    "accountability": 3,
    "corruption": 4,
    "procedures": 5,
    "services": 6,
    "environment": 7,
    "egovernance": 8,
}


@pytest.fixture(scope="module")
def real_plan(django_db_blocker):
    from django.conf import settings

    return read_yaml(settings.DATA_DIR / "plans" / "qna-4055-2020.yaml")


@pytest.fixture
def minimal():
    return {
        "schema_version": 1,
        "code": "TEST",
        "number": "1/KH-UBND",
        "issued_on": "2020-07-20",
        "place": "Quảng Nam",
        "issuer": "49",
        "title": "Kế hoạch thử",
        "signer": {"name": "A", "title": "Phó Chủ tịch", "authority": ["TM. ỦY BAN NHÂN DÂN"]},
        "index": "PAPI",
        "baseline_year": 2019,
        "target_year": 2020,
        "baseline": {"overall": {"score": "44.33", "group": 2}},
        "targets": [
            {
                "dimension": "overall",
                "label": "PAPI",
                "score": "46.5",
                "increment": "2.17",
                "target_group": 2,
            }
        ],
        "tasks": [
            {
                "key": "D2-T1",
                "dimension": "transparency",
                "printed_block": "II",
                "printed_number": "1",
                "title": "Công khai danh sách hộ nghèo",
                "kpi_text": "100% UBND cấp xã công khai.",
                "kpis": [
                    {
                        "code": "D2-T1-K1",
                        "kind": "share_of_units",
                        "comparator": ">=",
                        "value": "100",
                        "unit": "percent",
                    }
                ],
                "lead_text": "Sở Lao động, Thương binh và Xã hội.",
                "implementing_text": "UBND cấp xã.",
                "leads": ["QNA-SLDTBXH"],
                "implementers": ["level:commune"],
                "timeline_text": "Thường xuyên",
                "timeline": {"kind": "ongoing"},
            }
        ],
    }


def parse(data):
    return parse_plan(data, unit_codes=UNITS | {"QNA-BQN"}, dimension_codes=DIMENSIONS)


def all_units(real_plan):
    refs = set()
    for task in real_plan["tasks"]:
        refs.update(str(ref) for ref in task["leads"] + task.get("implementers", []))
    return {ref for ref in refs if ":" not in ref} | {"49"}


def test_real_plan_has_39_tasks_in_printed_order_with_quirks_kept(real_plan):
    parsed = parse_plan(
        real_plan,
        unit_codes=all_units(real_plan) | {"QNA-PTTH", "QNA-BQN"},
        dimension_codes=DIMENSIONS,
    )
    counts = {}
    for task in parsed.tasks:
        counts[task.dimension] = counts.get(task.dimension, 0) + 1
    assert counts == {
        "participation": 1,
        "transparency": 7,
        "accountability": 5,
        "corruption": 6,
        "procedures": 6,
        "services": 8,
        "environment": 2,
        "egovernance": 4,
    }
    egovernance = [task for task in parsed.tasks if task.dimension == "egovernance"]
    assert [(t.printed_block, t.printed_number, t.key) for t in egovernance] == [
        ("IX", "1", "D8-T1"),
        ("IX", "2", "D8-T2"),
        ("IX", "2", "D8-T3"),
        ("IX", "5", "D8-T4"),
    ]
    assert all(task.leads for task in parsed.tasks)


def test_real_plan_targets_add_up_to_46_5_and_baseline_warning_is_reported(real_plan):
    parsed = parse_plan(
        real_plan,
        unit_codes=all_units(real_plan) | {"QNA-PTTH", "QNA-BQN"},
        dimension_codes=DIMENSIONS,
    )
    dimension_targets = [t.score for t in parsed.targets if t.dimension != "overall"]
    overall = next(t for t in parsed.targets if t.dimension == "overall")
    assert sum(dimension_targets) == overall.score == Decimal("46.5")
    assert any("44.33" in warning and "44.34" in warning for warning in parsed.warnings)
    assert any("D2-T7" in warning for warning in parsed.warnings)


def test_real_plan_compound_kpis_are_split(real_plan):
    parsed = parse_plan(
        real_plan,
        unit_codes=all_units(real_plan) | {"QNA-PTTH", "QNA-BQN"},
        dimension_codes=DIMENSIONS,
    )
    tasks = {task.key: task for task in parsed.tasks}
    for key in ("D3-T1", "D5-T6", "D8-T3"):
        assert len(tasks[key].kpis) == 2, key
        assert "compound_kpi" in tasks[key].flags
    waste = tasks["D7-T1"].kpis[0]
    assert (waste.comparator, waste.value) == (">", Decimal("90"))
    land = tasks["D5-T6"].kpis[0]
    assert (land.kind, land.comparator, land.value) == ("ratio", ">=", Decimal("95"))
    assert tasks["D5-T3"].kpi_text == ""
    assert "blank_kpi" in tasks["D5-T3"].flags


def test_minimal_plan_parses(minimal):
    parsed = parse(minimal)
    assert parsed.tasks[0].implementers[0].level == "commune"
    assert parsed.warnings == []


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d["tasks"][0].update(leads=["QNA-NOWHERE"]), "không có đơn vị «QNA-NOWHERE»"),
        (lambda d: d["tasks"][0].update(leads=["level:village"]), "giá trị «village» không hợp lệ"),
        (lambda d: d["tasks"][0]["kpis"][0].update(kind="magic"), "giá trị «magic» không hợp lệ"),
        (
            lambda d: d["tasks"][0]["kpis"][0].update(value="nhiều"),
            "«nhiều» không phải số thập phân",
        ),
        (lambda d: d["tasks"][0]["kpis"][0].update(value=95.5), "phải viết trong dấu nháy"),
        (lambda d: d["tasks"][0]["kpis"][0].pop("comparator"), "phải có comparator và value"),
        (lambda d: d["tasks"][0].update(key="T1"), "phải có dạng D<số chỉ số>-T<thứ tự>"),
        (lambda d: d["tasks"][0].update(key="D5-T1"), "không khớp chỉ số nội dung"),
        (lambda d: d["tasks"].append(copy.deepcopy(d["tasks"][0])), "bị trùng"),
        (
            lambda d: d["tasks"][0].update(dimension="happiness"),
            "không có chỉ số nội dung «happiness»",
        ),
        (lambda d: d["tasks"][0].update(leads=[]), "ít nhất một đơn vị chủ trì"),
        (lambda d: d["tasks"][0]["timeline"].update(kind="by_quarter"), "quarter, year"),
        (lambda d: d.update(issued_on="20/7/2020"), "không phải ngày dạng YYYY-MM-DD"),
        (lambda d: d["targets"][0].update(target_group=5), "nhóm xếp hạng phải là số từ 1 đến 4"),
        (lambda d: d.pop("title"), "thiếu khóa bắt buộc «title»"),
        (lambda d: d.update(tasks=[]), "kế hoạch không có nhiệm vụ nào"),
        (lambda d: d.update(schema_version=2), "chỉ hỗ trợ phiên bản 1"),
    ],
)
def test_bad_plan_files_are_refused_with_a_clear_message(minimal, mutate, message):
    mutate(minimal)
    with pytest.raises(PlanFileError) as error:
        parse(minimal)
    assert any(message in text for text in error.value.errors), error.value.errors


def test_every_error_is_reported_at_once(minimal):
    minimal["tasks"][0]["leads"] = ["QNA-NOWHERE"]
    minimal["tasks"][0]["kpis"][0]["kind"] = "magic"
    with pytest.raises(PlanFileError) as error:
        parse(minimal)
    assert len(error.value.errors) == 2


def test_text_is_normalised_to_nfc(minimal):
    minimal["title"] = "Ke\u0302\u0301 hoa\u0323ch"
    assert parse(minimal).title == "Kế hoạch"


def test_not_a_mapping_is_refused():
    with pytest.raises(PlanFileError):
        parse_plan(yaml.safe_load("- a\n- b\n"), unit_codes=UNITS, dimension_codes=DIMENSIONS)
    assert planfile.SUPPORTED_SCHEMA_VERSION == 1
