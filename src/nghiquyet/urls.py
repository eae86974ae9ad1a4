"""URL configuration: the web UI at /, the API at /api/v1/."""

from django.urls import include, path

from nghiquyet.api.api import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("nghiquyet.web.urls")),
]

handler400 = "nghiquyet.web.views.bad_request"
handler403 = "nghiquyet.web.views.permission_denied"
handler404 = "nghiquyet.web.views.page_not_found"
