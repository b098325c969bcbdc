"""The policy's web decorator: one capability for a page, a stronger one for the method that changes data."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory

from hayat.core.policy import capability_for_web, require_capability
from hayat.core.roles import Role

pytestmark = pytest.mark.django_db


@require_capability("catalog.view", POST="catalog.manage")
def price_page(request):
    return HttpResponse("prices")


def request_as(user, method: str):
    request = getattr(RequestFactory(), method.lower())("/prices/")
    request.user = user
    return request


def test_a_page_can_ask_a_stronger_capability_for_posting(make_user):
    receptionist, admin = make_user(Role.RECEPTIONIST), make_user(Role.ADMIN)
    assert price_page(request_as(receptionist, "GET")).status_code == 200
    with pytest.raises(PermissionDenied):
        price_page(request_as(receptionist, "POST"))
    assert price_page(request_as(admin, "POST")).status_code == 200


def test_the_matrix_can_read_the_capability_of_each_method():
    assert capability_for_web(price_page, "GET") == "catalog.view"
    assert capability_for_web(price_page, "post") == "catalog.manage"


def test_an_unknown_capability_fails_when_the_view_is_defined():
    with pytest.raises(KeyError):
        require_capability("catalog.view", POST="catalog.rule_the_world")
