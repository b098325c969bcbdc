"""The same payment sent twice (a double click, a retry after a timeout) is taken once, on the page and the API.

The real-server version of these rules, with parallel duplicates on every engine, is tests/test_idempotent_server.py.
"""

import re

import pytest
from django.urls import reverse

from hayat.billing.models import Payment
from hayat.billing.tests.conftest import *  # noqa: F403 - the ward, the admission and its bill
from hayat.billing.tests.test_api import priced
from hayat.core.models import IdempotencyRecord
from hayat.core.tests.concurrency import run_in_parallel


def pay(api, bill, key, amount="40000"):
    return api.post(reverse("payment-list"), {"bill": bill.pk, "amount": amount}, format="json",
                    HTTP_IDEMPOTENCY_KEY=key)


def test_it_answers_a_repeated_api_payment_with_the_first_receipt(api_as, bill, teller):
    priced(bill, teller)
    api = api_as(teller)
    first, second = pay(api, bill, "k-1"), pay(api, bill, "k-1")
    assert first.status_code == second.status_code == 201
    assert second.json() == first.json() and second["Idempotent-Replayed"] == "true"
    assert Payment.objects.count() == 1
    assert pay(api, bill, "k-2").status_code == 201 and Payment.objects.count() == 2


def test_it_refuses_a_key_reused_for_another_payment(api_as, bill, teller):
    priced(bill, teller)
    api = api_as(teller)
    pay(api, bill, "k-1")
    reused = pay(api, bill, "k-1", amount="1000")
    assert reused.status_code == 422 and reused.json()["code"] == "idempotency_key_reused"
    assert Payment.objects.count() == 1


def test_a_refused_payment_keeps_no_key_so_the_corrected_one_goes_through(api_as, bill, teller):
    priced(bill, teller, "1000")
    api = api_as(teller)
    assert pay(api, bill, "k-1", amount="5000").status_code == 400
    assert not IdempotencyRecord.objects.exists()
    api.post(reverse("payment-list"), {"bill": bill.pk, "amount": "1000"}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert Payment.objects.count() == 1


def test_keys_belong_to_their_user(api_as, bill, teller, make_user):
    priced(bill, teller)
    other_teller = make_user("teller", user_id="teller2")
    assert pay(api_as(teller), bill, "same", amount="100").status_code == 201
    assert pay(api_as(other_teller), bill, "same", amount="100").status_code == 201
    assert Payment.objects.count() == 2


def test_it_takes_a_payment_form_posted_twice_once(bill, teller, client_as):
    priced(bill, teller)
    client = client_as(teller)
    url = reverse("billing:take_payment", args=[bill.pk])
    token = re.search(r'name="idempotency_key" value="([^"]+)"', client.get(url).content.decode()).group(1)
    form = {"amount": "30000", "method": "cash", "idempotency_key": token}
    first, second = client.post(url, form), client.post(url, form)
    assert first.status_code == second.status_code == 302 and second["Location"] == first["Location"]
    assert Payment.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_parallel_duplicates_make_one_payment(api_as, bill, teller):
    priced(bill, teller)

    def send(_index):
        return pay(api_as(teller), bill, "double-click")

    answers = run_in_parallel(send, 4)
    assert [answer.status_code for answer in answers] == [201] * 4
    assert len({str(answer.json()) for answer in answers}) == 1
    assert Payment.objects.count() == 1
