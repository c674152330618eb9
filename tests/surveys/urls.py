"""The site's URLs with the survey pages in the "web" namespace, as papitrack/web/urls.py will
include them (tests run against this until the lead wires urls_surveys in)."""

from django.contrib import admin
from django.urls import include, path

from papitrack.api.api import api
from papitrack.web import urls as web_urls
from papitrack.web import urls_surveys

_survey_names = {pattern.name for pattern in urls_surveys.urlpatterns}
_web = [p for p in web_urls.urlpatterns if getattr(p, "name", None) not in _survey_names]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("papitrack.web.urls_accounts")),
    path("api/v1/", api.urls),
    path("", include(([*urls_surveys.urlpatterns, *_web], "web"))),
]
