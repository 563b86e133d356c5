"""The client's address, as the app's own reverse proxies saw it.

Each proxy in front of the app appends the address it received the request from to
``X-Forwarded-For`` (nginx's ``$proxy_add_x_forwarded_for``), so with N trusted
proxies the client is the N-th address from the right. Whatever lies further left
was written by the client and is never believed. How many proxies there are is
configuration (``TRUSTED_PROXY_COUNT``), never something a request can claim.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The address the login throttle (django-axes) locks, paired with the username."""
    remote = request.META.get("REMOTE_ADDR", "")
    count: int = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [hop for hop in hops if hop]
    if len(hops) < count:
        # Fewer hops than proxies: the request did not come through all of them (or a
        # proxy is misconfigured). The nearest address is the only one known to be true.
        return remote
    candidate = hops[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
