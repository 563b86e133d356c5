"""Routes of the awards app's catalogue pages, included by awards/urls.py."""

from django.urls import path

from . import catalogue_views as views

urlpatterns = [
    path("catalogue/", views.catalogue, name="catalogue"),
    path("catalogue/<str:code>/", views.award_type_detail, name="award_type"),
]
