"""User IDs: a small set of characters, stored in lower case, unique whatever the case, on every door."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.urls import reverse

from hayat.accounts import services
from hayat.accounts.models import User
from hayat.accounts.services import UserData
from hayat.accounts.tests.factories import TEST_PASSWORD
from hayat.core.errors import DomainError
from hayat.core.roles import Role

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "Sunrise-over-Samarkand-7"
BAD_USER_IDS = ["a/../../b", "ab", "x" * 41, "naïve", "has space", "-dash-first", ".hidden", "semi;colon",
                "<script>", "nurse\u212a"]


def create(admin_user, user_id: str) -> User:
    return services.create_user(by=admin_user, password=GOOD_PASSWORD,
                                data=UserData(user_id=user_id, full_name="Nodira Karimova", role=Role.NURSE))


@pytest.mark.parametrize("user_id", BAD_USER_IDS)
def test_the_service_refuses_user_ids_outside_the_allowed_characters(admin_user, user_id):
    with pytest.raises(DomainError) as refused:
        create(admin_user, user_id)
    assert refused.value.field == "user_id" and "3 to 40 characters" in refused.value.message
    assert User.objects.count() == 1


def test_renaming_to_a_bad_user_id_is_refused_too(admin_user, nurse):
    with pytest.raises(DomainError):
        services.update_user(by=admin_user, user=nurse,
                             data=UserData(user_id="../nurse", full_name=nurse.full_name, role=Role.NURSE))
    nurse.refresh_from_db()
    assert nurse.user_id == "nurse1"


@pytest.mark.parametrize("user_id", ["n.karimova", "10452", "dr_aziz-2", "abc", "a" * 40])
def test_ordinary_user_ids_are_accepted(admin_user, user_id):
    assert create(admin_user, user_id).user_id == user_id


def test_user_ids_are_stored_in_lower_case(admin_user):
    user = create(admin_user, "  N.Karimova ")
    user.refresh_from_db()
    assert user.user_id == "n.karimova"


def test_two_user_ids_differing_only_in_case_are_refused_by_the_service(admin_user):
    create(admin_user, "N.Karimova")
    with pytest.raises(DomainError) as taken:
        create(admin_user, "n.KARIMOVA")
    assert taken.value.field == "user_id" and "taken" in taken.value.message


def test_two_user_ids_differing_only_in_case_are_refused_by_the_database(make_user):
    make_user(Role.NURSE, user_id="n.karimova")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(user_id="N.Karimova", full_name="Copy", role=Role.NURSE)
    other = make_user(Role.NURSE, user_id="other")
    # Around save() too: lower case is a constraint on SQLite and PostgreSQL, MariaDB's collation compares
    # without case, so the unique index refuses it there.
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=other.pk).update(user_id="N.KARIMOVA")


def test_web_and_api_refuse_a_bad_user_id_with_a_message(admin_user, client_as, api_as):
    page = client_as(admin_user).post(reverse("accounts:user_create"), {
        "user_id": "a/../../b", "full_name": "Path Walker", "role": Role.TELLER, "password": GOOD_PASSWORD})
    assert page.status_code == 200 and "3 to 40 characters" in page.content.decode()
    response = api_as(admin_user).post(reverse("user-list"), {
        "user_id": "a/../../b", "full_name": "Path Walker", "role": Role.TELLER, "password": GOOD_PASSWORD},
        format="json")
    assert response.status_code == 400 and "user_id" in response.json()["errors"]
    assert not User.objects.filter(full_name="Path Walker").exists()


def test_login_ignores_the_case_of_the_typed_user_id(admin_user, client, api_as):
    user = services.create_user(by=admin_user, password=GOOD_PASSWORD,
                                data=UserData(user_id="N.Karimova", full_name="Nodira", role=Role.NURSE))
    response = client.post(reverse("login"), {"username": "N.KARIMOVA", "password": GOOD_PASSWORD})
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(user.pk)
    token = api_as(None).post(reverse("api-token"), {"user_id": "n.KaRiMoVa", "password": GOOD_PASSWORD},
                              format="json")
    assert token.status_code == 200 and "access" in token.json()


def test_createsuperuser_stores_the_id_in_lower_case_and_refuses_bad_ones(db, client, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "first-admin-Secret-9")
    call_command("createsuperuser", interactive=False, user_id="Boss", full_name="Bahrom Boss", stdout=StringIO())
    assert User.objects.filter(user_id="boss").exists()
    assert client.post(reverse("login"), {"username": "BOSS", "password": "first-admin-Secret-9"}).status_code == 302
    with pytest.raises(CommandError):
        call_command("createsuperuser", interactive=False, user_id="a/../b", full_name="Bad", stdout=StringIO())
    with pytest.raises(CommandError):
        call_command("createsuperuser", interactive=False, user_id="BOSS", full_name="Again", stdout=StringIO())
    assert User.objects.count() == 1


def test_the_manager_refuses_a_bad_user_id(db):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        User.objects.create_user("a/../b", TEST_PASSWORD, full_name="Bad", role=Role.NURSE)
    assert not User.objects.exists()
