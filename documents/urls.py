from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("", views.batch_list, name="batches"),
    path("tai-len/", views.upload, name="upload"),
    path("xem-truoc/<str:sha256>/", views.preview, name="preview"),
    path("lan-nhap/<int:pk>/", views.batch_detail, name="batch"),
    path("lan-nhap/<int:pk>/nhap-lai/", views.reimport, name="reimport"),
    path("ho-so-qua-han/<int:pk>/thu-xin-loi/", views.apology, name="apology"),
]
