"""Routes of the awards app's history pages, included by awards/urls.py."""

from django.urls import path

from . import history_views as views

urlpatterns = [
    path("", views.index, name="index"),
    path("people/<int:pk>/history/", views.person_history, name="person_history"),
    path("units/<int:pk>/history/", views.unit_history, name="unit_history"),
    path("units/<int:pk>/history/people/", views.unit_people_awards, name="unit_people_awards"),
    path("rounds/<int:pk>/overview/", views.round_overview, name="round_overview"),
    path("exemplars/", views.exemplar_list, name="exemplar_list"),
    path("exemplars/new/", views.exemplar_edit, name="exemplar_create"),
    path("exemplars/<int:pk>/", views.exemplar_detail, name="exemplar_detail"),
    path("exemplars/<int:pk>/edit/", views.exemplar_edit, name="exemplar_edit"),
]
