"""Routes that start a bloc's yearly summary or a body's award statistics; included by reports/urls.py."""

from django.urls import path

from . import kind_views

urlpatterns = [
    path(
        "new/bloc-year/<int:pk>/",
        kind_views.bloc_year_draft_create,
        name="bloc_year_draft_create",
    ),
    path(
        "new/award-statistics/",
        kind_views.award_statistics_draft_create,
        name="award_statistics_draft_create",
    ),
]
