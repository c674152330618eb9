from django.urls import path

from papitrack.web import urls_surveys
from papitrack.web.views import papi, plans, tasks, units

app_name = "web"

urlpatterns = [
    path("", plans.plan_list, name="plan_list"),
    path("plans/<int:plan_id>/", plans.plan_overview, name="plan_overview"),
    path(
        "plans/<int:plan_id>/dimensions/<str:code>/",
        plans.dimension_detail,
        name="dimension_detail",
    ),
    path("plans/<int:plan_id>/tasks/", tasks.task_list, name="task_list"),
    path("tasks/", tasks.latest_task_list, name="latest_task_list"),
    path("tasks/<int:task_id>/", tasks.task_detail, name="task_detail"),
    path("units/", units.unit_list, name="unit_list"),
    path("units/<str:code>/", units.unit_detail, name="unit_detail"),
    path("papi/", papi.papi_explorer, name="papi_explorer"),
    path("papi/provinces/<str:code>/", papi.province_history_view, name="province_history"),
    *urls_surveys.urlpatterns,
]
