"""Notes a use case tells the person acting become messages after the request; a failed use case's notes do not."""

import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.http import HttpResponse
from django.test import RequestFactory

from hayat.core import notices
from hayat.core.errors import DomainError
from hayat.core.transactions import retrying_atomic


@retrying_atomic
def succeeding():
    notices.tell("Massage Wed 10:00 → Sat 09:05")


@retrying_atomic
def failing():
    notices.tell("never happened")
    raise DomainError("refused")


def test_only_the_notes_of_use_cases_that_happened_are_shown(db):
    request = RequestFactory().post("/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)

    def view(request):
        succeeding()
        with pytest.raises(DomainError):
            failing()
        return HttpResponse()

    notices.NoticesMiddleware(view)(request)
    assert [str(message) for message in get_messages(request)] == ["Massage Wed 10:00 → Sat 09:05"]
    notices.tell("outside a request")  # goes nowhere, raises nothing
