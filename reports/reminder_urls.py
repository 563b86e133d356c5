"""Routes of the reminders' pages, included by reports/urls.py."""

from django.urls import path

from . import reminder_views

urlpatterns = [
    path("due/", reminder_views.due, name="due"),
]
