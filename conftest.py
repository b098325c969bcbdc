"""Fixtures for every test: personas (one user per role), a movable clock, engine facts."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.utils import timezone, translation

from hayat.core import clock as clock_module
from hayat.core.roles import Role


class MovableClock:
    """Replaces hayat.core.clock.now() for a test; move it with .set() or .advance()."""

    def __init__(self, start: datetime):
        self.current = start

    def now(self) -> datetime:
        return self.current

    def set(self, moment: datetime) -> None:
        self.current = moment

    def advance(self, **delta) -> datetime:
        from datetime import timedelta

        self.current += timedelta(**delta)
        return self.current


@pytest.fixture(autouse=True)
def default_language():
    """Every test starts in the default language: a request in Russian leaves Russian active in its thread."""
    with translation.override(django_settings.LANGUAGE_CODE):
        yield


@pytest.fixture
def clock(monkeypatch) -> MovableClock:
    movable = MovableClock(timezone.make_aware(datetime(2026, 11, 21, 9, 0)))
    monkeypatch.setattr(clock_module, "now", movable.now)
    return movable


@pytest.fixture
def make_user(db):
    from hayat.accounts.tests.factories import UserFactory

    def make(role: str = Role.RECEPTIONIST, **fields):
        return UserFactory(role=role, **fields)

    return make


@pytest.fixture
def admin_user(make_user):
    return make_user(Role.ADMIN, user_id="admin1", full_name="Ada Admin")


@pytest.fixture
def receptionist(make_user):
    return make_user(Role.RECEPTIONIST, user_id="recep1", full_name="Rita Reception")


@pytest.fixture
def doctor(make_user):
    return make_user(Role.DOCTOR, user_id="doc1", full_name="Dr. Dan Doctor")


@pytest.fixture
def nurse(make_user):
    return make_user(Role.NURSE, user_id="nurse1", full_name="Nina Nurse")


@pytest.fixture
def teller(make_user):
    return make_user(Role.TELLER, user_id="teller1", full_name="Tom Teller")


@pytest.fixture
def coder(make_user):
    return make_user(Role.CODER, user_id="coder1", full_name="Cora Coder")


@pytest.fixture
def client_as(client):
    """client_as(user) returns the test client signed in as that user."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture
def api_as():
    """api_as(user) returns a DRF APIClient authenticated as that user (or anonymous with None)."""
    from rest_framework.test import APIClient

    def make(user=None):
        api = APIClient()
        if user is not None:
            api.force_authenticate(user)
        return api

    return make


@pytest.fixture
def engine() -> str:
    return connection.vendor


@pytest.fixture(autouse=True)
def append_only_tables_flushable(request):
    """A transactional test ends with a flush that deletes every row, which the append-only triggers refuse: they
    are dropped just before it, and the flush's post_migrate puts them back (hayat.core.apps.keep_append_only)."""
    marker = request.node.get_closest_marker("django_db")
    transactional = (marker is not None and (marker.kwargs.get("transaction") or marker.args[:1] == (True,))) or \
        {"transactional_db", "live_server"} & set(request.fixturenames)
    if not transactional:
        yield
        return
    request.getfixturevalue("transactional_db")
    yield
    from hayat.core import append_only

    with connection.schema_editor() as editor:
        append_only.remove(editor)
