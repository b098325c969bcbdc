"""Saving a record after checking it like a form would, so every door gets the same clear messages."""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from hayat.core.errors import DomainError


def save_checked(instance: models.Model, *, by=None, exclude: list[str] | None = None) -> models.Model:
    """Validates fields, unique and check constraints, then saves; any refusal becomes a DomainError.

    The database keeps the last word: a concurrent insert that slips past the check fails on the unique
    index and is reported the same way.
    """
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as error:
        raise domain_error_from(error) from error
    if by is not None and getattr(by, "is_authenticated", False):
        instance._history_user = by
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as error:
        raise DomainError(_("This conflicts with another record; reload the page and try again."),
                          code="conflict") from error
    return instance


def domain_error_from(error: ValidationError) -> DomainError:
    """The first message of a model ValidationError, attached to its field when it has one."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            messages = ValidationError(errors).messages
            return DomainError(messages[0], field=None if name == NON_FIELD_ERRORS else name)
    return DomainError(error.messages[0])
