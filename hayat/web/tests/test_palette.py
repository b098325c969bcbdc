"""The command palette (Ctrl+K) jumps to a patient, a booking, an episode or a page, among what the person may see;
the patients it shows are logged as read, in one insert. The shortcut sheet lists every key."""

import pytest
from django.urls import reverse

from hayat.billing.tests import factories
from hayat.core.clock import today
from hayat.core.models import AccessLogEntry
from hayat.stays.tests.factories import book, make_room, make_tariff

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(receptionist, doctor, coder, clock):
    guest = factories.PatientFactory(first_name="Dilnoza", last_name="Rahimova")
    inpatient = factories.PatientFactory(first_name="Bahodir", last_name="Rahimov")
    booking = book(receptionist, guests=[(guest, make_room("101"), make_tariff("Rest"))], start=today())
    episode = factories.admit(inpatient, factories.hospital_room("H1", beds=1).beds.get(), doctor=doctor, by=coder)
    return guest, inpatient, booking, episode


def jump(client, query: str, *, htmx: bool = True):
    return client.get(reverse("web:jump"), {"q": query}, **({"HTTP_HX_REQUEST": "true"} if htmx else {}))


def test_a_name_finds_the_patients_their_bookings_and_episodes(world, client_as, receptionist,
                                                               django_assert_max_num_queries):
    guest, inpatient, booking, episode = world
    client = client_as(receptionist)
    jump(client, "Rahim")  # the session and the menu warm up
    newest = AccessLogEntry.objects.order_by("-id").first().pk
    with django_assert_max_num_queries(14):
        html = jump(client, "Rahim").content.decode()
    for url in (guest.get_absolute_url(), inpatient.get_absolute_url(), booking.get_absolute_url(),
                episode.get_absolute_url()):
        assert f'href="{url}"' in html, url
    assert "<html" not in html and "data-palette-item" in html
    logged = AccessLogEntry.objects.filter(pk__gt=newest)
    assert set(logged.values_list("patient_id", flat=True)) == {guest.pk, inpatient.pk}
    assert set(logged.values_list("what", flat=True)) == {"command palette"}


def test_a_booking_number_and_a_page_name(world, client_as, receptionist):
    _guest, _inpatient, booking, _episode = world
    client = client_as(receptionist)
    assert f'href="{booking.get_absolute_url()}"' in jump(client, booking.number).content.decode()
    pages = jump(client, "calend").content.decode()
    assert f'href="{reverse("stays:calendar")}"' in pages


def test_records_a_person_may_not_see_are_not_offered(world, client_as, coder, admin_user):
    _guest, _inpatient, booking, _episode = world
    html = jump(client_as(coder), "Rahim").content.decode()
    assert booking.get_absolute_url() not in html
    assert reverse("stays:calendar") not in jump(client_as(coder), "calend").content.decode()


def test_without_script_the_palette_is_a_page(world, client_as, receptionist):
    guest, *_rest = world
    page = jump(client_as(receptionist), "Dilnoza", htmx=False)
    assert page.status_code == 200 and "<html" in page.content.decode()
    assert guest.get_absolute_url() in page.content.decode()
    nothing = jump(client_as(receptionist), "zzzzqqq").content.decode()
    assert 'id="palette-nothing"' in nothing


def test_the_shortcut_sheet_lists_every_key_the_scripts_answer(client_as, receptionist):
    html = client_as(receptionist).get(reverse("web:dashboard")).content.decode()
    sheet = html[html.index('id="shortcuts-help"'):]
    for key in ("<kbd>/</kbd>", "<kbd>g</kbd> <kbd>d</kbd>", "<kbd>n</kbd>", "<kbd>e</kbd>", "<kbd>?</kbd>",
                "<kbd>Esc</kbd>", "<kbd>Ctrl</kbd> <kbd>K</kbd>"):
        assert key in sheet, key
    assert 'id="palette"' in html and "web/palette" in html
