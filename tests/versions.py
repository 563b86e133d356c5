"""The version an edit page sends back (campaigns.versioning), for tests that post by hand."""

from __future__ import annotations

from django.db import models


def version_of(obj: models.Model) -> str:
    """The record's stored version, as the page's hidden field carries it."""
    stored = type(obj)._base_manager.filter(pk=obj.pk).values_list("version", flat=True)
    return str(stored.get())
