"""Through the real web server (waitress, several threads) on this engine's test database: the same payment
sent twice, at once or one after the other, from the page or the API, is taken once and both answers agree."""

from __future__ import annotations

import http.cookiejar
import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse

from hayat.accounts.tests.factories import TEST_PASSWORD
from hayat.billing.models import Payment
from hayat.billing.tests.conftest import *  # noqa: F403 - the ward, the admission and its bill
from hayat.billing.tests.test_api import priced
from hayat.core.tests.concurrency import run_in_parallel
from tests.processes import free_port, private_environment, start, stop

pytestmark = pytest.mark.django_db(transaction=True)
DUPLICATES = 4


def database_url() -> str:
    """The URL of the database this test runs on, for the server process to share it."""
    config = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{config['NAME']}"
    scheme = "postgres" if connection.vendor == "postgresql" else "mysql"
    password = f":{urllib.parse.quote(config['PASSWORD'])}" if config["PASSWORD"] else ""
    return f"{scheme}://{config['USER']}{password}@{config['HOST']}:{config['PORT']}/{config['NAME']}"


@pytest.fixture
def server(tmp_path):
    # The test settings: the same fast password hashing the test users were made with.
    env = {**private_environment(tmp_path, DATABASE_URL=database_url()), "DJANGO_SETTINGS_MODULE": "tests.settings"}
    port = free_port()
    process = start(env, "-m", "waitress", f"--listen=127.0.0.1:{port}", "--threads=8", "hayat.wsgi:application",
                    log=tmp_path / "server.log")
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"{base}/login/", timeout=5)  # noqa: S310 - loopback only
            break
        except OSError:
            assert process.poll() is None and time.monotonic() < deadline, (tmp_path / "server.log").read_text()
            time.sleep(0.3)
    yield base
    stop(process)


class Browser:
    """A signed-in session with its cookies, posting forms like a browser would; redirects are not followed."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    def __init__(self, base: str, user_id: str):
        self.base, self.jar = base, http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), self.NoRedirect)
        page = self.get("/login/")
        self.post("/login/", {"username": user_id, "password": TEST_PASSWORD, **hidden_fields(page)})

    def get(self, path: str) -> str:
        return self.opener.open(self.base + path, timeout=30).read().decode()

    def post(self, path: str, fields: dict) -> tuple[int, str]:
        request = urllib.request.Request(self.base + path, data=urllib.parse.urlencode(fields).encode(),  # noqa: S310
                                         headers={"Referer": self.base + path})
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.headers.get("Location", "")
        except urllib.error.HTTPError as answer:
            return answer.code, answer.headers.get("Location", "")


def hidden_fields(html: str) -> dict:
    return dict(re.findall(r'<input type="hidden" name="(csrfmiddlewaretoken|idempotency_key)" value="([^"]+)"', html))


def pay_path(bill) -> str:
    return reverse("billing:take_payment", args=[bill.pk])


def api_token(base: str, user_id: str) -> str:
    body = json.dumps({"user_id": user_id, "password": TEST_PASSWORD}).encode()
    request = urllib.request.Request(f"{base}/api/auth/token/", data=body,  # noqa: S310 - loopback only
                                     headers={"Content-Type": "application/json"})
    return json.load(urllib.request.urlopen(request, timeout=30))["access"]  # noqa: S310 - loopback only


def api_pay(base: str, token: str, bill, key: str) -> tuple[int, dict]:
    body = json.dumps({"bill": bill.pk, "amount": "1000"}).encode()
    request = urllib.request.Request(f"{base}/api/payments/", data=body, headers={  # noqa: S310 - loopback only
        "Content-Type": "application/json", "Authorization": f"Bearer {token}", "Idempotency-Key": key})
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - loopback only
        return response.status, json.load(response)


def test_a_payment_form_sent_twice_at_once_and_again_later_is_taken_once(server, bill, teller):
    priced(bill, teller)
    browser = Browser(server, teller.user_id)
    form = {**hidden_fields(browser.get(pay_path(bill))), "amount": "1000", "method": "cash"}
    answers = run_in_parallel(lambda _index: browser.post(pay_path(bill), form), DUPLICATES)
    answers.append(browser.post(pay_path(bill), form))
    assert {status for status, _location in answers} == {302}
    assert len({location for _status, location in answers}) == 1
    assert list(Payment.objects.values_list("amount", flat=True)) == [Decimal("1000.00")]


def test_an_api_payment_sent_twice_at_once_and_again_later_is_taken_once(server, bill, teller):
    priced(bill, teller)
    token = api_token(server, teller.user_id)
    answers = run_in_parallel(lambda _index: api_pay(server, token, bill, "retry-1"), DUPLICATES)
    answers.append(api_pay(server, token, bill, "retry-1"))
    assert {status for status, _body in answers} == {201}
    assert len({json.dumps(body) for _status, body in answers}) == 1
    assert Payment.objects.count() == 1
    assert api_pay(server, token, bill, "another")[0] == 201 and Payment.objects.count() == 2
