"""Rate limits beyond the login lockout: per user and per address, on the API and on expensive pages, answered
429 with Retry-After, counted in the database every app server shares."""

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from hayat.core import jobs, ratelimits
from hayat.core.models import RateWindow
from hayat.core.tests.concurrency import run_in_parallel

pytestmark = pytest.mark.django_db

NOW = 1_800_000_010  # ten seconds into a minute: the window ends in 50 s
LIMITS = {"api:user": "3/min", "api:address": "100/min", "expensive:user": "2/min", "expensive:address": "100/min"}


@pytest.fixture(autouse=True)
def frozen_time(monkeypatch):
    monkeypatch.setattr(ratelimits.time, "time", lambda: NOW)


def api_from(user, address: str) -> APIClient:
    api = APIClient(REMOTE_ADDR=address)
    api.force_authenticate(user)
    return api


@override_settings(HAYAT_RATE_LIMITS=LIMITS)
def test_the_api_answers_429_with_retry_after_past_a_users_limit(doctor, nurse):
    api = api_from(doctor, "10.0.0.7")
    assert [api.get("/api/patients/").status_code for _ in range(3)] == [200, 200, 200]
    refused = api.get("/api/patients/")
    assert refused.status_code == 429 and refused["Retry-After"] == "50"
    assert refused.json()["code"] == "throttled"
    assert api_from(nurse, "10.0.0.7").get("/api/patients/").status_code == 200  # a colleague at the same desk


@override_settings(HAYAT_RATE_LIMITS={**LIMITS, "api:user": "100/min", "api:address": "4/min"})
def test_the_api_limits_an_address_whoever_signs_in_from_it(doctor, nurse, receptionist):
    statuses = [api_from(user, "10.0.0.7").get("/api/patients/").status_code
                for user in (doctor, nurse, receptionist, doctor, nurse)]
    assert statuses == [200, 200, 200, 200, 429]
    assert api_from(doctor, "10.0.0.8").get("/api/patients/").status_code == 200


@override_settings(HAYAT_RATE_LIMITS=LIMITS)
def test_expensive_pages_have_their_own_lower_limit(receptionist, client_as):
    client = client_as(receptionist)
    search = reverse("patients:list") + "?q=Karimov"
    assert [client.get(search).status_code for _ in range(2)] == [200, 200]
    refused = client.get(search)
    assert refused.status_code == 429 and refused["Retry-After"] == "50"
    assert "50 seconds" in refused.content.decode()
    assert client.get(reverse("web:dashboard")).status_code == 200  # ordinary pages are not limited


@override_settings(HAYAT_RATE_LIMITS={**LIMITS, "api:user": "off", "api:address": "off"})
def test_a_limit_set_to_off_never_refuses(doctor):
    api = api_from(doctor, "10.0.0.7")
    assert {api.get("/api/patients/").status_code for _ in range(6)} == {200}


@pytest.mark.django_db(transaction=True)
def test_parallel_requests_are_each_counted_once():
    rate = ratelimits.Rate(10, 60)
    waits = run_in_parallel(lambda _: ratelimits.seconds_to_wait("api:user", "7", rate), 16)
    assert sorted(waits, key=lambda wait: wait or 0) == [None] * 10 + [50] * 6
    assert RateWindow.objects.get().hits == 16


def test_a_request_is_counted_in_one_statement():
    with CaptureQueriesContext(connection) as queries:
        ratelimits.seconds_to_wait("api:address", "10.0.0.7", ratelimits.Rate(5, 60))
    assert len(queries) == 1


def test_the_job_forgets_windows_that_have_ended(monkeypatch):
    for who in ("1", "2"):
        ratelimits.seconds_to_wait("api:user", who, ratelimits.Rate(5, 60))
    ratelimits.seconds_to_wait("api:user", "1", ratelimits.Rate(5, 3600))
    monkeypatch.setattr(ratelimits.time, "time", lambda: NOW + 60)
    assert jobs.forget_ended_rate_windows() == "forgot 2 rate-limit windows"
    assert RateWindow.objects.get().key.startswith("api:user:1:")


def test_rates_read_as_requests_per_period():
    assert ratelimits.parse_rate("120/min") == ratelimits.Rate(120, 60)
    assert ratelimits.parse_rate("10/s") == ratelimits.Rate(10, 1)
    assert ratelimits.parse_rate("off") is None
