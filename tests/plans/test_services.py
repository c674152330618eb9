from decimal import Decimal

import pytest

from papitrack.lib.datafiles import DataFileError
from papitrack.plans.models import Plan
from papitrack.plans.planfile import PlanFileError
from papitrack.plans.services import load_plan
from papitrack.tasks.models import Task, TaskAssignee

pytestmark = pytest.mark.django_db


def test_loaded_plan_holds_every_task_with_leads_and_kpis(plan):
    assert plan.number == "4055/KH-UBND"
    assert plan.signer_name == "Hồ Quang Bửu"
    assert plan.tasks.count() == 39
    assert not Task.objects.filter(plan=plan, kpis__isnull=True).exists()
    for task in plan.tasks.all():
        assert task.assignees.filter(role="lead").exists(), task.key
    dolisa = TaskAssignee.objects.filter(task__plan=plan, role="lead", unit__code="QNA-SLDTBXH")
    assert sorted(dolisa.values_list("task__key", flat=True)) == ["D2-T1", "D2-T2", "D2-T3"]
    consolidating = TaskAssignee.objects.get(task__key="D5-T2", role="lead", is_consolidating=True)
    assert consolidating.unit.code == "QNA-VPUB"


def test_targets_add_up_to_the_stated_46_5(plan):
    targets = {
        target.dimension.code: target.score for target in plan.targets.select_related("dimension")
    }
    assert targets.pop("overall") == Decimal("46.5")
    assert sum(targets.values()) == Decimal("46.5")
    assert len(targets) == 8


def test_reloading_the_plan_is_idempotent(plan, settings):
    load_plan(path=settings.DATA_DIR / "plans" / "qna-4055-2020.yaml")
    assert Plan.objects.count() == 1
    assert Plan.objects.get().tasks.count() == 39


def test_a_bad_file_changes_nothing(plan, tmp_path, settings):
    source = (settings.DATA_DIR / "plans" / "qna-4055-2020.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text(source.replace("QNA-SLDTBXH", "QNA-UNKNOWN"), encoding="utf-8")
    with pytest.raises(PlanFileError) as error:
        load_plan(path=bad)
    assert any("QNA-UNKNOWN" in message for message in error.value.errors)
    assert Plan.objects.get().tasks.filter(assignees__unit__code="QNA-SLDTBXH").count() == 3


def test_broken_yaml_and_encoding_are_refused(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("code: [unclosed\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="không đúng cú pháp YAML"):
        load_plan(path=broken)
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("title: Hà Nam\n".encode("cp1258"))
    with pytest.raises(DataFileError, match="không phải UTF-8"):
        load_plan(path=latin)


def test_reload_keeps_task_ids_and_refuses_to_drop_reported_kpis(plan, tmp_path, settings):
    task_ids = dict(plan.tasks.values_list("key", "id"))
    source = (settings.DATA_DIR / "plans" / "qna-4055-2020.yaml").read_text(encoding="utf-8")
    load_plan(path=settings.DATA_DIR / "plans" / "qna-4055-2020.yaml")
    assert dict(Plan.objects.get().tasks.values_list("key", "id")) == task_ids
    renamed = tmp_path / "renamed.yaml"
    renamed.write_text(source.replace("code: D2-T2-K1", "code: D2-T2-K9"), encoding="utf-8")
    with pytest.raises(PlanFileError) as error:
        load_plan(path=renamed)
    assert error.value.errors == [
        "Chỉ tiêu D2-T2-K1 đã có số liệu báo cáo nên không thể xóa khỏi kế hoạch."
    ]
    assert Task.objects.get(key="D2-T2").kpis.get().code == "D2-T2-K1"
