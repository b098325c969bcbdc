"""Behind the hospital's reverse proxy the audit records the client's address and https is recognised; the
forwarded headers of anybody who is not a trusted proxy are ignored."""

import pytest
from django.test import override_settings
from django.urls import reverse

from hayat.core.models import AccessLogEntry
from hayat.core.proxies import client_address
from hayat.patients.tests.factories import PatientFactory

pytestmark = pytest.mark.django_db

NGINX = "10.0.0.2"


def audited_ip(client, **headers) -> str:
    patient = PatientFactory()
    assert client.get(reverse("patients:detail", args=[patient.pk]), **headers).status_code == 200
    return AccessLogEntry.objects.get(patient_id=patient.pk).ip


@override_settings(HAYAT_TRUSTED_PROXIES=[NGINX])
def test_the_audit_records_the_client_behind_a_trusted_proxy(doctor, client_as):
    client = client_as(doctor)
    assert audited_ip(client, REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR="192.168.5.17") == "192.168.5.17"


@override_settings(HAYAT_TRUSTED_PROXIES=[NGINX])
def test_a_forged_forwarded_for_from_anybody_else_is_ignored(doctor, client_as):
    client = client_as(doctor)
    assert audited_ip(client, REMOTE_ADDR="192.168.5.17", HTTP_X_FORWARDED_FOR="10.9.9.9") == "192.168.5.17"
    # through the proxy, a hop the client wrote itself in front is not believed either
    assert audited_ip(client, REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR="8.8.8.8, 192.168.5.17") == "192.168.5.17"


@override_settings(HAYAT_TRUSTED_PROXIES=["127.0.0.1", "10.0.0.0/8"])
def test_chained_trusted_proxies_are_walked_back_to_the_client():
    assert client_address("127.0.0.1", "192.168.5.17, 10.1.1.1") == "192.168.5.17"
    assert client_address("127.0.0.1", "not-an-address, 10.1.1.1") == "10.1.1.1"
    assert client_address("127.0.0.1", "") == "127.0.0.1"


@override_settings(HAYAT_TRUSTED_PROXIES=[NGINX], SECURE_SSL_REDIRECT=True,
                   SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"))
def test_https_behind_the_proxy_does_not_redirect_to_itself_but_a_forged_header_does_not_count(client):
    behind_proxy = client.get(reverse("login"), REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_PROTO="https")
    assert behind_proxy.status_code == 200
    forged = client.get(reverse("login"), REMOTE_ADDR="192.168.5.17", HTTP_X_FORWARDED_PROTO="https")
    assert forged.status_code == 301 and forged["Location"].startswith("https://")
