"""Saved searches: a receptionist keeps a patient or booking search under a name, personal or shared, and opens
it again from the list page in one click; saving and removing are audited and checked by the policy."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from hayat.core.errors import DomainError
from hayat.core.models import AuditEvent
from hayat.core.roles import Role
from hayat.web import services
from hayat.web.models import SavedSearch

pytestmark = pytest.mark.django_db


def test_it_keeps_the_filters_without_paging_or_empty_values(receptionist):
    search = services.save_search(by=receptionist, page="stays:booking_list", name="  Arrivals   this week ",
                                  query="?status=confirmed&page=3&q=&source=phone")
    assert (search.name, search.query) == ("Arrivals this week", "source=phone&status=confirmed")
    assert search.get_absolute_url() == "/stays/bookings/?source=phone&status=confirmed"
    event = AuditEvent.objects.get(action="saved_search.save")
    assert event.changes["query"] == [None, "source=phone&status=confirmed"]


def test_saving_under_the_same_name_replaces_the_filters(receptionist):
    first = services.save_search(by=receptionist, page="patients:list", name="Women", query="gender=female")
    again = services.save_search(by=receptionist, page="patients:list", name="Women", query="gender=female&q=ali",
                                 shared=True)
    assert first.pk == again.pk and SavedSearch.objects.get().query == "gender=female&q=ali"


@pytest.mark.parametrize(("page", "name"), [("ops:jobs", "Jobs"), ("patients:list", "   ")])
def test_an_unknown_page_or_a_blank_name_is_refused(receptionist, page, name):
    with pytest.raises(DomainError):
        services.save_search(by=receptionist, page=page, name=name, query="")
    assert not SavedSearch.objects.exists()


def test_only_who_may_see_the_page_may_save_its_search(coder):
    with pytest.raises(PermissionDenied):
        services.save_search(by=coder, page="stays:booking_list", name="Mine", query="")


def test_a_personal_search_is_the_owners_and_a_shared_one_everyones(client_as, receptionist, admin_user, make_user):
    colleague = make_user(Role.RECEPTIONIST, user_id="desk2")
    services.save_search(by=receptionist, page="patients:list", name="Only mine", query="q=karimov")
    services.save_search(by=receptionist, page="patients:list", name="For the desk", query="gender=male", shared=True)
    page = client_as(colleague).get(reverse("patients:list")).content.decode()
    assert "For the desk" in page and "Only mine" not in page
    assert 'href="/patients/?gender=male"' in page
    own = client_as(receptionist).get(reverse("patients:list")).content.decode()
    assert "For the desk" in own and 'href="/patients/?q=karimov"' in own


def test_the_list_page_saves_a_search_and_opens_it(client_as, receptionist):
    client = client_as(receptionist)
    response = client.post(reverse("web:saved_search_save"), {"page": "stays:booking_list", "name": "Phone bookings",
                                                               "query": "source=phone", "shared": "on"})
    assert response.status_code == 302 and response["Location"] == "/stays/bookings/?source=phone"
    assert SavedSearch.objects.get().shared
    bad = client.post(reverse("web:saved_search_save"), {"page": "stays:booking_list", "name": ""})
    assert bad.status_code == 302 and SavedSearch.objects.count() == 1


def test_only_the_owner_or_admin_removes_a_search(client_as, receptionist, admin_user, make_user):
    shared = services.save_search(by=receptionist, page="patients:list", name="Shared", query="", shared=True)
    colleague = make_user(Role.RECEPTIONIST, user_id="desk3")
    with pytest.raises(DomainError):
        services.delete_search(by=colleague, search=shared)
    client_as(admin_user).post(reverse("web:saved_search_delete", args=[shared.pk]))
    assert not SavedSearch.objects.exists()
    assert AuditEvent.objects.filter(action="saved_search.delete").count() == 1


def test_a_repeated_save_keeps_one_search_and_one_audit_event(client_as, receptionist):
    client = client_as(receptionist)
    form = {"page": "patients:list", "name": "Women", "query": "gender=female"}
    for _ in range(2):  # a double click
        assert client.post(reverse("web:saved_search_save"), form).status_code == 302
    assert SavedSearch.objects.count() == 1
    assert AuditEvent.objects.filter(action="saved_search.save").count() == 1


def test_a_too_long_name_says_so_and_saves_nothing(client_as, receptionist):
    response = client_as(receptionist).post(reverse("web:saved_search_save"),
                                            {"page": "patients:list", "name": "x" * 81}, follow=True)
    assert not SavedSearch.objects.exists()
    assert "at most 80 characters" in response.content.decode()
