"""The REST API's shared conventions: authentication, one error format, pagination, schema and docs offline."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from hayat.core.roles import Role

pytestmark = pytest.mark.django_db


def test_anonymous_api_calls_get_401_in_the_common_error_format(api_as):
    response = api_as(None).get(reverse("user-list"))
    assert response.status_code == 401
    assert response.json() == {"detail": "Authentication credentials were not provided.",
                               "code": "not_authenticated"}


def test_forbidden_calls_get_403_in_the_common_error_format(api_as, nurse):
    response = api_as(nurse).get(reverse("user-list"))
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_validation_errors_name_the_fields(api_as, admin_user):
    response = api_as(admin_user).post(reverse("user-list"), {"user_id": "", "role": Role.NURSE}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert {"user_id", "full_name", "password"} <= set(body["errors"])


def test_domain_errors_come_back_with_their_message_and_field(api_as, admin_user, nurse):
    response = api_as(admin_user).post(reverse("user-list"), {
        "user_id": nurse.user_id, "full_name": "Copy", "role": Role.NURSE, "password": "Long-enough-pass-9"},
        format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"user_id": [f"The user ID {nurse.user_id} is taken."]}


def test_lists_are_paginated(api_as, admin_user, make_user):
    for index in range(5):
        make_user(Role.NURSE, user_id=f"n{index}")
    response = api_as(admin_user).get(reverse("user-list"), {"page_size": 2})
    body = response.json()
    assert body["count"] == 6 and len(body["results"]) == 2 and body["next"]


def test_admin_creates_a_user_through_the_api_and_the_password_is_hashed(api_as, admin_user):
    from hayat.accounts.models import User

    response = api_as(admin_user).post(reverse("user-list"), {
        "user_id": "api.user", "full_name": "Api User", "role": Role.CODER, "password": "Long-enough-pass-9"},
        format="json")
    assert response.status_code == 201 and "password" not in response.json()
    user = User.objects.get(user_id="api.user")
    assert user.check_password("Long-enough-pass-9") and user.password != "Long-enough-pass-9"


def test_openapi_schema_describes_the_api(client_as, nurse):
    response = client_as(nurse).get(reverse("api-schema"), {"format": "json"})
    schema = response.json()
    assert schema["info"]["title"] == "Hayat API"
    assert "/api/users/" in schema["paths"] and "/api/auth/token/" in schema["paths"]


def test_docs_page_uses_only_local_assets(client_as, nurse):
    html = client_as(nurse).get(reverse("api-docs")).content.decode()
    assert "swagger-ui" in html
    external = [url for url in re.findall(r"""(?:src|href)=["'](https?://[^"']+)""", html)]
    assert external == []
    assets = re.findall(r"""(?:src|href)=["']/static/([^"']+)""", html)
    assert any(asset.endswith("swagger-ui-bundle.js") for asset in assets)
    assert [asset for asset in assets if not finders.find(asset)] == []


def test_lists_filter_and_answer_a_filter_value_they_cannot_use_with_a_field_error(api_as, admin_user, nurse):
    api = api_as(admin_user)
    nurses = api.get(reverse("user-list"), {"role": Role.NURSE}).json()["results"]
    assert [user["user_id"] for user in nurses] == [nurse.user_id]
    refused = api.get(reverse("user-list"), {"role": "surgeon"})
    assert refused.status_code == 400
    assert refused.json()["code"] == "invalid" and list(refused.json()["errors"]) == ["role"]


@pytest.mark.parametrize("path", ["/api/", "/api/no-such-thing/", "/api/users/999999/nothing/", "/api"])
def test_unknown_api_paths_answer_404_in_the_common_error_format(client, admin_user, path):
    for signed_in in (False, True):
        if signed_in:
            client.force_login(admin_user)
        response = client.get(path, follow=True)
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
        assert response.json() == {"detail": "Not found.", "code": "not_found"}


def test_unknown_web_paths_still_get_the_html_page(client_as, nurse):
    response = client_as(nurse).get("/no-such-page/")
    assert response.status_code == 404 and "There is nothing here" in response.content.decode()


def test_a_server_error_in_the_api_answers_in_the_common_error_format(client, nurse, monkeypatch):
    from hayat.accounts.api import MeView

    def broken(self):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(MeView, "get_object", broken)
    client.raise_request_exception = False
    client.force_login(nurse)
    response = client.get(reverse("api-me"))
    assert response.status_code == 500
    body = response.json()
    assert body["code"] == "server_error" and "disk" not in body["detail"]


def test_a_server_error_on_a_web_page_shows_the_error_page(client, nurse, monkeypatch):
    from hayat.web import views

    def broken(user):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(views, "panels_for", broken)
    client.raise_request_exception = False
    client.force_login(nurse)
    response = client.get(reverse("web:dashboard"))
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode() and "disk" not in response.content.decode()


def test_anonymous_browser_on_the_api_docs_is_sent_to_the_login_page(client):
    response = client.get(reverse("api-docs"), HTTP_ACCEPT="text/html")
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={reverse('api-docs')}"


def test_openapi_schema_has_no_warning_and_names_every_set_of_choices_once():
    """Clashing component names, unnamed path parameters and doubled operation ids make a wrong schema quietly."""
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator

    GENERATOR_STATS.reset()
    with GENERATOR_STATS.silence():
        schema = SchemaGenerator().get_schema(request=None, public=True)
    problems = [*GENERATOR_STATS._warn_cache, *GENERATOR_STATS._error_cache]
    GENERATOR_STATS.reset()
    assert problems == []
    enums = {name for name in schema["components"]["schemas"] if name.endswith("Enum")}
    assert {"BookingStatusEnum", "BillStatusEnum", "EpisodeStatusEnum", "IllnessStateEnum"} <= enums
    assert not [name for name in enums if any(character.isdigit() for character in name)]


def test_errors_of_the_schema_endpoint_are_json_too(client):
    response = client.get(reverse("api-schema"))
    assert response.status_code == 401
    assert response.json() == {"detail": "Authentication credentials were not provided.", "code": "not_authenticated"}
