"""Reads of the unit tree: ancestors, children, reorganisations, the province tree, search."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from papitrack.lib.text import fold_text, vietnamese_sort_key
from papitrack.orgunits.enums import UnitKind
from papitrack.orgunits.models import OrgUnit, OrgUnitChange

PROVINCIAL_BODY_KINDS = (
    UnitKind.DEPARTMENT,
    UnitKind.AGENCY,
    UnitKind.MASS_ORGANISATION,
    UnitKind.ENTERPRISE,
)


@dataclass(frozen=True)
class UnitContext:
    """A unit with what its page shows around it."""

    unit: OrgUnit
    ancestors: list[OrgUnit]
    children: Sequence[OrgUnit]
    successor_links: list[OrgUnitChange]
    predecessor_links: list[OrgUnitChange]


@dataclass(frozen=True)
class ProvinceTree:
    province: OrgUnit
    bodies: list[OrgUnit]
    districts: list[OrgUnit]


def _sorted_by_name(units: list[OrgUnit]) -> list[OrgUnit]:
    return sorted(units, key=lambda unit: vietnamese_sort_key(unit.display_name))


def ancestors_of(*, unit: OrgUnit) -> list[OrgUnit]:
    """The parent chain of a unit, root first.

    Free of queries when the unit was fetched with select_related on its parents.
    """
    chain: list[OrgUnit] = []
    current = unit.parent
    while current is not None:
        chain.insert(0, current)
        current = current.parent
    return chain


def unit_context(*, unit: OrgUnit) -> UnitContext:
    """Ancestors, children (each with its own child count) and reorganisation links."""
    children = list(OrgUnit.objects.filter(parent=unit).annotate(child_count=Count("children")))
    kind_order = {kind: position for position, kind in enumerate(UnitKind.values)}
    children.sort(
        key=lambda child: (kind_order.get(child.kind, 99), vietnamese_sort_key(child.display_name))
    )
    return UnitContext(
        unit=unit,
        ancestors=ancestors_of(unit=unit),
        children=children,
        successor_links=list(
            OrgUnitChange.objects.filter(predecessor=unit).select_related("successor")
        ),
        predecessor_links=list(
            OrgUnitChange.objects.filter(successor=unit).select_related("predecessor")
        ),
    )


def province_tree(*, province: OrgUnit) -> ProvinceTree:
    """The province's bodies and its districts, each district with its commune count."""
    children = list(
        OrgUnit.objects.filter(parent=province).annotate(
            commune_count=Count("children", filter=Q(children__kind=UnitKind.COMMUNE))
        )
    )
    return ProvinceTree(
        province=province,
        bodies=_sorted_by_name(
            [child for child in children if child.kind in PROVINCIAL_BODY_KINDS]
        ),
        districts=_sorted_by_name([child for child in children if child.kind == UnitKind.DISTRICT]),
    )


def plan_issuers() -> list[OrgUnit]:
    """Units that issued at least one plan: the roots the unit list starts from."""
    return _sorted_by_name(list(OrgUnit.objects.filter(issued_plans__isnull=False).distinct()))


def search_units(*, text: str, limit: int = 50) -> QuerySet[OrgUnit]:
    """Units whose name or code contains every word of text, ignoring accents and case."""
    units = OrgUnit.objects.select_related("parent")
    for word in fold_text(text).split():
        units = units.filter(search_text__icontains=word)
    return units.order_by("kind", "code")[:limit]
