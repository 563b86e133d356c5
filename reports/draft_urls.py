"""Routes of the reports app's draft pages, included by reports/urls.py."""

from django.urls import path

from . import draft_views as views

urlpatterns = [
    path("", views.index, name="index"),
    path("drafts/new/", views.draft_create, name="draft_create"),
    path("drafts/phases/", views.draft_phases, name="draft_phases"),
    path("drafts/<int:pk>/", views.draft_detail, name="draft_detail"),
    path("drafts/<int:pk>/autosave/", views.draft_autosave, name="draft_autosave"),
    path("drafts/<int:pk>/figures/", views.draft_figures, name="draft_figures"),
]
