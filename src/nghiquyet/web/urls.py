from django.contrib.auth import views as auth_views
from django.urls import path

from nghiquyet.web import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("dang-nhap/", auth_views.LoginView.as_view(template_name="registration/login.html", redirect_authenticated_user=True), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("nghi-quyet/<slug:key>/", views.resolution_page, name="resolution"),
    path("nghi-quyet/<slug:key>/danh-gia/", views.scorecard_page, name="scorecard"),
    path("nghi-quyet/<slug:key>/chi-tieu/<str:code>/", views.target_page, name="target"),
]
