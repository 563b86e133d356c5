"""Routes of the awards app's history pages, included by awards/urls.py."""

urlpatterns: list = []
