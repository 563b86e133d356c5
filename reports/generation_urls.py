"""Routes of the reports app's generation pages, included by reports/urls.py."""

urlpatterns: list = []
