import io
import zipfile
from datetime import date

import pytest
from django.urls import reverse

from hayat.accounts.tests.factories import UserFactory
from hayat.core.roles import Role
from hayat.lab.tests.factories import make_result
from hayat.patients.tests.factories import PatientFactory
from hayat.reports.kinds import ALL
from hayat.reports.tests import world
from hayat.stays import sessions
from hayat.stays.tests.factories import make_room, make_tariff
from hayat.stays.tests.stay_factories import checked_in, make_service

pytestmark = pytest.mark.django_db
QUERY = {"start": "2026-11-01", "end": "2026-11-30", "grain": "week"}


@pytest.fixture
def admin_client(client, make_user):
    client.force_login(make_user(Role.ADMIN))
    return client


@pytest.fixture
def every_report_has_rows(clock):
    """The small world, with a lab result and a sauna taken by a guest in house on 21 Nov added."""
    world.build(clock)
    desk, doctor = UserFactory(role=Role.RECEPTIONIST), UserFactory(role=Role.DOCTOR)
    make_result(by=doctor, performed_at=world.at(20, 9))
    guest = PatientFactory(first_name="Eve")
    stay = checked_in(desk, doctor, guests=[(guest, make_room("103"), make_tariff("Calm"))], start=date(2026, 11, 21))
    sessions.record_extra_service(by=desk, booking=stay, patient=guest, service=make_service("Sauna", "45000"))


@pytest.mark.parametrize("report", ALL, ids=[report.slug for report in ALL])
@pytest.mark.usefixtures("every_report_has_rows")
def test_every_report_shows_its_chart_table_and_exports(admin_client, report, django_assert_max_num_queries):
    with django_assert_max_num_queries(20):
        page = admin_client.get(reverse(f"reports:{report.slug}"), QUERY)
    assert page.status_code == 200
    body = page.content.decode()
    assert "<svg" in body and 'id="report-table"' in body and "<script>" not in body
    csv = admin_client.get(reverse(f"reports:{report.slug}_csv"), QUERY)
    assert csv.status_code == 200 and csv.content.startswith("\ufeff".encode())
    assert len(csv.content.decode("utf-8-sig").splitlines()) > 1
    xlsx = admin_client.get(reverse(f"reports:{report.slug}_xlsx"), QUERY)
    workbook = zipfile.ZipFile(io.BytesIO(b"".join(xlsx.streaming_content)))
    assert "xl/worksheets/sheet1.xml" in workbook.namelist()
    printed = admin_client.get(reverse(f"reports:{report.slug}_print"), QUERY)
    assert printed.status_code == 200 and b"data-print" in printed.content


def test_bad_filters_get_a_message_and_no_figures(admin_client):
    page = admin_client.get(reverse("reports:occupancy"), {"start": "2026-11-30", "end": "2026-11-01"})
    assert page.status_code == 400 and b'id="report-errors"' in page.content and b"report-table" not in page.content
    export = admin_client.get(reverse("reports:occupancy_csv"), {"start": "2020-01-01", "end": "2026-11-01"})
    assert export.status_code == 400 and "3294" not in export.content.decode()


def test_revenue_is_for_admin_and_teller_clinical_for_admin_and_doctor(client, make_user):
    for role, revenue, clinical in ((Role.TELLER, 200, 403), (Role.DOCTOR, 403, 200), (Role.NURSE, 403, 403)):
        client.force_login(make_user(role))
        assert client.get(reverse("reports:revenue")).status_code == revenue, role
        if any(report.capability == "reports.clinical" for report in ALL):
            slug = next(report.slug for report in ALL if report.capability == "reports.clinical")
            assert client.get(reverse(f"reports:{slug}")).status_code == clinical, role


def test_the_list_shows_only_the_reports_of_the_role(client, make_user):
    client.force_login(make_user(Role.TELLER))
    body = client.get(reverse("reports:index")).content.decode()
    assert reverse("reports:revenue") in body and reverse("reports:occupancy") not in body
