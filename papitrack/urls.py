from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from papitrack.api.api import api
from papitrack.web.views.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # Every sign-in goes through one page (lockout, audit, second factor), the admin's too.
    path(
        "admin/login/",
        RedirectView.as_view(pattern_name="login", query_string=True),
        name="admin_login_redirect",
    ),
    path("admin/", admin.site.urls),
    path("accounts/", include("papitrack.web.urls_accounts")),
    path("api/v1/", api.urls),
    path("", include("papitrack.web.urls")),
]

# An unreachable database gives a clean 503 page (JSON under /api/), other errors a 500.
handler500 = "papitrack.web.views.errors.server_error"
# Missing and refused pages in Vietnamese, with the reason the view gave.
handler404 = "papitrack.web.views.errors.page_not_found"
handler403 = "papitrack.web.views.errors.permission_denied"
