from django.contrib import admin
from django.urls import include, path

from papitrack.api.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/v1/", api.urls),
    path("", include("papitrack.web.urls")),
]
