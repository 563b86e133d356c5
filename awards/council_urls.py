"""Routes of the awards app's council pages, included by awards/urls.py."""

urlpatterns: list = []
