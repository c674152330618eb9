from django.contrib import admin
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest

from papitrack.monitoring.models import KpiRollupRule
from papitrack.monitoring.services import set_kpi_rollup_rule
from papitrack.plans.versions import bump_data_version


@admin.register(KpiRollupRule)
class KpiRollupRuleAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("kpi", "accumulation", "zero_denominator", "updated_at")
    list_filter = ("accumulation", "zero_denominator")
    search_fields = ("kpi__code", "reason")
    autocomplete_fields = ()
    raw_id_fields = ("kpi",)

    def save_model(
        self,
        request: HttpRequest,
        obj: KpiRollupRule,
        form: ModelForm,  # type: ignore[type-arg]
        change: bool,
    ) -> None:
        # Through the service, so that the change is validated and audited like any other.
        set_kpi_rollup_rule(
            kpi=obj.kpi,
            accumulation=obj.accumulation,
            zero_denominator=obj.zero_denominator,
            reason=obj.reason,
            actor=request.user,  # type: ignore[arg-type]
        )

    def delete_model(self, request: HttpRequest, obj: KpiRollupRule) -> None:
        plan_id = obj.kpi.task.plan_id
        super().delete_model(request, obj)
        # The KPI falls back to its kind's default rule: its plan's figures change.
        bump_data_version(plan_id=plan_id, slices=[])  # read-time rules: nothing stored

    def delete_queryset(
        self,
        request: HttpRequest,
        queryset: QuerySet[KpiRollupRule],
    ) -> None:
        plan_ids = set(queryset.values_list("kpi__task__plan_id", flat=True))
        super().delete_queryset(request, queryset)
        for plan_id in plan_ids:
            bump_data_version(plan_id=plan_id, slices=[])
