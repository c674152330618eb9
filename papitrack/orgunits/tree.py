"""The tree columns of OrgUnit (depth and ancestor at each depth), kept true on every write.

A unit's line is its parent's line plus the parent itself; a move changes the lines of the
whole subtree, so `refresh_tree` recomputes every unit's line from the parent links (the
tree is a few thousand units nationally: one read, and writes only for lines that changed).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import Signal

from papitrack.orgunits.models import MAX_DEPTH, TREE_FIELDS, OrgUnit

TOO_DEEP = "Cây đơn vị sâu quá {depth} cấp (đơn vị «{code}»)."
CYCLE = "Đơn vị «{code}» nằm dưới chính nó trong cây đơn vị."

Line = tuple[int, int | None, int | None, int | None, int | None]

# Sent when saved units changed place (a move, or lines repaired after a bulk write): figures
# stored per province or district (monitoring) no longer group their reports right.
tree_changed = Signal()


def line_below(parent_line: Line | None, parent_id: int | None) -> Line:
    """(depth, ancestor_1..4) of a unit whose parent has `parent_line`; top level if none."""
    if parent_line is None or parent_id is None:
        return (1, None, None, None, None)
    depth = parent_line[0] + 1
    ancestors = list(parent_line[1:])
    ancestors[depth - 2] = parent_id
    return (depth, *ancestors)  # type: ignore[return-value]


def line_of(unit: OrgUnit) -> Line:
    return (unit.depth, unit.ancestor_1, unit.ancestor_2, unit.ancestor_3, unit.ancestor_4)


def _set_line(unit: OrgUnit, line: Line) -> None:
    for field, value in zip(TREE_FIELDS, line, strict=True):
        setattr(unit, field, value)


def place_in_tree(unit: OrgUnit) -> bool:
    """Set the unit's line from its parent's; True when a saved unit's line changed (it
    moved, so the lines below it must follow)."""
    parent = unit.parent if unit.parent_id is not None else None
    if parent is not None and parent.depth >= MAX_DEPTH:
        raise ValidationError(TOO_DEEP.format(depth=MAX_DEPTH, code=unit.code))
    line = line_below(line_of(parent) if parent is not None else None, unit.parent_id)
    changed = line != line_of(unit)
    _set_line(unit, line)
    return changed and unit.pk is not None


@transaction.atomic
def refresh_tree() -> int:
    """Recompute every unit's line from the parent links; returns the units rewritten."""
    parents = dict(OrgUnit.objects.values_list("pk", "parent_id"))
    stored = {row[0]: row[1:] for row in OrgUnit.objects.values_list("pk", *TREE_FIELDS)}
    lines: dict[int, Line] = {}

    def resolve(unit_id: int) -> Line:
        path: list[int] = []
        current: int | None = unit_id
        while current is not None and current not in lines:
            if current in path:
                raise ValidationError(CYCLE.format(code=current))
            path.append(current)
            current = parents[current]
        line = lines[current] if current is not None else None
        for member in reversed(path):
            parent_id = parents[member]
            parent_line = lines[parent_id] if parent_id is not None else None
            if parent_line is not None and parent_line[0] >= MAX_DEPTH:
                raise ValidationError(TOO_DEEP.format(depth=MAX_DEPTH, code=member))
            line = line_below(parent_line, parent_id)
            lines[member] = line
        return lines[unit_id]

    changed = []
    for unit_id in parents:
        line = resolve(unit_id)
        if tuple(stored[unit_id]) != line:
            unit = OrgUnit(pk=unit_id)
            _set_line(unit, line)
            changed.append(unit)
    OrgUnit.objects.bulk_update(changed, TREE_FIELDS, batch_size=1000)
    if changed:
        tree_changed.send(sender=OrgUnit)
    return len(changed)
