"""Routes of the awards app's round and nomination pages, included by awards/urls.py."""

from django.urls import path

from . import nomination_views as views

urlpatterns = [
    path("rounds/", views.round_list, name="round_list"),
    path("rounds/new/", views.round_create, name="round_create"),
    path("rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path("rounds/<int:pk>/edit/", views.round_update, name="round_update"),
    path("rounds/<int:pk>/open/", views.round_set_open, name="round_set_open"),
    path("rounds/<int:pk>/check/", views.round_check, name="round_check"),
    path(
        "rounds/<int:pk>/nominations/new/",
        views.nomination_create,
        name="nomination_create",
    ),
    path("nominations/", views.nomination_list, name="nomination_list"),
    path("nominations/nominees/", views.nomination_nominees, name="nomination_nominees"),
    path(
        "nominations/eligibility/",
        views.nomination_eligibility,
        name="nomination_eligibility",
    ),
    path("nominations/<int:pk>/", views.nomination_detail, name="nomination_detail"),
    path("nominations/<int:pk>/edit/", views.nomination_update, name="nomination_update"),
    path("nominations/<int:pk>/files/", views.dossier_upload, name="dossier_upload"),
    path("nominations/<int:pk>/submit/", views.nomination_submit, name="nomination_submit"),
    path("nominations/<int:pk>/resubmit/", views.nomination_resubmit, name="nomination_resubmit"),
    path("nominations/<int:pk>/return/", views.nomination_return, name="nomination_return"),
    path("nominations/<int:pk>/accept/", views.nomination_accept, name="nomination_accept"),
    path("nominations/<int:pk>/check/", views.nomination_check, name="nomination_check"),
    path("dossier-files/<int:pk>/download/", views.dossier_download, name="dossier_download"),
]
