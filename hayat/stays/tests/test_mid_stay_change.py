"""Mid-stay change of room and/or tariff: the old period closes, a new one opens, each priced by its own days."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hayat.core.errors import Conflict, DomainError
from hayat.core.models import AuditEvent
from hayat.stays import changes, checkin, services, sessions
from hayat.stays.errors import NoLongerAvailable
from hayat.stays.models import GuestLine
from hayat.stays.tests.factories import book, make_room, make_tariff
from hayat.stays.tests.stay_factories import checked_in, make_service, tariff_with_sessions

pytestmark = pytest.mark.django_db


@pytest.fixture
def suite(db):
    return make_room("301", beds=1, type_name="Suite")


@pytest.fixture
def premium(db):
    return make_tariff("Premium", prices={"Standard": "500000", "Suite": "900000"})


# The new price per day for each kind of change to the suite and/or the premium tariff: a room without a price
# of the tariff costs the room's base price.
NEW_PRICES = {"room": Decimal("300000.00"), "tariff": Decimal("500000.00"), "both": Decimal("900000.00")}


@given(nights=st.integers(min_value=2, max_value=20), change=st.sampled_from(sorted(NEW_PRICES)), data=st.data())
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_split_day_prorates_the_stay_by_the_days_in_each_period(receptionist, doctor, nurse, room, suite,
                                                                     premium, patients, today, nights, change, data):
    split = data.draw(st.integers(min_value=1, max_value=nights - 1), label="split")
    with transaction.atomic():
        massage = make_service("Massage", "80000")
        spa = tariff_with_sessions("Spa", sessions={massage: 2})
        booking = checked_in(receptionist, doctor, guests=[(patients[0], room, spa)], start=today, nights=nights)
        sessions.record_session(by=nurse, booking=booking, patient=patients[0], service=massage)
        line = booking.lines.get()
        new = changes.change_mid_stay(by=receptionist, line=line, from_date=today + timedelta(days=split),
                                      room=suite if change != "tariff" else None,
                                      tariff=premium if change != "room" else None)
        line.refresh_from_db()
        booking.refresh_from_db()
        new_price = NEW_PRICES[change]
        assert (line.start_date, line.end_date, line.is_open) == (today, today + timedelta(days=split), False)
        assert (new.start_date, new.end_date, new.is_open) == (today + timedelta(days=split), booking.end_date, True)
        assert line.nights + new.nights == nights
        assert new.price_per_day == new_price and line.price_per_day == Decimal("350000.00")
        assert booking.total == Decimal("350000.00") * split + new_price * (nights - split)
        (massages,) = sessions.session_board(booking)
        assert (massages.used, massages.included) == (1, 2 if change == "room" else 1)
        transaction.set_rollback(True)


def test_a_room_change_is_checked_against_the_new_room(receptionist, room, suite, tariff, patients, today):
    booking = book(receptionist, guests=[(patients[0], room, tariff)], start=today, nights=6)
    book(receptionist, guests=[(patients[1], suite, tariff)], start=today + timedelta(days=4), nights=2)
    line = booking.lines.get()
    with pytest.raises(NoLongerAvailable, match="Room A-301"):
        changes.change_mid_stay(by=receptionist, line=line, from_date=today + timedelta(days=2), room=suite)
    assert booking.lines.count() == 1 and booking.lines.get().end_date == today + timedelta(days=6)
    new = changes.change_mid_stay(by=receptionist, line=line, from_date=today + timedelta(days=2),
                                  room=make_room("302", beds=1, type_name="Suite"))
    assert new.room.name == "302"
    assert GuestLine.objects.filter(room=room, holds_place=True).get().end_date == today + timedelta(days=2)
    event = AuditEvent.objects.get(action="booking.mid_stay_change")
    assert event.changes["room"] == [room.pk, new.room_id] and event.changes["from_date"][1] == str(
        today + timedelta(days=2))


def test_the_split_day_must_fall_inside_the_period_and_not_in_the_past(receptionist, room, tariff, premium, patients,
                                                                        today, clock):
    booking = book(receptionist, guests=[(patients[0], room, tariff)], start=today, nights=4)
    line = booking.lines.get()
    for split, message in ((0, "Choose a day after"), (4, "Choose a day after"), (6, "Choose a day after")):
        with pytest.raises(DomainError, match=message):
            changes.change_mid_stay(by=receptionist, line=line, from_date=today + timedelta(days=split),
                                    tariff=premium)
    with pytest.raises(DomainError, match="this one is the guest's now"):
        changes.change_mid_stay(by=receptionist, line=line, from_date=today + timedelta(days=1), tariff=tariff)
    clock.advance(days=3)
    with pytest.raises(DomainError, match="in the past"):
        changes.change_mid_stay(by=receptionist, line=line, from_date=today + timedelta(days=1), tariff=premium)
    closed = changes.change_mid_stay(by=receptionist, line=line, from_date=today + timedelta(days=3), tariff=premium)
    with pytest.raises(Conflict, match="closed"):
        changes.change_mid_stay(by=receptionist, line=line, from_date=today + timedelta(days=3), tariff=premium)
    assert closed.nights == 1 and booking.lines.count() == 2


def test_included_sessions_carry_over_to_the_new_tariff(receptionist, doctor, nurse, room, patients, today, clock):
    massage, pool = make_service("Massage", "80000"), make_service("Pool", "30000")
    before = tariff_with_sessions("Before", sessions={massage: 3, pool: 2})
    after = tariff_with_sessions("After", sessions={massage: 4})
    stay = checked_in(receptionist, doctor, guests=[(patients[0], room, before)], start=today, nights=6)
    for service in (massage, massage, pool):
        sessions.record_session(by=nurse, booking=stay, patient=patients[0], service=service)
    clock.advance(days=2)
    changes.change_mid_stay(by=receptionist, line=stay.lines.get(), from_date=today + timedelta(days=2),
                            tariff=after)
    board = {row.service.name: (row.included, row.used, row.remaining) for row in sessions.session_board(stay)}
    assert board == {"Massage": (4, 2, 2), "Pool": (1, 1, 0)}
    usage = sessions.record_session(by=nurse, booking=stay, patient=patients[0], service=pool)
    assert usage.billable and usage.line.tariff == after


def test_the_bill_follows_a_mid_stay_change(receptionist, doctor, room, tariff, premium, patients, today):
    stay = checked_in(receptionist, doctor, guests=[(patients[0], room, tariff)], start=today, nights=4)
    changes.change_mid_stay(by=receptionist, line=stay.lines.get(), from_date=today + timedelta(days=1),
                            tariff=premium)
    tariff_lines = sorted(stay.bills.get().items.filter(kind="tariff").values_list("quantity", "unit_price"))
    assert tariff_lines == [(Decimal("1.00"), Decimal("350000.00")), (Decimal("3.00"), Decimal("500000.00"))]
    bill = stay.bills.get()
    assert bill.items_total == Decimal("1850000.00")


def test_dates_cannot_cut_away_a_changed_period_and_check_out_keeps_both(receptionist, doctor, room, tariff,
                                                                         premium, patients, today, clock):
    stay = checked_in(receptionist, doctor, guests=[(patients[0], room, tariff)], start=today, nights=4)
    changes.change_mid_stay(by=receptionist, line=stay.lines.get(), from_date=today + timedelta(days=3),
                            tariff=premium)
    with pytest.raises(DomainError, match="cut that period away"):
        services.change_dates(by=receptionist, booking=stay, start_date=today, end_date=today + timedelta(days=3))
    clock.advance(days=4)
    checkin.check_out(by=receptionist, booking=stay)
    assert stay.lines.filter(holds_place=True).count() == 2


def test_change_page_offers_free_places_and_changes(receptionist, client_as, room, suite, tariff, premium, patients,
                                                    today):
    booking = book(receptionist, guests=[(patients[0], room, tariff)], start=today, nights=5)
    line = booking.lines.get()
    client = client_as(receptionist)
    assert reverse("stays:mid_stay_change", args=[booking.pk, line.pk]) in client.get(
        booking.get_absolute_url()).content.decode()
    url = reverse("stays:mid_stay_change", args=[booking.pk, line.pk])
    page = client.get(url).content.decode()
    assert "A-301" in page and "Premium" in page
    refused = client.post(url, {"from_date": str(today + timedelta(days=5)), "place": f"r{suite.pk}",
                                "tariff": premium.pk})
    assert "Choose a day after" in refused.content.decode()
    response = client.post(url, {"from_date": str(today + timedelta(days=2)), "place": f"r{suite.pk}",
                                 "tariff": premium.pk, "reason": "Asked for a suite"}, follow=True)
    html = response.content.decode()
    assert "has the new room or tariff" in html and "Room or tariff changed from a day" in html
    assert booking.lines.filter(is_open=True).get().room == suite


def test_api_changes_from_a_day(receptionist, api_as, nurse, room, tariff, premium, patients, today):
    booking = book(receptionist, guests=[(patients[0], room, tariff)], start=today, nights=3)
    line = booking.lines.get()
    url = reverse("booking-guest-change", args=[booking.pk, line.pk])
    assert api_as(nurse).post(url, {"from_date": str(today + timedelta(days=1))}, format="json").status_code == 403
    response = api_as(receptionist).post(url, {"from_date": str(today + timedelta(days=1)), "tariff": premium.pk},
                                         format="json")
    assert response.status_code == 201
    assert (response.json()["tariff_name"], response.json()["nights"], response.json()["price_per_day"]) == (
        "Premium", 2, "500000.00")
