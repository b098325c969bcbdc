"""Ids, dates and bed numbers typed by hand into the facilities pages and API: a message, never a crash.

"²" passes `str.isdigit()` but not `int()`, and a day after 9999-12-31 does not exist; both used to end in a
server error (a bed numbered "²" even broke every later capacity change of its room, and a maintenance period on
the last day of the calendar failed on the day after it).
"""

from datetime import date

import pytest
from django.urls import reverse

from hayat.facilities.models import Bed, Maintenance
from hayat.facilities.tests.factories import MaintenanceFactory, RoomFactory, at

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"
SUPERSCRIPT = "²"


@pytest.fixture
def admin_client(client_as, admin_user):
    client = client_as(admin_user)
    client.raise_request_exception = False
    return client


@pytest.fixture
def api(api_as, admin_user):
    client = api_as(admin_user)
    client.raise_request_exception = False
    return client


@pytest.mark.parametrize("query, field", [
    ({"view": "timeline", "since": "9999-12-31"}, "since"), ({"until": "9999-12-31"}, "until"),
    ({"since": "0001-01-01"}, "since"), ({"view": "timeline", "until": "0001-01-01"}, "until"),
])
def test_a_maintenance_filter_date_out_of_range_is_a_message_and_the_list_still_shows(admin_client, query, field,
                                                                                       clock):
    period = MaintenanceFactory(room=RoomFactory(name="808"), start=at(date(2026, 12, 1), 9),
                                end=at(date(2026, 12, 1), 11))
    response = admin_client.get(reverse("facilities:maintenance_list"), query)
    assert response.status_code == 200
    assert field in response.context["filter_form"].errors
    assert period in list(response.context["page"])


@pytest.mark.parametrize("start", ["9999-12-31", "0001-01-01"])
def test_the_availability_page_refuses_a_start_out_of_range_on_its_field(admin_client, start):
    response = admin_client.get(reverse("facilities:availability"), {"start": start})
    assert response.status_code == 200
    assert "start" in response.context["form"].errors and response.context["matrix"] is None


@pytest.mark.parametrize("value", [SUPERSCRIPT, HUGE])
def test_the_maintenance_form_ignores_an_unreadable_room_or_bed_in_the_address(admin_client, value):
    room = RoomFactory(name="909")
    response = admin_client.get(reverse("facilities:maintenance_create"), {"room": value, "bed": value})
    assert response.status_code == 200 and not response.context["form"].initial["room"]
    period = MaintenanceFactory(room=room, start=at(date(2026, 12, 1), 9), end=at(date(2026, 12, 1), 11))
    response = admin_client.get(reverse("facilities:maintenance_edit", args=[period.pk]), {"room": value})
    assert response.status_code == 200 and response.context["form"].initial["room"] == room


@pytest.mark.parametrize("ward", [SUPERSCRIPT, HUGE, "0"])
def test_free_beds_of_an_unreadable_ward_answer_400_naming_it(api, ward):
    response = api.get("/api/availability/free-beds/", {"start": "2030-01-01", "end": "2030-01-03", "ward": ward})
    assert response.status_code == 400 and "ward" in response.json()["errors"]


@pytest.mark.parametrize("start, end", [("9999-12-30", "9999-12-31"), ("0001-01-01", "0001-01-03")])
def test_availability_out_of_the_calendar_answers_400_naming_the_date(api, start, end):
    response = api.get("/api/availability/", {"start": start, "end": end})
    assert response.status_code == 400 and "start" in response.json()["errors"]


def test_a_bed_numbered_with_a_superscript_is_refused_from_the_page_and_the_api(admin_client, api):
    room = RoomFactory(capacity=2)
    response = admin_client.post(reverse("facilities:bed_add", args=[room.pk]), {"number": SUPERSCRIPT}, follow=True)
    assert "A bed number is made of digits and letters" in response.content.decode()
    response = api.post("/api/beds/", {"room": room.pk, "number": SUPERSCRIPT}, format="json")
    assert response.status_code == 400 and "number" in response.json()["errors"]
    assert list(Bed.objects.filter(room=room).order_by("number").values_list("number", flat=True)) == ["1", "2"]


@pytest.mark.parametrize("start, end, field", [
    ("9999-12-31T10:00", "9999-12-31T12:00", "start"), ("9999-12-30T10:00", "9999-12-31T23:59", "start"),
    ("0001-01-01T00:00", "0001-01-01T05:00", "start"), ("2199-12-31T10:00", "2200-01-02T00:00", "end"),
])
def test_maintenance_at_the_ends_of_the_calendar_is_refused_on_its_field(admin_client, api, start, end, field):
    room = RoomFactory(capacity=2)
    period = {"room": room.pk, "kind": "repair", "start": start, "end": end}
    page = admin_client.post(reverse("facilities:maintenance_create"), period)
    assert page.status_code == 200
    assert page.context["form"].errors[field] == ["Enter a date between 1900-01-01 and 2199-12-31."]
    response = api.post("/api/maintenance/", period, format="json")
    assert response.status_code == 400 and field in response.json()["errors"]
    assert not Maintenance.objects.exists()
