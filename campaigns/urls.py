from django.urls import path

from . import views

app_name = "campaigns"

urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("new/", views.campaign_create, name="create"),
    path("<int:pk>/", views.campaign_detail, name="detail"),
    path("<int:pk>/edit/", views.campaign_edit, name="edit"),
    path("<int:pk>/phases/", views.phases_edit, name="phases"),
    path("<int:pk>/contents/", views.content_areas_edit, name="content_areas"),
    path("<int:pk>/contents/<int:area_pk>/targets/", views.targets_edit, name="targets"),
    path("<int:pk>/milestones/", views.milestones_edit, name="milestones"),
    path("<int:pk>/status/<str:action>/", views.campaign_status, name="status"),
    path("<int:pk>/timeline/", views.campaign_timeline, name="timeline"),
    path("<int:pk>/history/", views.campaign_history, name="history"),
    path("<int:pk>/progress/", views.progress_overview, name="progress"),
    path(
        "<int:pk>/progress/<int:phase_pk>/<int:unit_pk>/",
        views.progress_edit,
        name="progress_edit",
    ),
]
