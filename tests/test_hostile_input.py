"""Every GET page and GET API of the project survives hostile query strings: no server error, ever.

Each route the permission matrix knows is opened, as Admin and as another role that may see it, with every
filter parameter name used in the project set to each hostile value at once. Then, as one of them, each
id-like and date-like parameter the route really reads is sent alone with the values that break careless
parsing: a form that refuses one bad field may never look at the others, so alone each one gets its turn.
Which parameters a route reads is recorded from its own `request.GET` lookups, so the test stays fast.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
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
