"""The tree columns (depth, ancestor at each depth) against the parent links."""

import pytest
from django.core.exceptions import ValidationError

from papitrack.monitoring.queries.scope import group_of, in_scope
from papitrack.orgunits.enums import UnitKind
from papitrack.orgunits.models import MAX_DEPTH, OrgUnit
from papitrack.orgunits.tree import line_of, refresh_tree

pytestmark = pytest.mark.django_db


def _walked_line(unit: OrgUnit) -> tuple[int | None, ...]:
    """The line computed the slow way, by walking the parent links."""
    chain = []
    current = unit.parent
    while current is not None:
        chain.insert(0, current.pk)
        current = current.parent
    ancestors = [*chain, None, None, None, None][:4]
    return (len(chain) + 1, *ancestors)


def test_every_loaded_unit_has_the_line_of_its_parent_links():
    units = OrgUnit.objects.select_related("parent__parent__parent__parent")
    assert units.count() > 400
    for unit in units:
        assert line_of(unit) == _walked_line(unit), unit.code
    assert OrgUnit.objects.get(code="49").depth == 1
    assert OrgUnit.objects.get(code="508").depth == 2
    commune = OrgUnit.objects.filter(parent__code="508", kind=UnitKind.COMMUNE).first()
    assert commune is not None
    assert (commune.depth, commune.ancestor_1, commune.ancestor_2) == (
        3,
        OrgUnit.objects.get(code="49").pk,
        OrgUnit.objects.get(code="508").pk,
    )


def test_moving_a_district_moves_the_lines_of_its_communes():
    district = OrgUnit.objects.get(code="508")
    other = OrgUnit.objects.get(code="48")
    commune_ids = list(district.children.values_list("pk", flat=True))
    assert commune_ids

    district.parent = other
    district.save()

    for commune in OrgUnit.objects.filter(pk__in=commune_ids):
        assert (commune.ancestor_1, commune.ancestor_2) == (other.pk, district.pk)
    district.refresh_from_db()
    assert (district.depth, district.ancestor_1) == (2, other.pk)


def test_refresh_repairs_units_written_in_bulk():
    province = OrgUnit.objects.get(code="49")
    (district,) = OrgUnit.objects.bulk_create(
        [OrgUnit(code="T1", kind=UnitKind.DISTRICT, name="Huyện thử", parent=province)]
    )
    OrgUnit.objects.bulk_create(
        [OrgUnit(code="T1-1", kind=UnitKind.COMMUNE, name="Xã thử", parent=district)]
    )
    assert OrgUnit.objects.get(code="T1-1").depth == 1  # not yet placed

    assert refresh_tree() == 2
    assert line_of(OrgUnit.objects.get(code="T1-1")) == (3, province.pk, district.pk, None, None)
    assert refresh_tree() == 0


def test_a_tree_deeper_than_the_columns_is_refused_in_vietnamese():
    parent = OrgUnit.objects.get(code="49")
    for number in range(MAX_DEPTH - 1):
        parent = OrgUnit.objects.create(
            code=f"D{number}", kind=UnitKind.AGENCY, name=f"Cấp {number}", parent=parent
        )
    with pytest.raises(ValidationError, match="sâu quá"):
        OrgUnit.objects.create(code="D-too", kind=UnitKind.AGENCY, name="Quá sâu", parent=parent)


@pytest.mark.parametrize("root_code", [None, "49", "508"])
def test_group_of_labels_each_unit_with_the_child_of_the_root_it_falls_under(root_code):
    # Through the parent link, as the reports' queries go through their unit: each unit is
    # labelled by where its parent falls.
    root = OrgUnit.objects.get(code=root_code) if root_code else None
    labelled = dict(
        OrgUnit.objects.filter(parent__isnull=False)
        .filter(in_scope("parent", root))
        .annotate(group=group_of("parent", root))
        .values_list("parent_id", "group")
    )
    units = OrgUnit.objects.select_related("parent__parent__parent").in_bulk(list(labelled))
    assert labelled
    for unit_id, group_id in labelled.items():
        chain = [units[unit_id]]
        while chain[-1].parent is not None:
            chain.append(chain[-1].parent)
        if root is None:
            expected = chain[-1].pk
        elif unit_id == root.pk:
            expected = root.pk
        else:
            position = [unit.pk for unit in chain].index(root.pk)
            expected = chain[position - 1].pk
        assert group_id == expected
