"""The calendar: rooms × days with bars in lanes, and moves by drag and drop through the booking service."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from hayat.accounts.models import Department
from hayat.core.errors import DomainError
from hayat.facilities.models import Maintenance, MaintenanceKind, Room, Ward
from hayat.stays import changes, services
from hayat.stays.calendar import ROOMS_PER_PAGE, calendar
from hayat.stays.models import BookingStatus
from hayat.stays.tests.factories import PatientFactory, book, building, make_room, make_tariff

pytestmark = pytest.mark.django_db


def test_bookings_sharing_a_room_get_separate_lanes_and_bars_are_clipped(receptionist, room, tariff, patients,
                                                                          today, clock):
    first = book(receptionist, guests=[(patients[0], room, tariff)], start=today, nights=5)
    second = book(receptionist, guests=[(patients[1], room, tariff)], start=today + timedelta(days=2), nights=3)
    clock.advance(days=3)
    grid = calendar(start=today + timedelta(days=3), days=7, room_type=None, today=today + timedelta(days=3))
    row = next(row for group in grid.groups for row in group.rows if row.room == room)
    bars = {bar.label: bar for bar in row.bars}
    assert row.lanes == 2
    assert bars[first.number].starts_before and bars[first.number].first_column == 1
    assert bars[first.number].columns == 2 and bars[second.number].lane != bars[first.number].lane


def test_maintenance_shows_as_its_own_bar(receptionist, room, today):
    start = timezone.make_aware(timezone.datetime(2026, 11, 23, 9, 0))
    Maintenance.objects.create(room=room, kind=MaintenanceKind.REPAIR, start=start, end=start + timedelta(days=1))
    grid = calendar(start=today, days=7, room_type=None, today=today)
    bar = next(bar for group in grid.groups for row in group.rows for bar in row.bars)
    assert bar.is_maintenance and bar.first_column == 3 and bar.columns == 2


def test_the_page_costs_the_same_queries_for_few_or_many_rooms(client_as, receptionist, tariff, today,
                                                             django_assert_max_num_queries):
    client = client_as(receptionist)
    for count in (2, 12):
        for index in range(count):
            room = make_room(f"C{count}-{index}", beds=2)
            book(receptionist, guests=[(PatientFactory(), room, tariff)], start=today + timedelta(days=index % 5))
        with django_assert_max_num_queries(9):  # 8 to draw it, 1 to log the patients it shows
            response = client.get(reverse("stays:calendar"), {"days": 14})
        assert response.status_code == 200


def test_a_drop_moves_the_booking_and_a_refused_drop_says_why(client_as, receptionist, room, tariff, patients, today):
    booking = book(receptionist, guests=[(patients[0], room, tariff)], start=today + timedelta(days=1))
    single = make_room("102", beds=1)
    book(receptionist, guests=[(patients[1], single, tariff)], start=today + timedelta(days=8))
    client = client_as(receptionist)
    url = reverse("stays:booking_move", args=[booking.pk])
    moved = client.post(url, {"from_room": room.pk, "to_room": single.pk, "start_date": str(today + timedelta(days=2))})
    assert moved.status_code == 200 and moved.json()["start_date"] == str(today + timedelta(days=2))
    refused = client.post(url, {"from_room": single.pk, "to_room": single.pk,
                                "start_date": str(today + timedelta(days=6))})
    assert refused.status_code == 409 and "no longer available" in refused.json()["detail"]
    booking.refresh_from_db()
    assert booking.start_date == today + timedelta(days=2)
    assert client.post(url, {"from_room": "x"}).status_code == 400


def test_the_calendar_page_offers_dragging_only_to_managers(client_as, receptionist, nurse, room, tariff, patients,
                                                            today):
    book(receptionist, guests=[(patients[0], room, tariff)], start=today, status=BookingStatus.PENDING)
    managing = client_as(receptionist).get(reverse("stays:calendar")).content.decode()
    assert 'draggable="true"' in managing and "data-move-url" in managing and "stays/calendar.js" in managing
    viewing = client_as(nurse).get(reverse("stays:calendar")).content.decode()
    assert 'draggable="true"' not in viewing and "data-move-url" not in viewing
    partial = client_as(nurse).get(reverse("stays:calendar"), {"start": "bad", "days": "99"},
                                   HTTP_HX_REQUEST="true", HTTP_HX_TARGET="calendar-grid")
    assert partial.status_code == 200 and b"<html" not in partial.content


def test_bars_take_the_colour_of_their_booking_status(client_as, receptionist, room, tariff, patients, today):
    pending = book(receptionist, guests=[(patients[0], room, tariff)], start=today, status=BookingStatus.PENDING)
    confirmed = book(receptionist, guests=[(patients[1], room, tariff)], start=today)
    page = client_as(receptionist).get(reverse("stays:calendar")).content.decode()

    def colour(booking) -> str:
        bar = re.search(rf'data-number="{booking.number}".*?</a>', page, re.S).group()
        return re.search(rf'class="badge (text-bg-\w+) status-badge" data-status="{booking.status}"', bar).group(1)

    assert colour(pending) != colour(confirmed)


@pytest.fixture
def split_stay(receptionist, room, tariff, patients, today):
    """Six nights from tomorrow, in room 101 for three nights and then in suite 301."""
    booking = book(receptionist, guests=[(patients[0], room, tariff)], start=today + timedelta(days=1), nights=6)
    changes.change_mid_stay(by=receptionist, line=booking.lines.get(), from_date=today + timedelta(days=4),
                            room=make_room("301", beds=1, type_name="Suite"))
    return booking


def periods(booking) -> list[tuple]:
    return list(booking.lines.order_by("start_date").values_list("room__name", "start_date", "end_date"))


def test_a_split_stay_shows_one_bar_per_room_each_starting_on_its_own_day(split_stay, today):
    grid = calendar(start=today, days=14, room_type=None, today=today)
    bars = sorted((row.room.name, bar.start, bar.end) for group in grid.groups for row in group.rows
                  for bar in row.bars)
    assert bars == [("101", today + timedelta(days=1), today + timedelta(days=4)),
                    ("301", today + timedelta(days=4), today + timedelta(days=7))]


def test_dropping_the_second_room_of_a_split_stay_straight_down_changes_only_that_room(split_stay, receptionist,
                                                                                        client_as, room, today):
    other_suite = make_room("302", beds=1, type_name="Suite")
    suite = split_stay.lines.get(room__name="301").room
    day = today + timedelta(days=4)
    response = client_as(receptionist).post(reverse("stays:booking_move", args=[split_stay.pk]), {
        "from_room": suite.pk, "to_room": other_suite.pk, "from_date": str(day), "start_date": str(day)})
    assert response.status_code == 200, response.json()
    split_stay.refresh_from_db()
    assert (split_stay.start_date, split_stay.end_date) == (today + timedelta(days=1), today + timedelta(days=7))
    assert periods(split_stay) == [("101", today + timedelta(days=1), day), ("302", day, today + timedelta(days=7))]


def test_part_of_a_split_stay_cannot_be_dragged_to_other_days(split_stay, receptionist, today):
    suite = split_stay.lines.get(room__name="301").room
    before = periods(split_stay)
    with pytest.raises(DomainError, match="only part of it"):
        services.move_booking(by=receptionist, booking=split_stay, from_room=suite, to_room=suite,
                              from_date=today + timedelta(days=4), start_date=today + timedelta(days=7))
    assert periods(split_stay) == before


def test_a_bar_covering_the_whole_stay_moves_the_stay_by_the_days_it_was_dragged(receptionist, room, tariff,
                                                                                  patients, today):
    booking = book(receptionist, guests=[(patients[0], room, tariff), (patients[1], make_room("102"), tariff)],
                   start=today + timedelta(days=1), nights=3)
    services.move_booking(by=receptionist, booking=booking, from_room=room, to_room=room,
                          from_date=today + timedelta(days=2), start_date=today + timedelta(days=4))
    booking.refresh_from_db()
    assert (booking.start_date, booking.end_date) == (today + timedelta(days=3), today + timedelta(days=6))
    assert periods(booking) == [("101", booking.start_date, booking.end_date),
                                ("102", booking.start_date, booking.end_date)]


def test_a_stay_split_by_a_tariff_change_in_one_room_moves_as_one_bar(receptionist, room, tariff, patients, today):
    booking = book(receptionist, guests=[(patients[0], room, tariff)], start=today + timedelta(days=1), nights=4)
    changes.change_mid_stay(by=receptionist, line=booking.lines.get(), from_date=today + timedelta(days=3),
                            tariff=make_tariff("Premium"))
    services.move_booking(by=receptionist, booking=booking, from_room=room, to_room=room,
                          from_date=today + timedelta(days=3), start_date=today + timedelta(days=5))
    assert periods(booking) == [("101", today + timedelta(days=3), today + timedelta(days=5)),
                                ("101", today + timedelta(days=5), today + timedelta(days=7))]


def shown(grid) -> list[str]:
    return [row.room.name for group in grid.groups for row in group.rows]


def test_a_ward_room_is_shown_only_while_a_booking_holds_it(receptionist, tariff, today):
    ward = Ward.objects.create(name="Surgical ward", building=building(),
                               department=Department.objects.create(name="Surgery", code="SURG"))
    empty, booked = make_room("W1"), make_room("W2")
    Room.objects.filter(pk__in=[empty.pk, booked.pk]).update(ward=ward)
    make_room("S1", type_name="Single")
    book(receptionist, guests=[(PatientFactory(), booked, tariff)], start=today + timedelta(days=3), nights=2)
    assert shown(calendar(start=today, days=7, today=today)) == ["S1", "W2"]
    assert shown(calendar(start=today + timedelta(days=10), days=7, today=today)) == ["S1"]


def test_the_calendar_shows_a_page_of_rooms_at_a_time(client_as, receptionist, today):
    for index in range(ROOMS_PER_PAGE + 3):
        make_room(f"{index:03d}")
    first, last = calendar(start=today, days=7, today=today), calendar(start=today, days=7, today=today, page=2)
    assert len(shown(first)) == ROOMS_PER_PAGE and shown(last) == ["040", "041", "042"]
    assert first.rooms.paginator.count == ROOMS_PER_PAGE + 3
    page = client_as(receptionist).get(reverse("stays:calendar"), {"page": 2, "days": 7}).content.decode()
    rooms = {room.name: room.pk for room in Room.objects.all()}
    assert f'data-room="{rooms["042"]}"' in page and f'data-room="{rooms["000"]}"' not in page
    assert "page=1" in page


def test_a_bar_links_its_booking_and_names_its_status_days_and_guests(client_as, receptionist, room, tariff, patients,
                                                                     today):
    booking = book(receptionist, guests=[(patients[0], room, tariff)], start=today + timedelta(days=1), nights=3,
                   status=BookingStatus.PENDING)
    page = client_as(receptionist).get(reverse("stays:calendar"), {"days": 14}).content.decode()
    bar = re.search(rf'<a class="cal-bar"[^>]*data-booking="{booking.pk}"[^>]*>', page).group(0)
    assert f'href="{booking.get_absolute_url()}"' in bar and f'data-number="{booking.number}"' in bar
    assert f'data-room="{room.pk}"' in bar and f'data-start="{booking.start_date.isoformat()}"' in bar
    assert 'data-status="pending"' in bar and 'draggable="true"' in bar and "grid-column: 3 / span 3" in bar
    assert f'title="{booking.number} · Pending · ' in bar and patients[0].full_name in bar


def test_a_guests_name_is_escaped_in_the_bars_title(client_as, receptionist, room, tariff, today):
    guest = PatientFactory(last_name='Qo"shiq <b>', first_name="O'g'il", middle_name="")
    book(receptionist, guests=[(guest, room, tariff)], start=today + timedelta(days=1), nights=2)
    page = client_as(receptionist).get(reverse("stays:calendar"), {"days": 14}).content.decode()
    title = re.search(r'<a class="cal-bar[^>]*title="([^"]*)"', page).group(1)
    assert "Qo&quot;shiq &lt;b&gt; O&#x27;g&#x27;il" in title and "<b>" not in page.split("cal-bar", 1)[1]
