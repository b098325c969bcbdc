"""The project's routes as the permission matrix and the hostile-input test walk them.

Every named URL of the project, the HTTP methods it accepts, the capability each method needs, and the
sample data its parameters point at. Routes with parameters take their values from
`hayat/<app>/tests/url_samples.py`, which defines `samples(personas) -> {route name: kwargs}`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from http.cookies import SimpleCookie

from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from hayat.core.discovery import app_modules
from hayat.core.policy import capability_for_api, capability_for_web
from hayat.core.roles import Role

# Django's admin has its own login and permission checks (tests/test_permission_matrix.py checks who enters).
SKIPPED_NAMESPACES = ("admin",)
# DRF's router adds a twin of every API route with a format suffix (`users.json`): same view, same policy.
FORMAT_SUFFIX = "(?P<format>"
METHOD_ORDER = ("GET", "POST", "PUT", "PATCH", "DELETE")
PERSONA_IDS = {Role.ADMIN: "admin1", Role.RECEPTIONIST: "recep1", Role.DOCTOR: "doc1", Role.NURSE: "nurse1",
               Role.TELLER: "teller1", Role.CODER: "coder1"}


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

    @property
    def methods(self) -> tuple[str, ...]:
        return accepted_methods(self.callback)

    @property
    def is_public(self) -> bool:
        if self.is_api:
            view_class = getattr(self.callback, "cls", None)
            return view_class is not None and view_class.permission_classes == ()
        return getattr(self.callback, "login_required", True) is False

    def capability(self, method: str) -> str | None:
        """What the view declares for this method (web: `@require_capability`, API: `capabilities = {...}`)."""
        if self.is_api:
            actions = getattr(self.callback, "actions", None) or {}
            return capability_for_api(ApiViewProbe(self.callback.cls, actions.get(method.lower())), method)
        return capability_for_web(self.callback, method)


class ApiViewProbe:
    """Stands in for a DRF view instance so the policy can be asked which capability a method needs."""

    def __init__(self, view_class, action: str | None):
        self.capabilities = getattr(view_class, "capabilities", {})
        self.action = action


def walk(resolver: URLResolver, prefix: str = "", namespace: str = "") -> Iterator[tuple[str | None, str, object]]:
    """(name or None, pattern, view) of every URL pattern, named or not."""
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in SKIPPED_NAMESPACES:
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else None
            yield name, prefix + str(entry.pattern), entry.callback


def project_patterns() -> list[tuple[str | None, str, object]]:
    return [entry for entry in walk(get_resolver()) if FORMAT_SUFFIX not in entry[1]]


def project_routes() -> list[Route]:
    routes = {Route(name, pattern, callback) for name, pattern, callback in project_patterns() if name}
    return sorted(routes, key=lambda route: (route.name, route.pattern))


def reversible_names() -> set[str]:
    """Every URL name Django can reverse, read from its own tables rather than from walk()."""

    def names(resolver: URLResolver, namespace: str = "") -> set[str]:
        found = {f"{namespace}{key}" for key in resolver.reverse_dict if isinstance(key, str)}
        for name, (_prefix, inner) in resolver.namespace_dict.items():
            if name not in SKIPPED_NAMESPACES:
                found |= names(inner, f"{namespace}{name}:")
        return found

    return names(get_resolver())


def accepted_methods(view) -> tuple[str, ...]:
    """The HTTP methods a route answers: a viewset's action map, a class's handlers, or a function's
    `require_http_methods` list; a function view with no restriction answers GET and POST."""
    actions = getattr(view, "actions", None)
    if actions is not None:
        methods = {method.upper() for method in actions}
    elif (view_class := getattr(view, "cls", None) or getattr(view, "view_class", None)) is not None:
        methods = {method.upper() for method in view_class.http_method_names if hasattr(view_class, method)}
    elif (restricted := method_restriction(view)) is not None:
        methods = set(restricted)
    elif getattr(view, "post_only", False):
        methods = {"POST"}
    else:
        methods = {"GET", "POST"}
    return tuple(method for method in METHOD_ORDER if method in methods)


def method_restriction(view) -> list[str] | None:
    """The list given to Django's `require_http_methods` (`require_POST`, `require_GET`) on a view, if any."""
    while view is not None:
        code = getattr(view, "__code__", None)
        if code is not None and "request_method_list" in code.co_freevars:
            return list(view.__closure__[code.co_freevars.index("request_method_list")].cell_contents)
        view = getattr(view, "__wrapped__", None)
    return None


def url_samples(personas: dict) -> dict[str, dict]:
    samples: dict[str, dict] = {}
    for module in app_modules("tests.url_samples"):
        samples.update(module.samples(personas))
    return samples


def url_of(route: Route, samples: dict[str, dict]) -> str:
    return reverse(route.name, kwargs=samples.get(route.name, {}))


def send(client, method: str, url: str, query: dict | None = None):
    """One request with an empty body, in a savepoint rolled back afterwards: what it changes, nobody sees.

    The client's cookies are put back too, so a request that logs out or rotates the session leaves the
    client signed in as before.
    """
    cookies = SimpleCookie(client.cookies)
    with transaction.atomic():
        if method == "GET":
            response = client.get(url, query or {})
        elif method == "POST":
            response = client.post(url, {})
        elif method == "DELETE":
            response = client.delete(url)
        else:
            response = client.generic(method, url, "{}", content_type="application/json")
        transaction.set_rollback(True)
    client.cookies = cookies
    return response


@dataclass(frozen=True)
class RouteData:
    personas: dict[Role, object]
    samples: dict[str, dict]
    clients: dict[Role, Client]  # one test client per persona, signed in for the whole module


def module_route_data(django_db_blocker, *, raise_request_exception: bool = True) -> Iterator[RouteData]:
    """One user per role, signed-in clients and every app's URL samples, made once per test module.

    Use it in a module-scoped fixture that also asks for `django_db_setup`. The data lives in a transaction
    rolled back when the module ends; every test runs in a savepoint inside it (pytest-django) and every
    request in one more (`send`), so no request sees another's effects. Without `raise_request_exception`
    a view's exception comes back as the 500 a person would see, so a test can name every one that fails.
    """
    from hayat.accounts.tests.factories import UserFactory

    with django_db_blocker.unblock(), transaction.atomic():
        personas = {role: UserFactory(role=role, user_id=user_id, full_name=f"{role.label} Persona")
                    for role, user_id in PERSONA_IDS.items()}
        clients = {role: Client(raise_request_exception=raise_request_exception) for role in personas}
        for role, client in clients.items():
            client.force_login(personas[role])
        yield RouteData(personas, url_samples(personas), clients)
        transaction.set_rollback(True)
