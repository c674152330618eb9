"""The public page: the plan's progress by dimension and task, for citizens, without login.

The plan asks for its results to be made known to the people. Only figures from approved
reports are shown, rolled up to the province; no person, no account, no unit's own report
and no unapproved figure appears. The page says when the figures last changed.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from papitrack.monitoring.queries.dashboards import last_approved_at, plan_status
from papitrack.web.monitoring_support import UNKNOWN_PERIOD, radar_chart, trend_chart
from papitrack.web.views.dashboard import get_monitored_plan


@require_safe
def public_progress(request: HttpRequest) -> HttpResponse:
    plan = get_monitored_plan()
    try:
        status = plan_status(
            plan=plan,
            period_code=request.GET.get("period") or None,
            include_submitted=False,
            approved_default=True,
        )
    except KeyError as error:
        raise Http404(UNKNOWN_PERIOD.format(code=error.args[0])) from error
    return render(
        request,
        "web/public/progress.html",
        {
            "status": status,
            "plan": plan,
            "updated_at": last_approved_at(plan=plan),
            "radar": radar_chart(status),
            "overall_trend": trend_chart(status, None),
        },
    )
