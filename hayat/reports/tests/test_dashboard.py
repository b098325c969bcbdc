"""The dashboard's figures on a day of the small world of world.py (`build_day`), checked by hand, who sees which card,
and the same few queries for every role on a small and on a grown hospital."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hayat.accounts.tests.factories import UserFactory
from hayat.core.policy import roles_for
from hayat.core.roles import Role
from hayat.reports import cells, dashboard
from hayat.reports.registry import PERCENT
from hayat.reports.tests import world
from hayat.reports.tests.test_query_counts import grow

pytestmark = pytest.mark.django_db

TODAY = world.TODAY


@pytest.fixture
def today(clock):
    return world.build_day(clock).teller


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
    # Ann paid 100 000 on 11 Nov and got 30 000 back on 12 Nov; Eve paid 50 000 on 20 Oct
    assert months.this_month["net"] == Decimal("70000")
    assert months.same_days_last_month["net"] == months.last_month["net"] == Decimal("50000")
    assert months.change == 40.0
    # Eve's two nights in Lux in October were charged when she booked, on 20 Oct
    assert months.last_month["charged"] == Decimal("1000000")
    assert [row[0] for row in months.table.rows] == ["This month so far", "Same days of last month",
                                                     "All of last month"]


def test_money_owed_and_overdue(today):
    owed = dashboard.money_owed(TODAY)
    # Ann owes 600 000 − 70 000 (due 13 Nov), Eve 1 000 000 − 50 000 (due 27 Oct): both within thirty days
    assert owed["overdue_bills"] == 0 and owed["overdue"] == Decimal("0")
    assert owed["owed"] >= Decimal("530000") + Decimal("950000")


def test_each_person_sees_the_queues_they_work(today):
    admin, coder = UserFactory(role=Role.ADMIN), UserFactory(role=Role.CODER)
    desk, nurse = UserFactory(role=Role.RECEPTIONIST), UserFactory(role=Role.NURSE)

    def counts(user):
        return {queue["url_name"] + ":" + str(queue["label"]): queue["count"] for queue in dashboard.queues_for(user)}

    assert counts(admin) == {"stays:waitlist:On the waiting list": 1}  # refunds to approve have their own card
    assert counts(desk) == {"stays:waitlist:On the waiting list": 1}
    assert counts(coder) == {"clinical:episode_list:Inpatients waiting for a bed": 1}  # Kim
    assert counts(today) == {"billing:refund_list:Refunds you asked for, awaiting approval": 1,
                             "clinical:episode_list:Inpatients waiting for a bed": 1}
    assert counts(nurse) == {}


def test_the_queues_card_opens_to_exactly_the_roles_that_work_a_queue():
    working = set().union(*(roles_for(queue.capability) for queue in dashboard.QUEUES))
    assert roles_for("dashboard.queues") == working


# Admin's dashboard, the largest, reads 31 queries on the day of the world (the session and the user included), 35 on
# PostgreSQL with the messages' card and the planner's estimates of counts (ADR 0009).
MOST_QUERIES = 35
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
    world.build_day(clock)
    client = client_as(UserFactory(role=role))
    response, small = dashboard_page(client)
    cards = {template for template in CARDS if f'data-panel="{template}"' in response.content.decode()}
    assert cards == SEEN[role]
    grow(clock)
    clock.set(world.at(21, 9))
    _response, grown = dashboard_page(client)
    assert grown == small <= MOST_QUERIES


def test_the_charts_are_drawn_on_the_server_with_their_numbers_in_a_table(today, client_as):
    page = client_as(UserFactory(role=Role.ADMIN)).get(reverse("web:dashboard")).content.decode()
    outlook = page[page.index('id="panel-outlook"'):]
    assert "<svg" in outlook and "<table" in outlook
    assert f"<td>{cells.for_reader(57.1, PERCENT)}</td>" in outlook
