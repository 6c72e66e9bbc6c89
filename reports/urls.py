from django.urls import path

from . import tracking_views, views

app_name = "reports"

urlpatterns = [
    path("", views.letter_list, name="list"),
    path("tao/", views.letter_create, name="create"),
    path("<int:pk>/", views.letter_detail, name="detail"),
    path("<int:pk>/xuat-tep/", views.letter_render, name="render"),
    path("<int:pk>/trang-thai/", views.letter_status, name="status"),
    path("<int:pk>/tai-ve/<str:fmt>/", views.letter_download, name="download"),
    path("<int:pk>/tao-nhiem-vu/", views.plan_tasks, name="plan-tasks"),
    path("<int:pk>/ban-hanh/", views.letter_issue, name="issue"),
    path("<int:pk>/dinh-chinh/", views.letter_correct, name="correct"),
    path("<int:pk>/phien-ban/<int:version>/", views.version_detail, name="version"),
    path("<int:pk>/phien-ban/<int:version>/xuat-tep/", views.version_render, name="version-render"),
    path("<int:pk>/phien-ban/<int:version>/trang-thai/", views.version_status, name="version-status"),
    path("<int:pk>/phien-ban/<int:version>/tai-ve/<str:fmt>/", views.version_download, name="version-download"),
    path("khac-phuc/", tracking_views.tracking_page, name="tracking"),
    path("khac-phuc/bao-cao/", tracking_views.tracking_report, name="tracking-report"),
    path("khac-phuc/bao-cao.xlsx", tracking_views.tracking_xlsx, name="tracking-xlsx"),
    path("khac-phuc/nhiem-vu/<int:pk>/", tracking_views.task_edit, name="task"),
    path("khac-phuc/tu-danh-gia/<int:pk>/", tracking_views.tasks_from_htnv, name="tasks-from-assessment"),
]
