from django.contrib.auth import views as auth_views
from django.urls import path

from nghiquyet.web import (
    account_views,
    completeness_views,
    dashboard_views,
    document_views,
    entry_views,
    plan_views,
    upload_views,
    views,
)

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("dang-nhap/", views.LoginView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("nghi-quyet/<slug:key>/", views.resolution_page, name="resolution"),
    path("nghi-quyet/<slug:key>/danh-gia/", views.scorecard_page, name="scorecard"),
    path("nghi-quyet/<slug:key>/tong-quan/", dashboard_views.dashboard_page, name="dashboard"),
    path("nghi-quyet/<slug:key>/danh-gia.csv", views.scorecard_csv, name="scorecard_csv"),
    path("nghi-quyet/<slug:key>/danh-gia.xlsx", views.scorecard_xlsx, name="scorecard_xlsx"),
    path("nghi-quyet/<slug:key>/bao-cao.docx", views.report_document, {"fmt": "docx"}, name="report_docx"),
    path("nghi-quyet/<slug:key>/bao-cao.pdf", views.report_document, {"fmt": "pdf"}, name="report_pdf"),
    path("nghi-quyet/<slug:key>/chi-tieu/<str:code>/", views.target_page, name="target"),
    path("nghi-quyet/<slug:key>/nhap-so-lieu/", entry_views.entry_page, name="entry"),
    path("nghi-quyet/<slug:key>/nhap-so-lieu/luu/", entry_views.entry_save, name="entry_save"),
    path("nghi-quyet/<slug:key>/nhap-so-lieu/bo-so-lieu/", entry_views.entry_step, name="entry_step"),
    path("nghi-quyet/<slug:key>/nhap-so-lieu/nguyen-nhan/", entry_views.entry_cause, name="entry_cause"),
    path("nghi-quyet/<slug:key>/nhap-so-lieu/mau.xlsx", upload_views.template_xlsx, name="entry_template"),
    path("nghi-quyet/<slug:key>/giao-ke-hoach/", plan_views.plans_page, name="plans"),
    path("nghi-quyet/<slug:key>/giao-ke-hoach/luu/", plan_views.plans_save, name="plans_save"),
    path("nghi-quyet/<slug:key>/tien-do-bao-cao/", completeness_views.completeness_page, name="completeness"),
    path("nghi-quyet/<slug:key>/tien-do-bao-cao/nhac/", completeness_views.completeness_remind, name="completeness_remind"),
    path("thong-bao/", completeness_views.inbox, name="notifications"),
    path("thong-bao/da-doc/", completeness_views.inbox_read, name="notifications_read"),
    path("nghi-quyet/<slug:key>/van-ban/", document_views.documents_page, name="documents"),
    path("nghi-quyet/<slug:key>/van-ban/ban-hanh/", document_views.documents_issue, name="documents_issue"),
    path("nghi-quyet/<slug:key>/van-ban/mau/", document_views.templates_upload, name="templates_upload"),
    path("van-ban/<int:document_id>/", document_views.document_file, name="document_file"),
    path("tai-len/", upload_views.upload_page, name="uploads"),
    path("tai-len/<uuid:upload_id>/", upload_views.upload_detail, name="upload"),
    path("tai-len/<uuid:upload_id>/tien-do/", upload_views.upload_status, name="upload_status"),
    path("tai-len/<uuid:upload_id>/ghi/", upload_views.upload_apply, name="upload_apply"),
    path("tai-khoan/", account_views.account, name="account"),
    path("tai-khoan/khoa-api/<int:token_id>/thu-hoi/", account_views.revoke_token, name="revoke_token"),
    path("tai-khoan/xac-thuc-hai-buoc/", account_views.two_step, name="two_step"),
    path("nhat-ky/", account_views.audit_log, name="audit"),
    path("quan-tri-don-vi/", account_views.members, name="members"),
]
