"""Routes of the reports app's draft pages, included by reports/urls.py."""

urlpatterns: list = []
