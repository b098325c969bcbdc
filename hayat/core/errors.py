"""Domain errors: raised by services, shown by forms and translated by the API into {detail, code}."""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the domain refused the request; the message is for the user."""

    code = "invalid"
    status = 400

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None):
        super().__init__(message)
        self.message = str(message)
        self.field = field
        if code:
            self.code = code


class Conflict(DomainError):
    """The request collides with the current state (taken room, stale data, illegal transition)."""

    code = "conflict"
    status = 409


class FieldsRefused(DomainError):
    """Fields the acting role may not set were sent; the message names them."""

    code = "fields_refused"
    status = 403

    def __init__(self, message: str, *, fields: list[str]):
        super().__init__(message)
        self.fields = fields
