"""URL configuration: the web UI at /, the API at /api/v1/."""

from django.urls import include, path

from nghiquyet.api.api import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("nghiquyet.web.urls")),
]
