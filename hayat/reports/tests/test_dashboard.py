"""The dashboard's figures on the small world of world.py and a day of it checked by hand, who sees which card,
and the same few queries for every role on a small and on a grown hospital."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hayat.accounts.tests.factories import UserFactory
from hayat.billing import payments
from hayat.billing.tests import factories as billing
from hayat.core.policy import roles_for
from hayat.core.roles import Role
from hayat.facilities.models import Room
from hayat.patients.tests.factories import PatientFactory
from hayat.reports import cells, dashboard
from hayat.reports.registry import PERCENT
from hayat.reports.tests import world
from hayat.reports.tests.test_query_counts import grow
from hayat.stays import waitlist
from hayat.stays.tests.factories import book, make_tariff
from hayat.stays.tests.stay_factories import checked_in

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 21)


def october(day: int, hour: int):
    return world.at(day, hour) - timedelta(days=31)


def build_today(clock):
    """world.py, then, on 21 November:

    - Jon booked on 20 Oct for 25–27 Oct in Lux 201 and paid 50 000 that day (last month's money);
    - Gus checked in on 18 Nov for three nights in 102: he leaves today;
    - Eve checked in today in 101 for three nights; Fay, booked in Lux 201 for two nights, arrives today;
    - on the ward 301: Ian admitted on 19 Nov into bed 1 and discharged today at 08:30, Hal admitted today at
      08:00 into bed 2, Kim documented for admission and waiting for coding and a bed;
    - Liv on the waiting list; the teller asks to give Ann 10 000 back.
    """
    built = world.build(clock)
    desk, doctor = UserFactory(role=Role.RECEPTIONIST), UserFactory(role=Role.DOCTOR)
    coder, teller = UserFactory(role=Role.CODER), UserFactory(role=Role.TELLER, user_id="dashboard-teller")
    rest = make_tariff("Rest again", prices={"Standard": "200000", "Lux": "500000"})
    rooms = {room.name: room for room in Room.objects.all()}
    patient = {name: PatientFactory(first_name=name) for name in ("Jon", "Gus", "Eve", "Fay", "Ian", "Hal", "Kim",
                                                                  "Liv")}
    first_bed, second_bed = rooms["301"].beds.order_by("number")

    clock.set(october(20, 10))
    jon = book(desk, guests=[(patient["Jon"], rooms["201"], rest)], start=date(2026, 10, 25), nights=2)
    payments.take_payment(by=teller, bill=billing.bill_of(jon), amount=Decimal("50000"))
    clock.set(world.at(18, 14))
    checked_in(desk, doctor, guests=[(patient["Gus"], rooms["102"], rest)], start=date(2026, 11, 18), nights=3)
    clock.set(world.at(19, 9))
    ian = billing.admit(patient["Ian"], first_bed, doctor=doctor, by=coder)
    clock.set(world.at(21, 8))
    billing.admit(patient["Hal"], second_bed, doctor=doctor, by=coder)
    clock.set(world.at(21, 8, 30))
    billing.discharge(ian, by=doctor)
    clock.set(world.at(21, 9))
    billing.ready_for_coding(patient["Kim"], doctor=doctor)
    checked_in(desk, doctor, guests=[(patient["Eve"], rooms["101"], rest)], start=TODAY, nights=3)
    book(desk, guests=[(patient["Fay"], rooms["201"], rest)], start=TODAY, nights=2)
    waitlist.add_entry(by=desk, data=waitlist.EntryData(patient=patient["Liv"], start_date=TODAY + timedelta(days=30),
                                                        end_date=TODAY + timedelta(days=37)))
    payments.request_refund(by=teller, bill=billing.bill_of(built.ann_booking), amount=Decimal("10000"),
                            reason="Overcharged for a night")
    return teller


@pytest.fixture
def today(clock):
    return build_today(clock)


def test_guests_arriving_leaving_and_in_the_house(today):
    # Eve (checked in) and Fay (expected) arrive; Gus leaves today and is in the house until he checks out
    assert dashboard.in_the_house(TODAY) == {"arriving": 2, "leaving": 1, "in_house": 2}


def test_inpatients_on_the_wards(today):
    # Hal is in care; Ian left at 08:30; Dan left on 13 Nov; Kim is not admitted yet
    assert dashboard.on_the_wards(TODAY) == {"inpatients": 1, "admitted_today": 1, "discharged_today": 1}


def test_occupancy_of_the_next_two_weeks(today):
    outlook = dashboard.occupancy_ahead(TODAY)
    days = {row[0]: row[1:] for row in outlook.table.rows}
    assert len(days) == 14 and min(days) == TODAY
    # 7 places; today Eve, Fay, Ian (until 08:30) and Hal; Gus's nights ended yesterday
    assert days[TODAY] == (7, 4, 57.1)
    assert days[TODAY + timedelta(days=1)] == (7, 3, 42.9)  # Eve, Fay, Hal
    assert days[TODAY + timedelta(days=2)] == (7, 2, 28.6)  # Eve, Hal
    assert days[TODAY + timedelta(days=3)] == (7, 1, 14.3)  # Hal, still in bed
    assert [bar["height"] > 0 for bar in outlook.chart.bars][:2] == [True, True]


def test_revenue_this_month_against_last(today):
    months = dashboard.revenue_by_month(TODAY)
    # Ann paid 100 000 on 11 Nov and got 30 000 back on 12 Nov; Jon paid 50 000 on 20 Oct
    assert months.this_month["net"] == Decimal("70000")
    assert months.same_days_last_month["net"] == months.last_month["net"] == Decimal("50000")
    assert months.change == 40.0
    # Jon's two nights in Lux were charged when he booked, on 20 Oct
    assert months.last_month["charged"] == Decimal("1000000")
    assert [row[0] for row in months.table.rows] == ["This month so far", "Same days of last month",
                                                     "All of last month"]


def test_money_owed_and_overdue(today):
    owed = dashboard.money_owed(TODAY)
    # Ann owes 600 000 − 70 000 (due 13 Nov), Jon 1 000 000 − 50 000 (due 27 Oct): both within thirty days
    assert owed["overdue_bills"] == 0 and owed["overdue"] == Decimal("0")
    assert owed["owed"] >= Decimal("530000") + Decimal("950000")


def test_each_person_sees_the_queues_they_work(today):
    admin, coder = UserFactory(role=Role.ADMIN), UserFactory(role=Role.CODER)
    desk, nurse = UserFactory(role=Role.RECEPTIONIST), UserFactory(role=Role.NURSE)

    def counts(user):
        return {queue["url_name"] + ":" + str(queue["label"]): queue["count"] for queue in dashboard.queues_for(user)}

    assert counts(admin) == {"stays:waitlist:On the waiting list": 1,
                             "billing:refund_list:Refunds awaiting approval": 1}
    assert counts(desk) == {"stays:waitlist:On the waiting list": 1}
    assert counts(coder) == {"clinical:episode_list:Inpatients waiting for a bed": 1}  # Kim
    assert counts(today) == {"billing:refund_list:Refunds you asked for, awaiting approval": 1,
                             "clinical:episode_list:Inpatients waiting for a bed": 1,
                             "billing:bill_list:Inpatients to ask for a top-up": 0}
    assert counts(nurse) == {}


def test_the_queues_card_opens_to_exactly_the_roles_that_work_a_queue():
    working = set().union(*(roles_for(queue.capability) for queue in dashboard.QUEUES))
    assert roles_for("dashboard.queues") == working


CARDS = {"reports/panels/house.html", "reports/panels/wards.html", "reports/panels/months.html",
         "reports/panels/owed.html", "reports/panels/outlook.html", "reports/panels/queues.html"}
SEEN = {
    Role.ADMIN: CARDS,
    Role.RECEPTIONIST: {"reports/panels/house.html", "reports/panels/outlook.html", "reports/panels/queues.html"},
    Role.DOCTOR: {"reports/panels/wards.html"},
    Role.NURSE: set(),
    Role.TELLER: {"reports/panels/months.html", "reports/panels/owed.html", "reports/panels/queues.html"},
    Role.CODER: {"reports/panels/queues.html"},
}


def dashboard_page(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("web:dashboard"))
    assert response.status_code == 200
    return response, len(queries)


@pytest.mark.parametrize("role", list(Role), ids=[role.value for role in Role])
def test_each_role_sees_its_cards_and_its_dashboard_costs_the_same_queries_when_the_hospital_grows(
        role, clock, client_as):
    build_today(clock)
    client = client_as(UserFactory(role=role))
    response, small = dashboard_page(client)
    cards = {template for template in CARDS if f'data-panel="{template}"' in response.content.decode()}
    assert cards == SEEN[role]
    grow(clock)
    clock.set(world.at(21, 9))
    _response, grown = dashboard_page(client)
    assert grown == small


def test_the_charts_are_drawn_on_the_server_with_their_numbers_in_a_table(today, client_as):
    page = client_as(UserFactory(role=Role.ADMIN)).get(reverse("web:dashboard")).content.decode()
    outlook = page[page.index('id="panel-outlook"'):]
    assert "<svg" in outlook and "<table" in outlook
    assert f"<td>{cells.for_reader(57.1, PERCENT)}</td>" in outlook
