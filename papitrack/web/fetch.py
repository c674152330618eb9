"""Load the object a page is about, or answer 404, before the view does any work.

Every signed-in official may read the whole plan, its tasks, the unit register and the
published scores: these are public documents. Per-unit scopes arrive with reporting, and
will be checked here, so that views keep calling the same functions.
"""

from __future__ import annotations

from typing import TypeAlias

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.http import Http404
from django.shortcuts import get_object_or_404

from papitrack.indices.models import Dimension, Index
from papitrack.orgunits.enums import UnitKind
from papitrack.orgunits.models import OrgUnit
from papitrack.plans.models import Plan
from papitrack.tasks.models import Task
from papitrack.tasks.queries import with_assignees

# The PAPI explorer shows this index; other indices get their own pages when they arrive.
EXPLORER_INDEX_CODE = "PAPI"

# request.user as django-stubs types it; the views are all behind login_required.
Visitor: TypeAlias = AbstractBaseUser | AnonymousUser


def get_plan_for_user(user: Visitor, plan_id: int) -> Plan:
    # group_rules are prefetched because every ranking of the plan's index reads them.
    plans = Plan.objects.select_related("issuer", "index").prefetch_related("index__group_rules")
    return get_object_or_404(plans, pk=plan_id)


def get_latest_plan_for_user(user: Visitor) -> Plan:
    plan = Plan.objects.order_by("-issued_on", "-pk").first()
    if plan is None:
        raise Http404("Chưa có kế hoạch nào.")
    return plan


def get_plan_dimension_for_user(user: Visitor, plan: Plan, code: str) -> Dimension:
    """A dimension of the plan's index that the plan sets a target for (or 404)."""
    dimensions = Dimension.objects.filter(index=plan.index, plan_targets__plan=plan)
    return get_object_or_404(dimensions, code=code)


def get_task_for_user(user: Visitor, task_id: int) -> Task:
    tasks = with_assignees(Task.objects.select_related("plan__issuer"))
    return get_object_or_404(tasks, pk=task_id)


def get_unit_for_user(user: Visitor, code: str) -> OrgUnit:
    # Three parent hops reach the province from a commune or a district body, so the parent
    # chain on the page costs no further query.
    units = OrgUnit.objects.select_related("parent__parent__parent")
    return get_object_or_404(units, code=code)


def get_province_for_user(user: Visitor, code: str) -> OrgUnit:
    return get_object_or_404(OrgUnit, code=code, kind=UnitKind.PROVINCE)


def get_explorer_index_for_user(user: Visitor) -> Index:
    indices = Index.objects.prefetch_related("group_rules")
    return get_object_or_404(indices, code=EXPLORER_INDEX_CODE)
