"""Routes of the awards app's nomination pages, included by awards/urls.py."""

urlpatterns: list = []
