"""Admin registrations for the awards catalogue part."""
