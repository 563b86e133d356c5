"""Admin registrations live beside each part of the app; importing them registers them."""

from . import admin_catalogue, admin_history, admin_records, admin_workflow  # noqa: F401
