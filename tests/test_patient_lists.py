"""Every list that shows patients (pages and list APIs) logs a read of each patient on the page, in one insert,
and every page and API answer is sent with `Cache-Control: no-store` (and `Vary: HX-Request`)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hayat.core import clock
from hayat.core.models import AccessLogEntry
from hayat.core.policy import SIGNED_IN, roles_for
from hayat.core.roles import Role
from tests.routes import Route, RouteData, module_route_data, project_routes, send, url_of

pytestmark = pytest.mark.django_db

PATIENT_LISTS = {
    # the API
    "patient-list", "episode-list", "lab-result-list", "booking-list", "booking-upcoming", "booking-calendar",
    "illness-history-list", "reservation-list", "waitlist", "bill-list", "payment-list", "refund-list",
    "api-cash-report",
    # the pages
    "patients:list", "clinical:episode_list", "lab:result_list", "stays:booking_list", "stays:calendar",
    "stays:reservation_list", "stays:waitlist", "billing:bill_list", "billing:refund_list", "billing:cash_report",
    "billing:cash_report_csv",
}
ROUTES = {route.name: route for route in project_routes()}
GET_ROUTES = [route for route in ROUTES.values()
              if "GET" in route.methods and not route.is_public and not route.has_parameters]


@pytest.fixture(scope="module")
def route_data(django_db_setup, django_db_blocker) -> Iterator[RouteData]:
    for data in module_route_data(django_db_blocker):
        with django_db_blocker.unblock():
            an_upcoming_reservation(data.personas[Role.RECEPTIONIST])
        yield data


def an_upcoming_reservation(by) -> None:
    """What the URL samples lack: a reservation that arrives in two days (upcoming check-ins, reservations)."""
    from hayat.stays.models import BookingStatus
    from hayat.stays.tests.factories import PatientFactory, book, make_room, make_tariff

    book(by, guests=[(PatientFactory(), make_room("Lists-1"), make_tariff("Lists tariff"))],
         start=clock.today() + timedelta(days=2), status=BookingStatus.RESERVATION)


def a_role_that_sees(route: Route) -> Role:
    capability = route.capability("GET")
    return next(role for role in Role if capability == SIGNED_IN or role in roles_for(capability))


def access_inserts(queries: list[dict]) -> int:
    table = AccessLogEntry._meta.db_table
    return sum(query["sql"].lstrip().upper().startswith("INSERT") and table in query["sql"] for query in queries)


def test_every_patient_list_is_known():
    assert PATIENT_LISTS <= set(ROUTES)


@pytest.mark.parametrize("name", sorted(PATIENT_LISTS))
def test_a_patient_list_logs_every_patient_it_shows_in_one_insert(route_data, name):
    route = ROUTES[name]
    url = url_of(route, route_data.samples)
    with CaptureQueriesContext(connection) as queries:
        response = send(route_data.clients[a_role_that_sees(route)], "GET", url)
    assert response.status_code == 200
    assert access_inserts(queries.captured_queries) == 1, f"{name} wrote no access-log rows, or row by row"


@pytest.mark.parametrize("route", GET_ROUTES, ids=lambda route: route.name)
def test_every_page_and_api_answer_stays_out_of_caches(route_data, route):
    response = send(route_data.clients[a_role_that_sees(route)], "GET", url_of(route, route_data.samples))
    assert "no-store" in response["Cache-Control"]
    assert "HX-Request" in response["Vary"]
