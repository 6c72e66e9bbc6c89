from django.urls import path

from . import views

urlpatterns = [
    path("", views.unit_list, name="unit-list"),
    path("<int:pk>/", views.unit_detail, name="unit-detail"),
]
