"""Admin registrations for the awards workflow part."""
