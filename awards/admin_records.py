"""Admin registrations for the awards records part."""
