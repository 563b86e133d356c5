"""URLconf for benchmarks only: the product's routes plus a page that renders just the layout.

The layout-only page is the yardstick each product page is compared with (session,
auth, middleware, navigation, no content). It lives here, not in config/urls.py,
so the product never ships it.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from config.urls import urlpatterns as product_urlpatterns


@login_required
def layout_only(request: HttpRequest) -> HttpResponse:
    return render(request, "base.html")


urlpatterns = [
    path("__bench__/layout/", layout_only, name="bench_layout"),
    *product_urlpatterns,
]
