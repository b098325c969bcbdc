"""An inpatient whose running bill passes what was paid and deposited is flagged for a top-up in time."""

from decimal import Decimal

from django.urls import reverse

from hayat.billing import jobs, payments, selectors
from hayat.billing.tests import factories


def test_the_running_bill_against_the_deposit_and_the_margin(bill, teller, clock, settings):
    clock.advance(hours=4, minutes=30)  # five started hours at 10 000
    assert selectors.top_up_for(bill) == Decimal("50000.00")
    settings.HAYAT_TOP_UP_MARGIN = "60000"
    assert selectors.top_up_for(bill) is None
    settings.HAYAT_TOP_UP_MARGIN = "0"
    payments.take_deposit(by=teller, patient=bill.patient, amount="50000")
    assert selectors.top_up_for(bill) is None
    clock.advance(hours=1)
    assert selectors.top_up_for(bill) == Decimal("10000.00")


def test_the_episode_page_the_queue_and_the_dashboard_flag_it(bill, admitted, teller, client_as, clock):
    clock.advance(hours=3)
    jobs.accrue_bed_time()
    client = client_as(teller)
    episode_page = client.get(admitted.get_absolute_url()).content.decode()
    assert 'id="top-up-due"' in episode_page and "30\u202f000.00" in episode_page
    queue = client.get(reverse("billing:bill_list")).content.decode()
    assert "data-top-up" in queue
    assert [row.pk for row in selectors.top_ups_due()] == [bill.pk]
    dashboard = client.get("/").content.decode()
    assert 'id="top-up-panel"' in dashboard and bill.number in dashboard
    payments.take_deposit(by=teller, patient=bill.patient, amount="30000")
    assert "data-top-up" not in client.get(reverse("billing:bill_list")).content.decode()
    assert not selectors.top_ups_due().exists()


def test_top_ups_are_found_in_one_query_however_many_inpatients(teller, clock, django_assert_max_num_queries):
    factories.admitted_in_bulk(3, by=teller, started_at=clock.now(), prefix="T")
    clock.advance(hours=2)
    jobs.accrue_bed_time()
    with django_assert_max_num_queries(1):
        few = list(selectors.top_ups_due())
    factories.admitted_in_bulk(12, by=teller, started_at=clock.now(), prefix="U")
    clock.advance(hours=2)
    jobs.accrue_bed_time()
    with django_assert_max_num_queries(1):
        many = list(selectors.top_ups_due())
    assert (len(few), len(many)) == (3, 15)


def test_the_inpatients_board_flags_the_patient_for_the_ward_without_the_money(bill, admitted, nurse, teller,
                                                                               client_as, clock):
    clock.advance(hours=3)
    jobs.accrue_bed_time()
    board = client_as(nurse).get("/").content.decode()
    assert 'id="top-ups-due"' in board and f'data-top-up="{admitted.pk}"' in board
    assert "30\u202f000.00" not in board, "the ward sees the flag, not the money"
    payments.take_deposit(by=teller, patient=bill.patient, amount="30000")
    assert 'id="top-ups-due"' not in client_as(nurse).get("/").content.decode()


def test_the_inpatient_list_with_its_beds_flags_the_patient_too(bill, admitted, nurse, teller, client_as, clock):
    clock.advance(hours=3)
    jobs.accrue_bed_time()
    url = reverse("clinical:episode_list")
    beds = client_as(nurse).get(url, {"status": "admitted"}).content.decode()
    assert f'data-top-up="{admitted.pk}"' in beds and "30\u202f000.00" not in beds
    assert "30\u202f000.00" in client_as(teller).get(url, {"status": "admitted"}).content.decode()
    payments.take_deposit(by=teller, patient=bill.patient, amount="30000")
    assert 'id="top-ups-due"' not in client_as(nurse).get(url, {"status": "admitted"}).content.decode()
