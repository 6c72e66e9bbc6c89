from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from common.security import ThrottledAuthenticationForm

admin.site.site_header = "Quản trị hệ thống chấm điểm CCHC"
admin.site.site_title = "Chấm điểm CCHC"
admin.site.index_title = "Quản trị"

urlpatterns = [
    path("", include("scoring.urls")),
    path("don-vi/", include("units.urls")),
    path("dang-nhap/", auth_views.LoginView.as_view(authentication_form=ThrottledAuthenticationForm), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("so-lieu/", include("documents.urls")),
    path("van-ban/", include("reports.urls")),
    path("admin/", admin.site.urls),
    path("api/", include("config.api_urls")),
]

# A failed request answers in Vietnamese; a database that does not answer is a 503 to try again.
handler500 = "common.errors.server_error"
