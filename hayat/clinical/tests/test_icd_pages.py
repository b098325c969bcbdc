"""Admin keeps the ICD-10 → department mapping on its page; the code search is an index lookup."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hayat.clinical import selectors
from hayat.clinical.models import IcdDepartmentMapping, IcdWord
from hayat.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_admin_adds_changes_and_removes_a_range(hospital, admin_user, client_as):
    client = client_as(admin_user)
    page = client.get(reverse("clinical:mapping_list")).content.decode()
    assert "I00–I99" in page and "Cardiology" in page and "Internal Medicine" in page
    response = client.post(reverse("clinical:mapping_create"), {"first": "j09", "last": "j18",
                                                                 "department": hospital.internal.pk})
    assert response.status_code == 302
    mapping = IcdDepartmentMapping.objects.get(first="J09")
    assert mapping.last == "J18" and mapping.created_by == admin_user
    assert selectors.department_for_code("J18.9") == hospital.internal

    response = client.post(reverse("clinical:mapping_edit", args=[mapping.pk]), {
        "first": "J09", "last": "J18", "department": hospital.cardiology.pk, "note": "Moved"})
    assert response.status_code == 302
    assert selectors.department_for_code("J18.9") == hospital.cardiology
    client.post(reverse("clinical:mapping_delete", args=[mapping.pk]))
    assert not IcdDepartmentMapping.objects.filter(pk=mapping.pk).exists()
    assert list(AuditEvent.objects.filter(action__startswith="icd_mapping").values_list("action", flat=True)
                .order_by("id")) == ["icd_mapping.create", "icd_mapping.update", "icd_mapping.delete"]


def test_bad_ranges_are_refused_on_the_form(hospital, admin_user, client_as):
    client = client_as(admin_user)
    reversed_range = client.post(reverse("clinical:mapping_create"), {"first": "K99", "last": "K00",
                                                                       "department": hospital.surgery.pk})
    assert "The range must start before it ends." in reversed_range.content.decode()
    not_a_code = client.post(reverse("clinical:mapping_create"), {"first": "heart", "department": hospital.surgery.pk})
    assert "is not an ICD-10 code or prefix" in not_a_code.content.decode()
    taken = client.post(reverse("clinical:mapping_create"), {"first": "I00", "last": "I99",
                                                              "department": hospital.surgery.pk})
    assert "already mapped" in taken.content.decode()
    assert IcdDepartmentMapping.objects.count() == 2


def test_only_admin_reaches_the_mapping(hospital, doctor, coder, client_as):
    for user in (doctor, coder):
        assert client_as(user).get(reverse("clinical:mapping_list")).status_code == 403


def uses_an_index(queryset) -> bool:
    """Whether the engine serves the lookup from an index range rather than only by reading the whole table.
    A tiny test table tempts PostgreSQL and MariaDB into a scan anyway, so there the question is whether an
    index can serve it: PostgreSQL with scans switched off, MariaDB by the keys it considers."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            return any("USING INDEX" in row[-1] or "USING COVERING INDEX" in row[-1] for row in cursor.fetchall())
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql, params)
            return any("Index" in row[0] for row in cursor.fetchall())
        cursor.execute("EXPLAIN " + sql, params)
        columns = [column[0] for column in cursor.description]
        return any(dict(zip(columns, row, strict=True))["possible_keys"] for row in cursor.fetchall())


@pytest.mark.parametrize(("text", "lookup"), [
    ("acute myocardial", lambda: IcdWord.objects.filter(selectors.starts_with("word", "acute"))),
    ("I21.4", lambda: selectors.IcdCode.objects.filter(selectors.starts_with("code", "I21.4"))),
])
def test_the_icd_search_is_one_query_reading_an_index_range(icd_codes, text, lookup):
    with CaptureQueriesContext(connection) as queries:
        found = selectors.icd_search(text)
    assert found and len(queries.captured_queries) == 1
    assert uses_an_index(lookup())
