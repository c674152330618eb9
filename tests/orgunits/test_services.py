import datetime

import pytest
from django.core.exceptions import ValidationError

from papitrack.orgunits.enums import UnitKind, UnitLevel
from papitrack.orgunits.models import OrgUnit, OrgUnitChange
from papitrack.orgunits.services import load_org_units

pytestmark = pytest.mark.django_db


def test_quang_nam_tree_is_loaded_as_at_the_plan():
    province = OrgUnit.objects.get(code="49")
    districts = OrgUnit.objects.filter(kind=UnitKind.DISTRICT, parent=province)
    assert districts.count() == 18
    assert OrgUnit.objects.filter(kind=UnitKind.COMMUNE, parent__parent=province).count() == 233
    assert OrgUnit.objects.filter(kind=UnitKind.PROVINCE, code__regex=r"^\d{2}$").count() == 63
    duy_xuyen = OrgUnit.objects.get(code="508")
    assert (duy_xuyen.name, duy_xuyen.official_code) == ("Huyện Duy Xuyên", True)
    assert duy_xuyen.children.filter(level=UnitLevel.DISTRICT_HEALTH_CENTRE).count() == 1


def test_every_body_the_plan_names_is_a_unit(plan):
    codes = set(
        plan.tasks.filter(assignees__unit__isnull=False).values_list(
            "assignees__unit__code", flat=True
        )
    )
    assert {
        "QNA-SNV",
        "QNA-SLDTBXH",
        "QNA-TTR",
        "QNA-TAND",
        "QNA-MTTQ",
        "QNA-DL",
        "QNA-BVT",
    } <= codes
    assert OrgUnit.objects.get(code="QNA-MTTQ").outside_command is True


def test_2025_reorganisation_keeps_old_and_new_units_apart():
    old = OrgUnit.objects.get(code="49")
    new = OrgUnit.objects.get(code="2025-48")
    assert old.valid_to == datetime.date(2025, 6, 30)
    assert new.valid_from == datetime.date(2025, 7, 1)
    assert OrgUnit.objects.get(code="48").valid_to == datetime.date(2025, 6, 30)
    assert OrgUnitChange.objects.filter(predecessor=old, successor=new, kind="merge").exists()
    nam_phuoc = OrgUnit.objects.get(code="20599")
    successor = nam_phuoc.successor_links.get().successor
    assert successor.parent == new
    assert not old.is_active_on(datetime.date(2025, 7, 1))
    assert new.is_active_on(datetime.date(2025, 7, 1))


def test_loading_twice_changes_nothing(settings):
    before = (OrgUnit.objects.count(), OrgUnitChange.objects.count())
    load_org_units(directory=settings.DATA_DIR / "orgunits")
    assert (OrgUnit.objects.count(), OrgUnitChange.objects.count()) == before


def test_unknown_parent_is_refused(tmp_path, settings):
    for name in ("provinces.csv", "bodies.csv"):
        (tmp_path / name).write_bytes((settings.DATA_DIR / "orgunits" / name).read_bytes())
    (tmp_path / "quang_nam_units.csv").write_text(
        "code,kind,name,short_name,parent,valid_from,valid_to,source,note\n"
        "99999,commune,Xã Thử,Thử,777,,,test,\n",
        encoding="utf-8",
    )
    with pytest.raises(ValidationError, match="không có đơn vị cấp trên mã «777»"):
        load_org_units(directory=tmp_path)
    assert not OrgUnit.objects.filter(code="99999").exists()
