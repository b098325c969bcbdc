"""The wizard's room step offers rooms for sanatorium stays only, grouped by type, priced per night for the chosen
tariff, with their free places; a stay shorter than the tariff's course is warned about and gets a prorated share
of a package's sessions."""

from datetime import timedelta

import pytest
from django.urls import reverse

from hayat.catalog.models import SessionBasis, Tariff
from hayat.core.errors import DomainError
from hayat.facilities.models import RoomType, RoomUse
from hayat.stays import sessions
from hayat.stays.models import SessionAllowance, WizardDraft
from hayat.stays.tests.factories import book, make_room, make_tariff
from hayat.stays.tests.stay_factories import make_service, tariff_with_sessions

pytestmark = pytest.mark.django_db


@pytest.fixture
def icu(db):
    room = make_room("ICU-1", beds=2, type_name="ICU", price="900000")
    RoomType.objects.filter(name="ICU").update(use=RoomUse.HOSPITAL)
    room.refresh_from_db()
    return room


@pytest.fixture
def deluxe(db):
    return make_room("D-1", beds=2, type_name="Deluxe", price="650000")


@pytest.fixture
def cardio(db):
    tariff = make_tariff("Cardio", prices={"Standard": "700000", "Deluxe": "980000"})
    Tariff.objects.filter(pk=tariff.pk).update(length_days=14)
    tariff.refresh_from_db()
    return tariff


def start(client, today, *, nights=7, guests=1):
    client.post(reverse("stays:wizard_start"), {
        "start_date": str(today + timedelta(days=1)), "end_date": str(today + timedelta(days=1 + nights)),
        "guest_count": guests})
    return WizardDraft.objects.latest("created_at")


def test_the_room_step_offers_sanatorium_rooms_by_type_with_their_free_places_and_base_prices(
        client_as, receptionist, room, deluxe, icu, today):
    client = client_as(receptionist)
    draft = start(client, today)
    page = client.get(reverse("stays:wizard_rooms", args=[draft.token])).content.decode()
    assert f'value="r{room.pk}"' in page and f'value="r{deluxe.pk}"' in page
    assert f'value="r{icu.pk}"' not in page and f'data-pick-place="r{icu.pk}"' not in page
    assert '<optgroup label="Deluxe">' in page and '<optgroup label="Standard">' in page
    assert f'data-pick-place="r{deluxe.pk}"' in page and "2 free places" in page
    assert "650\u202f000.00 UZS per night" in page and "300\u202f000.00 UZS per night" in page
    matrix = page[page.index('id="availability-matrix"'):page.index('id="free-places"')]
    assert "Deluxe" in matrix and "ICU" not in matrix


def test_prices_follow_the_chosen_tariff_which_the_guests_then_get(client_as, receptionist, room, deluxe, cardio,
                                                                   today):
    client = client_as(receptionist)
    draft = start(client, today)
    url = reverse("stays:wizard_rooms", args=[draft.token])
    page = client.get(url, {"tariff": cardio.pk}).content.decode()
    assert "980\u202f000.00 UZS per night" in page and "700\u202f000.00 UZS per night" in page
    assert 'id="course-warning"' in page and "course of 14 days; this stay has 7 nights" in page
    live = client.get(reverse("stays:wizard_matrix", args=[draft.token]), {"tariff": cardio.pk}).content.decode()
    assert "980\u202f000.00 UZS" in live
    client.post(url, {"place_0": f"r{deluxe.pk}", "tariff": cardio.pk})
    draft.refresh_from_db()
    assert draft.slots[0]["tariff"] == cardio.pk
    guests = client.get(reverse("stays:wizard_guests", args=[draft.token])).content.decode()
    assert f'<option value="{cardio.pk}" selected>' in guests


def test_the_confirmation_warns_of_a_stay_shorter_than_the_course(client_as, receptionist, room, cardio, patients,
                                                                   today):
    client = client_as(receptionist)
    draft = start(client, today, nights=7)
    client.post(reverse("stays:wizard_rooms", args=[draft.token]), {"place_0": f"r{room.pk}"})
    client.post(reverse("stays:wizard_guests", args=[draft.token]), {"patient_0": patients[0].pk,
                                                                    "tariff_0": cardio.pk})
    confirm = client.get(reverse("stays:wizard_confirm", args=[draft.token])).content.decode()
    assert "data-course-warning" in confirm and "prorated share of the sessions" in confirm


def test_a_hospital_room_is_refused_for_a_booking_whatever_the_door(client_as, receptionist, icu, tariff, patients,
                                                                   today):
    client = client_as(receptionist)
    draft = start(client, today)
    page = client.post(reverse("stays:wizard_rooms", args=[draft.token]), {"place_0": f"r{icu.pk}"}).content.decode()
    assert "Select a valid choice" in page
    with pytest.raises(DomainError, match="is a hospital room"):
        book(receptionist, guests=[(patients[0], icu, tariff)], start=today + timedelta(days=1))


def test_a_short_stay_on_a_package_gets_its_prorated_sessions_and_pays_beyond(receptionist, nurse, doctor, room,
                                                                              patients, today):
    from hayat.stays.tests.stay_factories import checked_in

    massage = make_service("Massage", "80000")
    package = tariff_with_sessions("Cardio course", sessions={massage: 36})
    Tariff.objects.filter(pk=package.pk).update(length_days=14)
    stay = checked_in(receptionist, doctor, guests=[(patients[0], room, package)], start=today, nights=2)
    assert SessionAllowance.objects.get(booking=stay, service=massage).included == 5
    for _number in range(5):
        assert not sessions.record_session(by=nurse, booking=stay, patient=patients[0], service=massage).billable
    assert sessions.record_session(by=nurse, booking=stay, patient=patients[0], service=massage).billable


def test_per_day_sessions_count_the_nights_of_the_stay(receptionist, room, patients, today):
    bath = make_service("Bath", "30000")
    daily = tariff_with_sessions("Daily bath", sessions={bath: 2})
    Tariff.objects.filter(pk=daily.pk).update(sessions_basis=SessionBasis.PER_DAY, length_days=10)
    booking = book(receptionist, guests=[(patients[0], room, daily)], start=today + timedelta(days=2), nights=4)
    assert SessionAllowance.objects.get(booking=booking, service=bath).included == 8
