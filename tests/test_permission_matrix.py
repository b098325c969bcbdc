"""Walks every URL of the project and checks that anonymous users and each role get what the policy says.

Every view must declare its capability (web: `@require_capability`, API: `capabilities = {...}`) or be
explicitly public. Routes with parameters take their values from `hayat/<app>/tests/url_samples.py`,
which defines `samples(personas) -> {route name: kwargs}`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from hayat.core.discovery import app_modules
from hayat.core.policy import SIGNED_IN, can, capability_for_api
from hayat.core.roles import Role

SKIPPED_PREFIXES = ("admin/", "static/", "media")


@dataclass(frozen=True)
class Route:
    name: str
    pattern: str
    callback: object

    @property
    def is_api(self) -> bool:
        return self.pattern.startswith("api/")

    @property
    def has_parameters(self) -> bool:
        return "<" in self.pattern or "(?P" in self.pattern


def walk(resolver: URLResolver, prefix: str = "", namespace: str = ""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield Route(f"{namespace}{entry.name}", prefix + str(entry.pattern), entry.callback)


def project_routes() -> list[Route]:
    seen: dict[str, Route] = {}
    for route in walk(get_resolver()):
        if route.pattern.startswith(SKIPPED_PREFIXES) or "format" in route.pattern:
            continue
        seen.setdefault(route.name, route)
    return sorted(seen.values(), key=lambda route: route.name)


ROUTES = project_routes()


def url_samples(personas: dict) -> dict[str, dict]:
    samples: dict[str, dict] = {}
    for module in app_modules("tests.url_samples"):
        samples.update(module.samples(personas))
    return samples


class ApiViewProbe:
    """Stands in for a DRF view instance so the policy can be asked which capability a method needs."""

    def __init__(self, view_class, action: str | None):
        self.capabilities = getattr(view_class, "capabilities", {})
        self.action = action


def is_public(route: Route) -> bool:
    callback = route.callback
    if route.is_api:
        return getattr(callback, "cls", None) is not None and callback.cls.permission_classes == ()
    return getattr(callback, "login_required", True) is False


def method_for(route: Route) -> str:
    """GET where the route answers it, else POST (actions, logout)."""
    callback = route.callback
    actions = getattr(callback, "actions", None)
    if actions is not None:
        return "GET" if "get" in actions else "POST"
    view_class = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    if view_class is not None:
        return "GET" if hasattr(view_class, "get") else "POST"
    return "POST" if getattr(callback, "post_only", False) else "GET"


def declared_capability(route: Route, method: str) -> str | None:
    callback = route.callback
    if route.is_api:
        actions = getattr(callback, "actions", None) or {}
        return capability_for_api(ApiViewProbe(callback.cls, actions.get(method.lower())), method)
    return getattr(callback, "required_capability", None)


@pytest.fixture
def personas(admin_user, receptionist, doctor, nurse, teller, coder) -> dict:
    return {Role.ADMIN: admin_user, Role.RECEPTIONIST: receptionist, Role.DOCTOR: doctor,
            Role.NURSE: nurse, Role.TELLER: teller, Role.CODER: coder}


def request(client, route: Route, url: str, method: str):
    with transaction.atomic():
        response = client.get(url) if method == "GET" else client.post(url, {})
        if response.status_code == 405 and method == "GET":
            response = client.post(url, {})
        transaction.set_rollback(True)
    return response


def test_the_matrix_covers_routes():
    names = {route.name for route in ROUTES}
    assert {"web:dashboard", "accounts:user_list", "ops:activity", "user-list"} <= names


@pytest.mark.parametrize("route", ROUTES, ids=[route.name for route in ROUTES])
def test_route_obeys_policy(route: Route, client, personas):
    method = method_for(route)
    kwargs = {}
    if route.has_parameters:
        samples = url_samples(personas)
        assert route.name in samples, f"No URL sample for {route.name}: add one to the app's tests/url_samples.py"
        kwargs = samples[route.name]
    url = reverse(route.name, kwargs=kwargs)
    if is_public(route):
        response = request(client, route, url, method)
        assert response.status_code < 500
        return
    capability = declared_capability(route, method)
    assert capability is not None, f"{route.name} declares no capability for {method}: default deny needs one"

    anonymous = request(client, route, url, method)
    if route.is_api:
        assert anonymous.status_code in {401, 403}, f"anonymous {method} {url}: {anonymous.status_code}"
    else:
        assert anonymous.status_code == 302 and "/login/" in anonymous["Location"], f"anonymous {url}"

    for role, user in personas.items():
        client.force_login(user)
        response = request(client, route, url, method)
        allowed = capability == SIGNED_IN or can(user, capability)
        if allowed:
            assert response.status_code not in {401, 403, 404}, f"{role} should reach {method} {url}"
            assert response.status_code < 500, f"{role} {method} {url}: server error"
        else:
            assert response.status_code in {403, 404}, f"{role} must not reach {method} {url}"
        client.logout()


def test_only_admins_enter_the_admin_site(client, personas):
    for role, user in personas.items():
        client.force_login(user)
        response = client.get("/admin/")
        if role == Role.ADMIN:
            assert response.status_code == 200
        else:
            assert response.status_code == 302 and "/admin/login/" in response["Location"]
        client.logout()
