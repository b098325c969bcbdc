"""Walks every route of the project with every method it accepts: anonymous users and each role get what
the policy says.

Every view must declare its capability for each method (web: `@require_capability`, API:
`capabilities = {...}`) or be one of the reviewed public routes below. A role without the capability gets
403 or 404; a role with it gets anything but 401/403/404 (an empty body may well be a 400) and never a server
error. Bodies are empty and every request runs in a savepoint that is rolled back, so a DELETE in one row does
not take the data away from the next.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.urls import reverse

from hayat.core.policy import SIGNED_IN, can
from hayat.core.roles import Role
from tests.routes import (
    Route,
    RouteData,
    module_route_data,
    project_patterns,
    project_routes,
    reversible_names,
    send,
    url_of,
)

pytestmark = pytest.mark.django_db

ROUTES = project_routes()
ROWS = [(route, method) for route in ROUTES for method in route.methods]

# The only routes open to everyone, and what an empty request gets there: (anonymous, signed in).
PUBLIC = {
    "login": {"GET": (200, 302), "POST": (200, 302), "PUT": (200, 302)},
    "set_language": {"GET": (302, 302), "POST": (302, 302)},
    "api-token": {"POST": (400, 400)},
    "api-token-refresh": {"POST": (400, 400)},
}
# API routes a person opens in the browser: anonymous visitors are sent to the login page instead of a 401.
BROWSER_PAGES = {"api-docs"}


@pytest.fixture(scope="module")
def route_data(django_db_setup, django_db_blocker) -> Iterator[RouteData]:
    yield from module_route_data(django_db_blocker)


def test_the_matrix_covers_every_route_of_the_project(route_data):
    unnamed = [pattern for name, pattern, _view in project_patterns() if name is None]
    assert unnamed == [], "every URL needs a name for the matrix to reach it"
    names = [route.name for route in ROUTES]
    assert len(names) == len(set(names)), "two URLs share a name: the matrix would reach only one"
    assert reversible_names() <= set(names)
    assert {route.name for route, _method in ROWS} == set(names), "a route accepts no method the matrix knows"
    missing = [route.name for route in ROUTES if route.has_parameters and route.name not in route_data.samples]
    assert missing == [], "add a URL sample to the app's tests/url_samples.py"


def test_only_the_reviewed_routes_are_public():
    public = {route.name: set(route.methods) for route in ROUTES if route.is_public}
    assert public == {name: set(methods) for name, methods in PUBLIC.items()}


def test_every_method_of_every_private_route_declares_a_capability():
    undeclared = [f"{method} {route.name}" for route, method in ROWS
                  if not route.is_public and route.capability(method) is None]
    assert undeclared == [], "default deny needs a capability for every method"


@pytest.mark.parametrize(("route", "method"), ROWS, ids=[f"{route.name}-{method}" for route, method in ROWS])
def test_route_obeys_policy(route: Route, method: str, client, route_data):
    url = url_of(route, route_data.samples)
    if route.is_public:
        check_public(route, method, url, client, route_data)
        return
    capability = route.capability(method)
    assert capability is not None, f"{route.name} declares no capability for {method}: default deny needs one"

    anonymous = send(client, method, url)
    if route.is_api and route.name not in BROWSER_PAGES:
        assert anonymous.status_code == 401, f"anonymous {method} {url}: {anonymous.status_code}"
    else:
        assert anonymous.status_code == 302, f"anonymous {method} {url}: {anonymous.status_code}"
        assert anonymous["Location"].startswith(f"{reverse('login')}?next="), f"anonymous {method} {url}"

    for role, user in route_data.personas.items():
        response = send(route_data.clients[role], method, url)
        status = response.status_code
        if capability == SIGNED_IN or can(user, capability):
            assert status not in {401, 403, 404, 405} or refused_by_the_phase(response), \
                f"{role} should reach {method} {url}, got {status}"
            assert status < 500, f"{role} {method} {url}: server error"
        else:
            assert status in {403, 404}, f"{role} must not reach {method} {url}, got {status}"


def refused_by_the_phase(response) -> bool:
    """The request passed the role's gate and reached the service, which named the fields this role may not
    change in the record's current phase (clinical's field access): a domain answer, not the gate's."""
    return response.status_code == 403 and response.get("Content-Type", "").startswith("application/json") \
        and response.json().get("code") == "fields_refused"


def check_public(route: Route, method: str, url: str, client, route_data) -> None:
    anonymous_status, signed_in_status = PUBLIC[route.name][method]
    assert send(client, method, url).status_code == anonymous_status, f"anonymous {method} {url}"
    for role, persona_client in route_data.clients.items():
        assert send(persona_client, method, url).status_code == signed_in_status, f"{role} {method} {url}"


def test_only_admins_enter_the_admin_site(route_data):
    for role, client in route_data.clients.items():
        response = client.get("/admin/")
        if role == Role.ADMIN:
            assert response.status_code == 200
        else:
            assert response.status_code == 302 and "/admin/login/" in response["Location"]
