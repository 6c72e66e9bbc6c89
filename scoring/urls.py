from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("danh-gia/<int:pk>/", views.assessment_detail, name="assessment"),
    path("danh-gia/<int:pk>/diem/<int:score_pk>/luu/", views.score_save, name="score-save"),
    path("danh-gia/<int:pk>/diem/<int:score_pk>/", views.score_detail, name="score-detail"),
    path("tai-lieu-kiem-chung/<int:pk>/", views.evidence_download, name="evidence"),
    path("tong-hop/", views.dashboard, name="dashboard-latest"),
    path("tong-hop/<slug:period>/", views.dashboard, name="dashboard"),
]
