from django.urls import path

from . import analysis_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("danh-gia/<int:pk>/", views.assessment_detail, name="assessment"),
    path("danh-gia/<int:pk>/diem/<int:score_pk>/luu/", views.score_save, name="score-save"),
    path("danh-gia/<int:pk>/diem/<int:score_pk>/chap-nhan-diem-tinh/", views.score_accept, name="score-accept"),
    path("danh-gia/<int:pk>/diem/<int:score_pk>/", views.score_detail, name="score-detail"),
    path("tai-lieu-kiem-chung/<int:pk>/", views.evidence_download, name="evidence"),
    path("danh-gia/<int:pk>/vong-cham/bat-dau/", views.rounds_start, name="rounds-start"),
    path("danh-gia/<int:pk>/vong-cham/ket-thuc/", views.stage_close, name="stage-close"),
    path("danh-gia/<int:pk>/vong-cham/mo-lai/", views.stage_reopen, name="stage-reopen"),
    path("don-vi-gui/diem/<int:score_pk>/", views.portal_score, name="portal-score"),
    path("nhiem-vu/<int:pk>/tien-do/", views.task_progress, name="task-progress"),
    path("thong-bao/", views.notifications, name="notifications"),
    path("thong-bao/<int:pk>/mo/", views.notification_open, name="notification-open"),
    path("tong-hop/", views.dashboard, name="dashboard-latest"),
    path("tong-hop/<slug:period>/", views.dashboard, name="dashboard"),
    path("phan-tich/", analysis_views.index, name="analysis"),
    path("phan-tich/xep-hang/", analysis_views.ranks, name="analysis-ranks"),
    path("phan-tich/<int:pk>/diem-con-thieu/", analysis_views.points, name="analysis-points"),
    path("phan-tich/<int:pk>/mo-phong/", analysis_views.simulator, name="analysis-simulate"),
    path("phan-tich/<int:pk>/tinh-lai/", analysis_views.recompute, name="analysis-recompute"),
]

# Criteria across years and the sources of computed scores (scoring.history_views).
from . import history_views  # noqa: E402

urlpatterns += [
    path("danh-gia/<int:pk>/diem/<int:score_pk>/nguon/", history_views.score_source, name="score-source"),
    path("danh-gia/<int:pk>/so-voi-nam-truoc/", history_views.year_on_year, name="assessment-yoy"),
    path("danh-gia/<int:pk>/xu-huong/<int:criterion_pk>/", history_views.criterion_trend, name="criterion-trend"),
]
