"""Odd ids and dates typed into query strings, forms and the API get a clear answer and change nothing, never a 500.

Dates near year 1 or 9999 overflow date arithmetic and ids beyond what a database column holds overflow the
database driver: both used to end in server errors on the calendar, the move, the lists and the wizard.
"""

from datetime import timedelta

import pytest
from django.urls import reverse

from hayat.core.errors import DomainError
from hayat.core.params import LATEST_DATE
from hayat.stays import services, wizard
from hayat.stays.errors import BookingRuleBroken
from hayat.stays.models import Booking, WizardDraft
from hayat.stays.tests.factories import book

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999999"
FAR_DATES = ["9999-12-31", "0001-01-01"]


@pytest.fixture
def booking(receptionist, room, tariff, patients, today):
    return book(receptionist, guests=[(patients[0], room, tariff)], start=today + timedelta(days=1), nights=3)


@pytest.mark.parametrize("start", FAR_DATES)
def test_the_calendar_page_shows_today_for_a_date_out_of_range(client_as, receptionist, booking, start):
    response = client_as(receptionist).get(reverse("stays:calendar"), {"start": start})
    assert response.status_code == 200
    assert f'data-number="{booking.number}"' in response.content.decode()


@pytest.mark.parametrize("start", FAR_DATES)
def test_the_calendar_api_refuses_a_date_out_of_range(api_as, receptionist, start):
    response = api_as(receptionist).get("/api/bookings/calendar/", {"start": start})
    assert response.status_code == 400
    assert response.json()["errors"] == {"start": [response.json()["detail"]]}
    assert "between 1900-01-01 and 2199-12-31" in response.json()["detail"]


def test_a_huge_room_type_is_ignored_by_the_calendar_page_and_refused_by_the_api(client_as, api_as, receptionist,
                                                                                   booking):
    page = client_as(receptionist).get(reverse("stays:calendar"), {"room_type": HUGE})
    assert page.status_code == 200 and f'data-number="{booking.number}"' in page.content.decode()
    api = api_as(receptionist).get("/api/bookings/calendar/", {"room_type": HUGE, "days": HUGE})
    assert api.status_code == 400 and "room_type" in api.json()["errors"]


@pytest.mark.parametrize(("days", "shown"), [(HUGE, 14), ("500", 62), ("0", 1)])
def test_the_calendar_api_keeps_the_number_of_days_in_range(api_as, receptionist, today, days, shown):
    response = api_as(receptionist).get("/api/bookings/calendar/", {"start": str(today), "days": days})
    assert response.status_code == 200
    assert response.json()["end"] == str(today + timedelta(days=shown))


@pytest.mark.parametrize("start", ["9999-12-31", "2199-12-31"])
def test_a_move_to_a_far_date_is_refused_on_the_page_and_the_api(client_as, api_as, receptionist, booking, room,
                                                                  start):
    page = client_as(receptionist).post(reverse("stays:booking_move", args=[booking.pk]),
                                        {"from_room": room.pk, "to_room": room.pk, "start_date": start})
    api = api_as(receptionist).post(f"/api/bookings/{booking.pk}/move/",
                                    {"from_room": room.pk, "to_room": room.pk, "start_date": start})
    assert page.status_code == api.status_code == 400
    assert api.json()["errors"].keys() == {"start_date"}
    booking.refresh_from_db()
    assert booking.start_date == booking.lines.get().start_date


def test_the_move_service_refuses_a_far_date_before_any_arithmetic(receptionist, booking, room):
    with pytest.raises(BookingRuleBroken, match="days ahead"):
        services.move_booking(by=receptionist, booking=booking, from_room=room, to_room=room,
                              start_date=LATEST_DATE.replace(year=9999))


def test_huge_ids_in_the_illness_history_filters_are_refused(api_as, doctor):
    api = api_as(doctor)
    for name in ("booking", "patient"):
        response = api.get(reverse("illness-history-list"), {name: HUGE})
        assert response.status_code == 400 and name in response.json()["errors"]
    assert api.get(reverse("illness-history-list"), {"booking": "12"}).json()["count"] == 0


def test_a_huge_patient_id_in_the_wizard_is_a_message(client_as, receptionist, room, tariff, today):
    client = client_as(receptionist)
    client.post(reverse("stays:wizard_start"), {"start_date": str(today + timedelta(days=1)),
                                                "end_date": str(today + timedelta(days=3)), "guest_count": 1})
    draft = WizardDraft.objects.get()
    client.post(reverse("stays:wizard_rooms", args=[draft.token]), {"place_0": f"r{room.pk}"})
    response = client.post(reverse("stays:wizard_guests", args=[draft.token]),
                           {"patient_0": HUGE, "tariff_0": tariff.pk})
    assert response.status_code == 200 and "Choose the patient from the list." in response.content.decode()
    draft.refresh_from_db()
    assert draft.slots[0]["patient"] is None


@pytest.mark.parametrize("place", [f"r{HUGE}", "r²", "b٣"])
def test_odd_place_values_are_a_message_on_every_page_that_picks_a_place(client_as, receptionist, booking, tariff,
                                                                         patients, today, place):
    client = client_as(receptionist)
    line = booking.lines.get()
    for url, data in ((reverse("stays:guest_add", args=[booking.pk]), {"patient": patients[1].pk}),
                      (reverse("stays:guest_edit", args=[booking.pk, line.pk]), {"patient": patients[0].pk}),
                      (reverse("stays:mid_stay_change", args=[booking.pk, line.pk]),
                       {"from_date": str(today + timedelta(days=2))})):
        response = client.post(url, {**data, "place": place, "tariff": tariff.pk})
        assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert booking.lines.count() == 1


def test_huge_ids_in_guest_and_waitlist_forms_are_messages(client_as, receptionist, booking, room, tariff, today):
    client = client_as(receptionist)
    guest = client.post(reverse("stays:guest_add", args=[booking.pk]),
                        {"patient": HUGE, "place": f"r{room.pk}", "tariff": tariff.pk})
    assert guest.status_code == 200 and "Choose the patient from the list." in guest.content.decode()
    waiting = client.post(reverse("stays:waitlist"), {"patient": HUGE, "start_date": str(today + timedelta(days=1)),
                                                      "end_date": str(today + timedelta(days=3)), "guests": 1,
                                                      "priority": 2})
    assert waiting.status_code == 200 and "Choose the patient from the list." in waiting.content.decode()
    assert booking.lines.count() == 1


@pytest.mark.parametrize("start", FAR_DATES)
def test_far_dates_in_the_date_forms_are_field_errors(client_as, api_as, receptionist, booking, start):
    client = client_as(receptionist)
    wizard = client.post(reverse("stays:wizard_start"), {"start_date": start, "end_date": start, "guest_count": 1})
    assert wizard.status_code == 200 and "Enter a date between" in wizard.content.decode()
    dates = client.post(reverse("stays:booking_dates", args=[booking.pk]), {"start_date": start, "end_date": start})
    assert dates.status_code == 200 and "Enter a date between" in dates.content.decode()
    listed = client.get(reverse("stays:booking_list"), {"date_from": start, "date_to": start})
    assert listed.status_code == 200
    api = api_as(receptionist).post(f"/api/bookings/{booking.pk}/dates/", {"start_date": start, "end_date": start})
    assert api.status_code == 400 and set(api.json()["errors"]) == {"start_date", "end_date"}
    assert not WizardDraft.objects.exists() and Booking.objects.get().start_date == booking.start_date



def test_the_wizard_service_takes_huge_ids_for_unchosen_guests(receptionist, room, tariff, today):
    draft = WizardDraft.objects.create(user=receptionist, start_date=today + timedelta(days=1),
                                       end_date=today + timedelta(days=3), guest_count=1,
                                       slots=[{"room": room.pk, "bed": None, "patient": None, "tariff": None}])
    with pytest.raises(DomainError, match="Choose the patient for guest 1") as refused:
        wizard.set_guests(draft=draft, guests=[(int(HUGE), tariff.pk)])
    assert refused.value.field == "patient_0"
