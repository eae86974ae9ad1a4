"""URL configuration. The web UI and /api/v1 come with their own issue; until then nothing is served."""

urlpatterns: list = []
