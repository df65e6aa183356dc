"""Errors the core raises. Every message is Japanese and names what is wrong and where."""


class KodomoError(Exception):
    """Base of every error meant to be shown to the user as it is."""

    exit_code = 2

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NotFound(KodomoError):
    pass


class InvalidInput(KodomoError):
    pass


class ReadOnlyEdition(KodomoError):
    pass


class DatabaseError(KodomoError):
    pass
