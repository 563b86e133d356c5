"""The user's due and overdue items: an htmx partial on the home page, or a page of its own."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from .reminders import HORIZON_DAYS, due_items

# How many items the home page shows before linking to the full list.
HOME_LIMIT = 10


@require_GET
@login_required
def due(request: HttpRequest) -> HttpResponse:
    """Items whose responsible units are in the user's scope (or their blocs), soonest first.

    The home page loads it with ``hx-get``; opened directly it is a paginated page.
    """
    items = due_items(timezone.localdate(), HORIZON_DAYS, user=request.user)
    context = {"horizon_days": HORIZON_DAYS, "total": len(items)}
    if request.htmx:
        context |= {"items": items[:HOME_LIMIT], "more": max(len(items) - HOME_LIMIT, 0)}
        return render(request, "reports/reminders_due.html", context)
    page = Paginator(items, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    context |= {"items": page.object_list, "page": page, "more": 0}
    return render(request, "reports/reminders_due_page.html", context)
