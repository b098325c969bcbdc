"""Every role's dashboard costs the same number of queries for a small and a bigger hospital."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hayat.lab.tests.factories import make_patient, make_result

pytestmark = pytest.mark.django_db

# The largest dashboard (an Admin's, who sees every card) takes 25 queries, 26 on PostgreSQL (a count there asks
# the planner for its estimate first, ADR 0009).
MOST = 26


def dashboard_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("web:dashboard")).status_code == 200
    return len(queries)


@pytest.mark.parametrize("persona", ["admin_user", "doctor", "nurse", "receptionist", "teller"])
def test_the_dashboard_costs_the_same_queries_with_more_patients_and_results(persona, request, doctor, client_as):
    client = client_as(request.getfixturevalue(persona))
    for index in range(2):
        make_result(by=doctor, patient=make_patient(last_name=f"Small{index}"))
    small = dashboard_queries(client)
    for index in range(12):
        make_result(by=doctor, patient=make_patient(last_name=f"Bigger{index}"))
    assert dashboard_queries(client) == small <= MOST
