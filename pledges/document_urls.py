"""Routes of the pledges app's document pages, included by pledges/urls.py."""

from django.urls import path  # noqa: F401 - routes are added as the pages are built

urlpatterns: list = []
