"""Routes of the awards app's registration pages, included by awards/urls.py."""

urlpatterns: list = []
