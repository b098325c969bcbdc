"""The booking wizard: state on the server, back keeps choices, stale drafts say so, the booking is made once."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hayat.facilities.availability import midnight
from hayat.facilities.models import Maintenance, MaintenanceKind
from hayat.stays.models import Booking, BookingStatus, WizardDraft
from hayat.stays.tests.factories import PatientFactory, book, make_room, make_tariff

pytestmark = pytest.mark.django_db


def start(client, today, *, nights=3, guests=2, offset=1):
    response = client.post(reverse("stays:wizard_start"), {
        "start_date": str(today + timedelta(days=offset)), "end_date": str(today + timedelta(days=offset + nights)),
        "guest_count": guests})
    assert response.status_code == 302, response.content.decode()[:2000]
    return WizardDraft.objects.latest("created_at")


def test_two_guests_from_dates_to_booking(client_as, receptionist, room, tariff, patients, today):
    client = client_as(receptionist)
    draft = start(client, today)
    rooms_page = client.get(reverse("stays:wizard_rooms", args=[draft.token])).content.decode()
    assert 'id="availability-matrix"' in rooms_page and f'value="r{room.pk}"' in rooms_page
    bed = room.beds.get(number="1")
    response = client.post(reverse("stays:wizard_rooms", args=[draft.token]),
                           {"place_0": f"b{bed.pk}", "place_1": f"r{room.pk}"})
    assert response["Location"] == reverse("stays:wizard_guests", args=[draft.token])
    guests_page = client.get(response["Location"]).content.decode()
    assert "patients/picker.js" in guests_page and "350\u202f000.00 UZS per day" in guests_page
    response = client.post(response["Location"], {"patient_0": patients[0].pk, "tariff_0": tariff.pk,
                                                   "patient_1": patients[1].pk, "tariff_1": tariff.pk})
    assert response["Location"] == reverse("stays:wizard_confirm", args=[draft.token])
    confirm = client.get(response["Location"]).content.decode()
    assert "2\u202f100\u202f000.00 UZS" in confirm and patients[0].full_name in confirm
    response = client.post(reverse("stays:wizard_confirm", args=[draft.token]),
                           {"status": BookingStatus.CONFIRMED, "source": "phone", "referral": "Dr. Aliev",
                            "notes": "Ground floor please"})
    booking = Booking.objects.get()
    assert response["Location"] == booking.get_absolute_url()
    assert (booking.referral, booking.source, booking.lines.count()) == ("Dr. Aliev", "phone", 2)
    assert booking.lines.get(patient=patients[0]).bed == bed
    assert not WizardDraft.objects.exists()


def test_going_back_keeps_every_choice(client_as, receptionist, room, tariff, patients, today):
    client = client_as(receptionist)
    draft = start(client, today)
    client.post(reverse("stays:wizard_rooms", args=[draft.token]), {"place_0": f"r{room.pk}", "place_1": f"r{room.pk}"})
    client.post(reverse("stays:wizard_guests", args=[draft.token]), {"patient_0": patients[0].pk, "tariff_0": tariff.pk,
                                                                    "patient_1": patients[1].pk, "tariff_1": tariff.pk})
    dates = client.get(reverse("stays:wizard_dates", args=[draft.token])).content.decode()
    assert f'value="{today + timedelta(days=1)}"' in dates
    rooms = client.get(reverse("stays:wizard_rooms", args=[draft.token])).content.decode()
    assert f'<option value="r{room.pk}" selected>' in rooms
    guests = client.get(reverse("stays:wizard_guests", args=[draft.token])).content.decode()
    assert f'value="{patients[0].pk}"' in guests and patients[1].full_name in guests
    assert f'<option value="{tariff.pk}" selected>' in guests
    client.post(reverse("stays:wizard_dates", args=[draft.token]), {
        "start_date": str(today + timedelta(days=1)), "end_date": str(today + timedelta(days=5)), "guest_count": 3})
    draft.refresh_from_db()
    assert draft.guest_count == 3 and draft.slots[0]["patient"] == patients[0].pk and draft.slots[2]["room"] is None


def test_steps_cannot_be_skipped(client_as, receptionist, today):
    client = client_as(receptionist)
    draft = start(client, today)
    response = client.get(reverse("stays:wizard_confirm", args=[draft.token]))
    assert response["Location"] == reverse("stays:wizard_rooms", args=[draft.token])


def test_a_room_taken_meanwhile_gives_a_clear_message_and_a_way_back(client_as, receptionist, room, tariff, patients,
                                                                     today):
    client = client_as(receptionist)
    draft = start(client, today, guests=1)
    client.post(reverse("stays:wizard_rooms", args=[draft.token]), {"place_0": f"b{room.beds.get(number='1').pk}"})
    client.post(reverse("stays:wizard_guests", args=[draft.token]),
                {"patient_0": patients[0].pk, "tariff_0": tariff.pk})
    book(receptionist, guests=[(patients[1], room, tariff, room.beds.get(number="1"))],
         start=today + timedelta(days=2))
    confirm = client.get(reverse("stays:wizard_confirm", args=[draft.token])).content.decode()
    assert 'id="stale-warning"' in confirm and "no longer available" in confirm
    assert reverse("stays:wizard_rooms", args=[draft.token]) in confirm
    response = client.post(reverse("stays:wizard_confirm", args=[draft.token]),
                           {"status": BookingStatus.CONFIRMED, "source": "phone", "referral": "Dr. Aliev"})
    assert response.status_code == 200 and "no longer available" in response.content.decode()
    assert Booking.objects.count() == 1 and WizardDraft.objects.filter(pk=draft.pk).exists()
    draft.refresh_from_db()
    assert (draft.source, draft.referral) == ("phone", "Dr. Aliev")
    rooms = client.get(reverse("stays:wizard_rooms", args=[draft.token])).content.decode()
    assert "no longer free" in rooms


def test_the_live_matrix_shows_places_taken_since_the_page_opened(client_as, receptionist, room, tariff, patients,
                                                                    today):
    client = client_as(receptionist)
    draft = start(client, today, guests=1)
    matrix_url = reverse("stays:wizard_matrix", args=[draft.token])
    before = client.get(matrix_url).content.decode()
    assert re.findall(r"<strong>(\d+)</strong>/2", before) == ["2", "2", "2"] and f'data-room="{room.pk}"' in before
    book(receptionist, guests=[(patients[0], room, tariff), (patients[1], room, tariff)],
         start=today + timedelta(days=2), nights=1)
    after = client.get(matrix_url).content.decode()
    assert re.findall(r"<strong>(\d+)</strong>/2", after) == ["2", "0", "2"] and f'data-room="{room.pk}"' not in after


def test_two_guests_cannot_take_more_than_the_room_has(client_as, receptionist, tariff, today):
    single = make_room("150", beds=1)
    client = client_as(receptionist)
    draft = start(client, today)
    response = client.post(reverse("stays:wizard_rooms", args=[draft.token]),
                           {"place_0": f"r{single.pk}", "place_1": f"r{single.pk}"})
    assert response.status_code == 200 and "no longer available" in response.content.decode()


def test_the_same_patient_twice_is_refused_at_the_guest_step(client_as, receptionist, room, tariff, patients, today):
    client = client_as(receptionist)
    draft = start(client, today)
    client.post(reverse("stays:wizard_rooms", args=[draft.token]), {"place_0": f"r{room.pk}", "place_1": f"r{room.pk}"})
    response = client.post(reverse("stays:wizard_guests", args=[draft.token]),
                           {"patient_0": patients[0].pk, "tariff_0": tariff.pk,
                            "patient_1": patients[0].pk, "tariff_1": tariff.pk})
    assert response.status_code == 200 and "listed twice" in response.content.decode()
    missing = client.post(reverse("stays:wizard_guests", args=[draft.token]),
                          {"patient_0": patients[0].pk, "tariff_0": tariff.pk, "tariff_1": tariff.pk})
    assert "Choose the patient for guest 2" in missing.content.decode()


def test_wizard_dates_follow_the_rules(client_as, receptionist, today):
    response = client_as(receptionist).post(reverse("stays:wizard_start"), {
        "start_date": str(today - timedelta(days=1)), "end_date": str(today + timedelta(days=2)), "guest_count": 1})
    assert response.status_code == 200 and "in the past" in response.content.decode()
    assert not WizardDraft.objects.exists()


def test_someone_elses_or_an_unknown_draft_leads_to_a_fresh_start(client_as, receptionist, admin_user, today):
    draft = start(client_as(receptionist), today)
    client = client_as(admin_user)
    response = client.get(reverse("stays:wizard_rooms", args=[draft.token]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("stays:wizard_start")
    assert "expired or is not yours" in response.content.decode()


def test_old_drafts_expire(client_as, receptionist, today, clock):
    client = client_as(receptionist)
    draft = start(client, today)
    clock.advance(days=3)
    response = client.get(reverse("stays:wizard_rooms", args=[draft.token]))
    assert response["Location"] == reverse("stays:wizard_start")
    start(client, today + timedelta(days=3))
    assert not WizardDraft.objects.filter(pk=draft.pk).exists()


def test_discard(client_as, receptionist, today):
    client = client_as(receptionist)
    draft = start(client, today)
    client.post(reverse("stays:wizard_discard", args=[draft.token]))
    assert not WizardDraft.objects.exists()


def test_tariff_prices_follow_the_chosen_room(client_as, receptionist, patients, today):
    suite = make_room("300", beds=1, type_name="Suite", price="900000")
    make_tariff("Spa", prices={"Suite": "1100000"})
    client = client_as(receptionist)
    draft = start(client, today, guests=1)
    client.post(reverse("stays:wizard_rooms", args=[draft.token]), {"place_0": f"r{suite.pk}"})
    page = client.get(reverse("stays:wizard_guests", args=[draft.token])).content.decode()
    assert "Spa – 1\u202f100\u202f000.00 UZS per day" in page


def test_a_room_under_maintenance_is_neither_offered_nor_counted_free(client_as, receptionist, room, tariff, today):
    other = make_room("102", beds=2)
    repair_day = midnight(today + timedelta(days=2))
    Maintenance.objects.create(room=room, kind=MaintenanceKind.REPAIR, start=repair_day + timedelta(hours=9),
                               end=repair_day + timedelta(hours=15))
    client = client_as(receptionist)
    draft = start(client, today)
    rooms = client.get(reverse("stays:wizard_rooms", args=[draft.token])).content.decode()
    assert f'value="r{room.pk}"' not in rooms and f'value="r{other.pk}"' in rooms
    free_per_night = re.findall(r"<strong>(\d+)</strong>/4", rooms.split('id="availability-matrix"')[1])
    assert free_per_night == ["4", "2", "4"]
    response = client.post(reverse("stays:wizard_rooms", args=[draft.token]),
                           {"place_0": f"r{room.pk}", "place_1": f"r{other.pk}"})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()


def test_the_guest_step_costs_the_same_queries_for_one_or_eight_guests(client_as, receptionist, tariff, today):
    make_tariff("Spa", prices={"Standard": "500000"})
    client = client_as(receptionist)

    def guest_step(count: int) -> tuple[int, int]:
        rooms = [make_room(f"G{count}-{index}", beds=1) for index in range(count)]
        patients = PatientFactory.create_batch(count)
        draft = WizardDraft.objects.create(
            user=receptionist, start_date=today + timedelta(days=1), end_date=today + timedelta(days=3),
            guest_count=count,
            slots=[{"room": room.pk, "bed": None, "patient": None, "tariff": None} for room in rooms])
        url = reverse("stays:wizard_guests", args=[draft.token])
        with CaptureQueriesContext(connection) as shown:
            assert client.get(url).status_code == 200
        data = {key: value for index, patient in enumerate(patients)
                for key, value in ((f"patient_{index}", patient.pk), (f"tariff_{index}", tariff.pk))}
        with CaptureQueriesContext(connection) as sent:
            assert client.post(url, data).status_code == 302
        return len(shown), len(sent)

    assert guest_step(1) == guest_step(8)


def test_a_draft_in_progress_shows_its_age_on_the_hospital_clock(client_as, receptionist, today, clock):
    client = client_as(receptionist)
    start(client, today)
    clock.advance(hours=5)
    page = client.get(reverse("stays:wizard_start")).content.decode()
    drafts = page[page.index('id="open-drafts"'):]
    assert "5\xa0hours ago" in drafts
