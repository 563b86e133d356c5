class DomainError(Exception):
    """A use case refused in the current state; the message is shown to the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ConflictError(DomainError):
    """Someone else changed the record since the user opened it."""
