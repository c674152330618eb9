from typing import Any

from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "papitrack.monitoring"
    verbose_name = "Theo dõi, đánh giá"

    def ready(self) -> None:
        # The stored roll-ups follow every change of the figures' data (plans and orgunits
        # cannot import monitoring, so they announce changes by signal).
        from papitrack.monitoring import stored_rollups  # noqa: PLC0415
        from papitrack.orgunits.tree import tree_changed  # noqa: PLC0415
        from papitrack.plans.versions import figures_changed  # noqa: PLC0415

        def refresh(
            *, plan_id: int, version: int, slices: Any, reports: Any = None, **_: Any
        ) -> None:
            stored_rollups.refresh_stored_rollups(
                plan_id=plan_id, version=version, slices=slices, reports=reports
            )

        def forget(**_: Any) -> None:
            stored_rollups.forget_stored_rollups()

        figures_changed.connect(refresh, dispatch_uid="monitoring-stored-rollups", weak=False)
        tree_changed.connect(forget, dispatch_uid="monitoring-stored-forget", weak=False)
