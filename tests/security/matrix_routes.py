"""The named routes of the URL configuration, walked from ``get_resolver()``.

The matrix is generated from this walk, so a route added to any ``urls.py`` shows
up here and fails the matrix until the expectation table has a row for it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

# Prefixes not in this matrix: static files, and the admin, which has a walk of its
# own over every admin URL pattern (tests/security/test_admin_matrix.py).
SKIPPED_PREFIXES = ("admin/", "static/")


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name", as reverse() takes it
    pattern: str  # the full pattern, e.g. "campaigns/<int:pk>/edit/"
    kwargs: tuple[str, ...]  # the names of the captured arguments


def _walk(resolver: URLResolver, prefix: str, namespace: str) -> list[Route]:
    found: list[Route] = []
    for entry in resolver.url_patterns:
        pattern = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            found += _walk(entry, pattern, inner)
        elif isinstance(entry, URLPattern):
            if pattern.startswith(SKIPPED_PREFIXES):
                continue
            if not entry.name:
                raise AssertionError(f"route {pattern!r} has no name: name it to test it")
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            found.append(Route(name, pattern, tuple(entry.pattern.regex.groupindex)))
    return found


def named_routes() -> dict[str, Route]:
    """Every named route outside the admin, by the name reverse() takes."""
    routes: dict[str, Route] = {}
    for route in _walk(get_resolver(), "", ""):
        # Two patterns under one name (e.g. "new/" and "<pk>/edit/" sharing a view)
        # would hide one of them from the matrix.
        assert route.name not in routes, f"two routes named {route.name!r}"
        routes[route.name] = route
    return routes
