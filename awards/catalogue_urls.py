"""Routes of the awards app's catalogue pages, included by awards/urls.py."""

urlpatterns: list = []
