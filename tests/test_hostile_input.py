"""Every GET page and GET API of the project survives hostile query strings: no server error, ever.

Each route the permission matrix knows is opened, as Admin and as another role that may see it, with every
filter parameter name used in the project set to each hostile value at once. Then, as one of them, each
id-like and date-like parameter the route really reads is sent alone with the values that break careless
parsing: a form that refuses one bad field may never look at the others, so alone each one gets its turn.
Which parameters a route reads is recorded from its own `request.GET` lookups, so the test stays fast.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import pytest
from django.db import transaction
from django.http import QueryDict

from hayat.core.policy import SIGNED_IN, roles_for
from hayat.core.roles import Role
from tests.routes import Route, RouteData, module_route_data, project_routes, send, url_of

pytestmark = pytest.mark.django_db

# Every filter parameter name used in the project's views, forms, filter sets and paginators.
ID_LIKE = {
    "patient", "room", "room_type", "region", "district", "ward", "bed", "booking", "episode", "test_type",
    "teller", "physician", "department", "building", "floor", "service_type", "tariff", "specialisation",
    "amenity", "other", "exclude", "page", "page_size", "days", "age_min", "age_max", "limit", "guests",
}
DATE_LIKE = {
    "start", "end", "since", "until", "date", "date_from", "date_to", "registered_from", "registered_to",
    "last_visit_from", "last_visit_to", "from", "to", "start_date", "end_date", "from_date",
}
OTHER = {
    "status", "source", "kind", "q", "search", "ordering", "role", "active", "is_active", "gender", "show",
    "log", "view", "state", "active_stay", "picker", "receipt", "download", "edit", "billable", "blank",
    "country", "patient_search", "action", "reason",
}
ALL_NAMES = sorted(ID_LIKE | DATE_LIKE | OTHER)
HOSTILE_VALUES = ["²", "99999999999999999999999", "-1", "9999-12-31", "0001-01-01", "abc", ""]
HOSTILE_IDS = ["²", "99999999999999999999999", "-1", "abc"]
HOSTILE_DATES = ["9999-12-31", "0001-01-01", "abc", "²"]
# What a person would type, so that a view reads every parameter it knows while the recording runs.
ORDINARY = {name: "1" for name in ID_LIKE} | {name: "2026-11-21" for name in DATE_LIKE} | {name: "a" for name in OTHER}
RENDERS = {200, 302, 400, 404}

# The OpenAPI schema and its docs page read no filter parameter (only `format` and `lang`), and generating the
# schema takes as long as a hundred list pages.
DOCUMENTATION = {"api-schema", "api-docs"}


def is_page_or_list(route: Route) -> bool:
    """Web pages that answer GET, and API routes that list or search (no parameters in their path)."""
    if "GET" not in route.methods or route.is_public or route.name in DOCUMENTATION:
        return False
    return not route.is_api or not route.has_parameters


GET_ROUTES = [route for route in project_routes() if is_page_or_list(route)]


@pytest.fixture(scope="module")
def route_data(django_db_setup, django_db_blocker) -> Iterator[RouteData]:
    yield from module_route_data(django_db_blocker, raise_request_exception=False)


def roles_that_see(route: Route) -> list[Role]:
    """Admin when the policy lets Admin in, and the first other role it lets in."""
    capability = route.capability("GET")
    allowed = list(Role) if capability == SIGNED_IN else [role for role in Role if role in roles_for(capability)]
    others = [role for role in allowed if role != Role.ADMIN]
    return ([Role.ADMIN] if Role.ADMIN in allowed else []) + others[:1]


@contextmanager
def recorded_query_reads(monkeypatch) -> Iterator[set[str]]:
    """The names a view looks up in a query string (request.GET, DRF's query_params, forms bound to them)."""
    read: set[str] = set()

    def recording(method_name: str):
        original = getattr(QueryDict, method_name)

        def record(self, key, *args, **kwargs):
            read.add(key)
            return original(self, key, *args, **kwargs)

        return record

    with monkeypatch.context() as patch:
        # Not __contains__: the QueryDict asks it about every key while it parses the query string.
        for method_name in ("get", "getlist", "__getitem__"):
            patch.setattr(QueryDict, method_name, recording(method_name))
        yield read


def hostile_alone(name: str) -> list[str]:
    return HOSTILE_IDS if name in ID_LIKE else HOSTILE_DATES


@pytest.mark.parametrize("route", GET_ROUTES, ids=[route.name for route in GET_ROUTES])
def test_hostile_query_strings_never_break_a_page(route: Route, route_data, monkeypatch):
    url = url_of(route, route_data.samples)
    roles = roles_that_see(route)
    broken: list[str] = []

    def check(role: Role, query: dict[str, str], label: str) -> None:
        status = send(route_data.clients[role], "GET", url, query).status_code
        if status not in RENDERS:
            broken.append(f"{role} GET {url} {label}: {status}")

    for role in roles:
        for value in HOSTILE_VALUES:
            check(role, dict.fromkeys(ALL_NAMES, value), f"with every parameter = {value!r}")

    alone_as = roles[-1]
    with recorded_query_reads(monkeypatch) as read:
        send(route_data.clients[alone_as], "GET", url, ORDINARY)
    for name in sorted(read & (ID_LIKE | DATE_LIKE)):
        for value in hostile_alone(name):
            check(alone_as, {name: value}, f"?{name}={value}")

    assert broken == [], "\n".join(broken)


# --- hostile bodies on every write endpoint ---------------------------------------------------------------

WRITES = [(route, method) for route in project_routes() if not route.is_public
          for method in route.methods if method in {"POST", "PUT", "PATCH"}]
API_WRITES = [(route, method) for route, method in WRITES if route.is_api]
NESTED_1000 = "[" * 1000 + "]" * 1000
SMALL_LIMIT = 2048


def role_for(route: Route, method: str) -> Role:
    """Admin when the policy lets Admin in, else the first role it lets in."""
    capability = route.capability(method)
    allowed = list(Role) if capability == SIGNED_IN else [role for role in Role if role in roles_for(capability)]
    return Role.ADMIN if Role.ADMIN in allowed else allowed[0]


def send_body(client, method: str, url: str, body: str, content_type: str):
    """Like routes.send, with a body: in a savepoint rolled back afterwards, the client's cookies put back."""
    cookies = SimpleCookie(client.cookies)
    with transaction.atomic():
        response = client.generic(method, url, body, content_type=content_type)
        transaction.set_rollback(True)
    client.cookies = cookies
    return response


def test_json_nested_1000_deep_is_refused_with_400_on_every_api_write(route_data):
    refused, broken = 0, []
    for route, method in API_WRITES:
        url = url_of(route, route_data.samples)
        response = send_body(route_data.clients[role_for(route, method)], method, url, NESTED_1000, "application/json")
        if response.status_code >= 500:
            broken.append(f"{method} {url}: {response.status_code}")
        refused += response.status_code == 400 and "nested more than" in response.json()["detail"]
    assert broken == [], "\n".join(broken)
    assert refused > len(API_WRITES) // 2  # the others refuse before they read the body (phase, permission)


@pytest.mark.parametrize("body", ["[null, null]", "null", "42", '"text"'])
def test_a_json_body_that_is_not_an_object_never_breaks_an_api_write(route_data, body):
    broken = []
    for route, method in API_WRITES:
        url = url_of(route, route_data.samples)
        response = send_body(route_data.clients[role_for(route, method)], method, url, body, "application/json")
        if response.status_code >= 500:
            broken.append(f"{method} {url}: {response.status_code}")
    assert broken == [], "\n".join(broken)


def test_a_body_over_the_limit_is_refused_with_413_naming_it_on_every_write(route_data, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = SMALL_LIMIT
    body = "note=" + "x" * (SMALL_LIMIT * 2)
    refused, broken = 0, []
    for route, method in WRITES:
        url = url_of(route, route_data.samples)
        response = send_body(route_data.clients[role_for(route, method)], method, url, body,
                             "application/x-www-form-urlencoded")
        if response.status_code == 413:
            refused += 1
            message = response.json()["detail"] if route.is_api else response.content.decode()
            if "2.0\xa0KB" not in message:
                broken.append(f"{method} {url}: 413 without the limit")
        elif response.status_code == 500 or is_bare_bad_request(route, response):
            broken.append(f"{method} {url}: {response.status_code}")
    assert broken == [], "\n".join(broken)
    assert refused > len(WRITES) // 2


def is_bare_bad_request(route: Route, response) -> bool:
    """Django's own answer to a body too large: 400 "could not be understood" (a use case's 400 says more)."""
    if response.status_code != 400:
        return False
    return not route.is_api or response.json().get("code") == "bad_request"


def test_a_required_yes_or_no_is_required_not_read_as_no(route_data):
    admin, nurse = route_data.clients[Role.ADMIN], route_data.personas[Role.NURSE]
    url = f"/api/users/{nurse.pk}/set-active/"
    for body, content_type in (("", "application/x-www-form-urlencoded"), ("{}", "application/json")):
        response = send_body(admin, "POST", url, body, content_type)
        assert response.status_code == 400 and "active" in response.json()["errors"]
    nurse.refresh_from_db()
    assert nurse.is_active


# --- text and money as typed ------------------------------------------------------------------------------


def subclasses(base: type) -> set[type]:
    found = set()
    for cls in base.__subclasses__():
        found |= {cls} | subclasses(cls)
    return found


def text_fields() -> Iterator[tuple[str, object, bool]]:
    """(where, field, multi-line?) of every text field of every Hayat form and serializer (all are imported by
    the URL configuration the route walk loaded)."""
    from django import forms
    from rest_framework import serializers

    for form in subclasses(forms.BaseForm):
        for name, field in getattr(form, "base_fields", {}).items():
            if form.__module__.startswith("hayat.") and isinstance(field, forms.CharField):
                yield f"{form.__module__}.{form.__name__}.{name}", field, isinstance(field.widget, forms.Textarea)
    for serializer in subclasses(serializers.Serializer):
        for name, field in getattr(serializer, "_declared_fields", {}).items():
            if serializer.__module__.startswith("hayat.") and isinstance(field, serializers.CharField):
                yield f"{serializer.__module__}.{serializer.__name__}.{name}", field, field.max_length is None


def test_every_text_field_of_every_form_and_serializer_refuses_control_characters():
    from hayat.core.text import PlainTextValidator

    found = list(text_fields())
    assert len(found) > 100
    unguarded = [where for where, field, multi_line in found
                 if PlainTextValidator(multi_line=multi_line) not in field.validators]
    assert unguarded == []


@pytest.mark.parametrize("text", ["Ali\x07", "Ali\x1b[31m", "\u202eilA", "Ali\x00"])
def test_control_characters_in_a_name_are_refused_with_a_clear_message(route_data, text):
    from hayat.patients.models import Patient

    body = {"first_name": text, "last_name": "Controlova", "birth_date": "1980-01-02", "gender": "female"}
    response = send_body(route_data.clients[Role.RECEPTIONIST], "POST", "/api/patients/", json.dumps(body),
                         "application/json")
    assert response.status_code == 400 and "first_name" in response.json()["errors"]
    assert "control character" in str(response.json()["errors"]["first_name"]) or text.endswith("\x00")
    assert not Patient.objects.filter(last_name="Controlova").exists()


@pytest.mark.parametrize("amount", ["١٠٠", "１００", "1_000", "1.000.50", "1e3"])
def test_money_is_plain_ascii_digits_with_one_decimal_point(route_data, amount):
    from hayat.billing.models import Payment

    bill = route_data.samples["billing:take_payment"]["pk"]
    teller, payments_before = route_data.clients[Role.TELLER], Payment.objects.count()
    api = send_body(teller, "POST", "/api/payments/", json.dumps({"bill": bill, "amount": amount}),
                    "application/json")
    assert api.status_code == 400 and "amount" in api.json()["errors"]
    page = send_body(teller, "POST", f"/billing/bills/{bill}/pay/", urlencode({"amount": amount, "method": "cash"}),
                     "application/x-www-form-urlencoded")
    assert page.status_code == 200 and "Enter an amount of money" in page.content.decode()
    assert Payment.objects.count() == payments_before
