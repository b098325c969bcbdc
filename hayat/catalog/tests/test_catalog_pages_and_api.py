"""Catalogue pages and API: everyone reads, Admin edits; the price grid is one form; lists stay cheap."""

from decimal import Decimal

import pytest
from django.urls import reverse

from hayat.catalog.models import Service, ServiceType, Tariff, TariffPrice, TariffService
from hayat.catalog.tests.factories import (
    ServiceFactory,
    ServiceTypeFactory,
    TariffFactory,
    TariffPriceFactory,
    TariffServiceFactory,
)
from hayat.facilities.tests.factories import RoomFactory, RoomTypeFactory

pytestmark = pytest.mark.django_db

LISTS = ["catalog:service_list", "catalog:service_type_list", "catalog:tariff_list", "catalog:price_grid"]


def page_text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.mark.parametrize("url_name", LISTS)
def test_every_role_reads_the_catalogue_and_only_admin_sees_edit_controls(url_name, client_as, teller, admin_user):
    TariffPriceFactory(tariff=TariffServiceFactory().tariff, room_type=RoomTypeFactory(name="Suite"))
    teller_page = page_text(client_as(teller).get(reverse(url_name)))
    assert 'data-shortcut="new"' not in teller_page and "Save prices" not in teller_page
    admin_page = page_text(client_as(admin_user).get(reverse(url_name)))
    assert 'data-shortcut="new"' in admin_page or "Save prices" in admin_page


def make_catalogue(size: int) -> None:
    room_types = [RoomTypeFactory(name=f"Type {index}") for index in range(4)]
    for index in range(size):
        tariff = TariffFactory()
        for _ in range(3):
            TariffServiceFactory(tariff=tariff, service=ServiceFactory(service_type=ServiceTypeFactory(
                name=f"Kind {index % 5}")))
        for room_type in room_types[: index % 5]:
            TariffPriceFactory(tariff=tariff, room_type=room_type)


@pytest.mark.parametrize("size", [2, 20])
@pytest.mark.parametrize("url_name", LISTS)
def test_pages_take_a_constant_number_of_queries(url_name, size, client_as, admin_user,
                                                 django_assert_max_num_queries):
    make_catalogue(size)
    client = client_as(admin_user)
    with django_assert_max_num_queries(8):
        page_text(client.get(reverse(url_name)))


def test_tariff_page_shows_included_sessions_and_the_price_or_its_fallback(client_as, nurse):
    tariff = TariffFactory(name="Cardio 14")
    TariffServiceFactory(tariff=tariff, service=ServiceFactory(name="Radon bath"), sessions=10)
    TariffPriceFactory(tariff=tariff, room_type=RoomTypeFactory(name="Suite"), price=Decimal("1500000"))
    RoomTypeFactory(name="Standard")
    html = page_text(client_as(nurse).get(reverse("catalog:tariff_detail", args=[tariff.pk])))
    assert 'data-service="Radon bath"' in html and ">10<" in html
    prices = html.split('id="tariff-prices"')[1]
    assert "1\u202f500\u202f000.00 UZS" in prices and "base price" in prices


def test_admin_builds_a_tariff_on_its_page(client_as, admin_user):
    client = client_as(admin_user)
    response = client.post(reverse("catalog:tariff_create"), {"name": "Joints 12", "code": "joint-12",
                                                              "sessions_basis": "package", "length_days": "12",
                                                              "is_active": "on"})
    tariff = Tariff.objects.get(code="JOINT-12")
    assert response["Location"] == reverse("catalog:tariff_detail", args=[tariff.pk])
    assert (tariff.sessions_basis, tariff.length_days) == ("package", 12)
    assert "Course of 12 days" in page_text(client.get(response["Location"]))
    refused = client.post(reverse("catalog:tariff_edit", args=[tariff.pk]), {
        "name": "Joints 12", "code": "JOINT-12", "sessions_basis": "per_day", "length_days": "0"})
    assert refused.status_code == 200 and Tariff.objects.get(pk=tariff.pk).sessions_basis == "package"
    client.post(reverse("catalog:tariff_edit", args=[tariff.pk]), {
        "name": "Joints 12", "code": "JOINT-12", "sessions_basis": "per_day", "length_days": "", "is_active": "on"})
    tariff.refresh_from_db()
    assert (tariff.sessions_basis, tariff.length_days) == ("per_day", None)
    mud = ServiceFactory(name="Mud applications")
    client.post(reverse("catalog:tariff_include", args=[tariff.pk]), {"service": mud.pk, "sessions": 10})
    client.post(reverse("catalog:tariff_sessions", args=[tariff.pk, mud.pk]), {"sessions": 8})
    assert TariffService.objects.get(tariff=tariff, service=mud).sessions == 8
    refused = client.post(reverse("catalog:tariff_sessions", args=[tariff.pk, mud.pk]), {"sessions": 0}, follow=True)
    assert "from 1 to 500" in page_text(refused)
    client.post(reverse("catalog:tariff_exclude", args=[tariff.pk, mud.pk]))
    assert not TariffService.objects.filter(tariff=tariff).exists()


def test_the_price_grid_is_saved_as_one_form(client_as, admin_user):
    first, second = TariffFactory(name="A"), TariffFactory(name="B")
    standard, suite = RoomTypeFactory(name="Standard"), RoomTypeFactory(name="Suite")
    TariffPriceFactory(tariff=second, room_type=suite, price=Decimal("1"))
    client = client_as(admin_user)
    grid = page_text(client.get(reverse("catalog:price_grid")))
    assert f'name="price_{first.pk}_{standard.pk}"' in grid
    response = client.post(reverse("catalog:price_grid"), {
        f"price_{first.pk}_{standard.pk}": "500000", f"price_{first.pk}_{suite.pk}": "1200000.50",
        f"price_{second.pk}_{standard.pk}": "", f"price_{second.pk}_{suite.pk}": ""})
    assert response.status_code == 302
    assert {(p.tariff_id, p.room_type_id): p.price for p in TariffPrice.objects.all()} == {
        (first.pk, standard.pk): Decimal("500000.00"), (first.pk, suite.pk): Decimal("1200000.50")}


def test_a_bad_cell_is_marked_and_nothing_is_saved(client_as, admin_user):
    tariff, room_type = TariffFactory(), RoomTypeFactory(name="Standard")
    html = page_text(client_as(admin_user).post(reverse("catalog:price_grid"),
                                                {f"price_{tariff.pk}_{room_type.pk}": "-10"}))
    assert "not valid" in html and "greater than or equal to 0" in html
    assert not TariffPrice.objects.exists()


@pytest.mark.parametrize("bad, message", [("abc", "Enter a number."), ("NaN", "Enter a number."),
                                          ("1e400", "Enter a number."), ("12.345", "no more than 2 decimal places"),
                                          ("-1", "greater than or equal to 0")])
def test_a_bad_cell_beside_good_ones_changes_no_cell_of_the_grid(bad, message, client_as, admin_user):
    tariff, standard, suite = TariffFactory(), RoomTypeFactory(name="Standard"), RoomTypeFactory(name="Suite")
    TariffPriceFactory(tariff=tariff, room_type=suite, price=Decimal("900000"))
    html = page_text(client_as(admin_user).post(reverse("catalog:price_grid"), {
        f"price_{tariff.pk}_{standard.pk}": "500000", f"price_{tariff.pk}_{suite.pk}": bad}))
    assert message in html and "Some prices are not valid" in html
    assert list(TariffPrice.objects.values_list("room_type_id", "price")) == [(suite.pk, Decimal("900000.00"))]


def test_only_admin_may_post_the_price_grid(client_as, receptionist):
    tariff, room_type = TariffFactory(), RoomTypeFactory(name="Standard")
    response = client_as(receptionist).post(reverse("catalog:price_grid"),
                                            {f"price_{tariff.pk}_{room_type.pk}": "10"})
    assert response.status_code == 403 and not TariffPrice.objects.exists()


def test_service_list_live_search_and_type_filter(client_as, nurse):
    baths = ServiceTypeFactory(name="Mineral baths")
    ServiceFactory(name="Pearl bath", service_type=baths)
    ServiceFactory(name="ECG")
    client = client_as(nurse)
    rows = page_text(client.get(reverse("catalog:service_list"), {"q": "pearl"}, HTTP_HX_REQUEST="true"))
    assert "<html" not in rows and "Pearl bath" in rows and "ECG" not in rows
    assert "ECG" not in page_text(client.get(reverse("catalog:service_list"), {"service_type": baths.pk}))
    assert "ECG" in page_text(client.get(reverse("catalog:service_list"), {"service_type": "nonsense"}))


def test_admin_edits_a_service_and_a_service_type(client_as, admin_user):
    service = ServiceFactory(name="Massage")
    client = client_as(admin_user)
    client.post(reverse("catalog:service_edit", args=[service.pk]), {
        "name": "Classic massage", "service_type": service.service_type_id, "duration_minutes": 40,
        "price": "130000", "is_active": "on"})
    service.refresh_from_db()
    assert (service.name, service.price, service.duration_minutes) == ("Classic massage", Decimal("130000.00"), 40)
    client.post(reverse("catalog:service_type_create"), {"name": "Hydrotherapy", "is_active": "on"})
    assert ServiceType.objects.filter(name="Hydrotherapy").exists()


# API ---------------------------------------------------------------------------------------------------------

def test_tariff_api_writes_included_services_in_one_request(api_as, admin_user, nurse):
    massage, bath = ServiceFactory(name="Massage"), ServiceFactory(name="Bath")
    api = api_as(admin_user)
    created = api.post(reverse("tariff-list"), {"name": "Wellness", "code": "well", "included": [
        {"service": massage.pk, "sessions": 8}, {"service": bath.pk, "sessions": 6}]}, format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["code"] == "WELL" and {(i["service_name"], i["sessions"]) for i in body["included"]} == {
        ("Massage", 8), ("Bath", 6)}
    patched = api.patch(reverse("tariff-detail", args=[body["id"]]), {"included": [{"service": bath.pk,
                                                                                    "sessions": 4}]}, format="json")
    assert [(i["service_name"], i["sessions"]) for i in patched.json()["included"]] == [("Bath", 4)]
    renamed = api.patch(reverse("tariff-detail", args=[body["id"]]), {"name": "Wellness 10"}, format="json")
    assert renamed.json()["included"] == patched.json()["included"]
    course = api.patch(reverse("tariff-detail", args=[body["id"]]), {"length_days": 10, "sessions_basis": "per_day"},
                       format="json").json()
    assert (course["length_days"], course["sessions_basis"]) == (10, "per_day")
    kept = api.patch(reverse("tariff-detail", args=[body["id"]]), {"name": "Wellness"}, format="json").json()
    assert (kept["length_days"], kept["sessions_basis"]) == (10, "per_day")
    assert api.patch(reverse("tariff-detail", args=[body["id"]]), {"length_days": 0}, format="json").status_code == 400
    twice = api.patch(reverse("tariff-detail", args=[body["id"]]), {"included": [
        {"service": bath.pk, "sessions": 1}, {"service": bath.pk, "sessions": 2}]}, format="json")
    assert twice.status_code == 400
    assert api_as(nurse).post(reverse("tariff-list"), {"name": "X", "code": "X"}, format="json").status_code == 403


def test_tariff_price_api_sets_replaces_clears_and_resolves(api_as, admin_user, nurse):
    tariff, suite = TariffFactory(), RoomTypeFactory(name="Suite")
    room = RoomFactory(room_type=suite, base_price=Decimal("900000"))
    api = api_as(admin_user)
    created = api.post(reverse("tariff-price-list"), {"tariff": tariff.pk, "room_type": suite.pk,
                                                      "price": "1200000"}, format="json")
    assert created.status_code == 201, created.json()
    replaced = api.post(reverse("tariff-price-list"), {"tariff": tariff.pk, "room_type": suite.pk,
                                                       "price": "1300000"}, format="json")
    assert replaced.json()["id"] == created.json()["id"] and TariffPrice.objects.get().price == Decimal("1300000")
    resolve = reverse("tariff-price-resolve")
    assert api_as(nurse).get(resolve, {"tariff": tariff.pk, "room": room.pk}).json()["price"] == "1300000.00"
    assert api.delete(reverse("tariff-price-detail", args=[created.json()["id"]])).status_code == 204
    assert api_as(nurse).get(resolve, {"tariff": tariff.pk, "room": room.pk}).json()["price"] == "900000.00"
    assert api_as(nurse).get(resolve, {"room": "nope"}).status_code == 400


def test_tariff_price_grid_endpoint_writes_many_cells(api_as, admin_user):
    tariff = TariffFactory()
    standard, suite = RoomTypeFactory(name="Standard"), RoomTypeFactory(name="Suite")
    TariffPriceFactory(tariff=tariff, room_type=suite)
    response = api_as(admin_user).post(reverse("tariff-price-grid"), [
        {"tariff": tariff.pk, "room_type": standard.pk, "price": "400000"},
        {"tariff": tariff.pk, "room_type": suite.pk, "price": None}], format="json")
    assert response.status_code == 200
    assert [(row["room_type_name"], row["price"]) for row in response.json()] == [("Standard", "400000.00")]
    negative = api_as(admin_user).post(reverse("tariff-price-grid"), [
        {"tariff": tariff.pk, "room_type": suite.pk, "price": "-1"}], format="json")
    assert negative.status_code == 400


def test_service_api_refuses_a_negative_price_and_orders_only_by_listed_fields(api_as, admin_user, nurse):
    service_type = ServiceTypeFactory()
    bad = api_as(admin_user).post(reverse("service-list"), {"name": "X", "service_type": service_type.pk,
                                                            "price": "-5"}, format="json")
    assert bad.status_code == 400 and "price" in bad.json()["errors"]
    ServiceFactory(name="Cheap", price=Decimal("10"), description="b")
    ServiceFactory(name="Dear", price=Decimal("99"), description="a")
    by_price = api_as(nurse).get(reverse("service-list"), {"ordering": "-price"}).json()["results"]
    assert [row["name"] for row in by_price] == ["Dear", "Cheap"]
    by_description = api_as(nurse).get(reverse("service-list"), {"ordering": "description"}).json()["results"]
    assert [row["name"] for row in by_description] == ["Cheap", "Dear"]
    assert Service.objects.count() == 2


@pytest.mark.parametrize("size", [2, 20])
@pytest.mark.parametrize("url_name", ["tariff-list", "service-list", "service-type-list", "tariff-price-list"])
def test_api_lists_take_a_constant_number_of_queries(url_name, size, api_as, nurse, django_assert_max_num_queries):
    make_catalogue(size)
    with django_assert_max_num_queries(5):
        assert api_as(nurse).get(reverse(url_name)).status_code == 200
