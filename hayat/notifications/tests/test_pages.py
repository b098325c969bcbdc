"""The Outbox, the settings and texts pages, the patient's messages and the API, as each role meets them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hayat.core.models import AccessLogEntry
from hayat.notifications import outbox
from hayat.notifications.models import Kind, Message, MessageTemplate, Preference, State
from hayat.stays.tests.factories import PatientFactory

pytestmark = pytest.mark.django_db


def offer(patient, key):
    return outbox.queue(kind=Kind.WAITLIST_OFFER, event_key=key, patient=patient,
                        values=lambda language: {"arrival": "1 Dec", "departure": "5 Dec"})


def test_the_outbox_filters_and_logs_every_patient_shown_in_one_insert(receptionist, client_as):
    for index in range(6):
        offer(PatientFactory(mobile=f"+99890123{index:04d}"), f"offer:{index}")
    first_two = list(Message.objects.order_by("pk").values_list("pk", flat=True)[:2])
    Message.objects.filter(pk__in=first_two).update(state=State.FAILED, answer="HTTP 500")
    client = client_as(receptionist)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("notifications:outbox"), {"state": "failed", "channel": "sms"})
    assert page.status_code == 200 and page.content.decode().count("data-message=") == 2
    inserts = [query for query in queries if query["sql"].startswith("INSERT") and "access" in query["sql"]]
    assert len(inserts) == 1
    assert AccessLogEntry.objects.filter(what="outbox").count() == 2
    partial = client.get(reverse("notifications:outbox"), {"kind": "follow_up"}, HTTP_HX_REQUEST="true",
                         HTTP_HX_TARGET="outbox-results")
    assert "No message matches." in partial.content.decode() and "<html" not in partial.content.decode()


def test_the_desk_cancels_and_resends_from_the_outbox(receptionist, client_as):
    message = offer(PatientFactory(mobile="+998901234567"), "offer:1")
    client = client_as(receptionist)
    client.post(reverse("notifications:cancel", args=[message.pk]), {"next": "//evil.example/"})
    message.refresh_from_db()
    assert message.state == State.CANCELLED
    answer = client.post(reverse("notifications:resend", args=[message.pk]))
    message.refresh_from_db()
    assert message.state == State.QUEUED and answer.url == reverse("notifications:outbox")


def test_only_admin_edits_texts_and_a_tag_that_loads_things_is_refused_on_the_page(admin_user, receptionist,
                                                                                  client_as):
    url = reverse("notifications:template_edit", args=[Kind.FOLLOW_UP, "ru"])
    assert client_as(receptionist).get(url).status_code == 403
    client = client_as(admin_user)
    refused = client.post(url, {"subject": "x", "email_body": "{% load static %}", "sms_body": "y", "save": "1"})
    assert refused.status_code == 200 and "load" in refused.content.decode() and not MessageTemplate.objects.exists()
    preview = client.post(url, {"subject": "Как вы?", "email_body": "Здравствуйте, {{ patient_name }}",
                                "sms_body": "{{ hospital }}: как вы?", "preview": "1"})
    assert "Здравствуйте, [patient_name]" in preview.content.decode() and not MessageTemplate.objects.exists()
    client.post(url, {"subject": "Как вы?", "email_body": "Здравствуйте, {{ patient_name }}",
                      "sms_body": "{{ hospital }}: как вы?", "save": "1"})
    assert MessageTemplate.objects.get().subject == "Как вы?"


def test_admin_switches_a_kind_off_and_sets_quiet_hours(admin_user, client_as):
    client = client_as(admin_user)
    client.post(reverse("notifications:settings"), {"kind": Kind.FOLLOW_UP, f"{Kind.FOLLOW_UP}-timing": "5"})
    bad = client.post(reverse("notifications:settings"), {"kind": Kind.ARRIVAL_REMINDER,
                                                          f"{Kind.ARRIVAL_REMINDER}-timing": "-3"})
    assert bad.status_code == 200
    half = client.post(reverse("notifications:settings"), {"quiet": "1", "start": "21:00", "end": ""})
    assert "Give both times" in half.content.decode()
    client.post(reverse("notifications:settings"), {"quiet": "1", "start": "21:00", "end": "08:00"})
    page = client.get(reverse("notifications:settings")).content.decode()
    assert 'value="21:00' in page
    from hayat.notifications import texts

    assert (texts.is_enabled(Kind.FOLLOW_UP), texts.timing(Kind.FOLLOW_UP)) == (False, 5)
    assert texts.timing(Kind.ARRIVAL_REMINDER) == 1


def test_the_patient_page_lists_the_patients_messages_and_keeps_who_changed_the_choices(receptionist, client_as):
    patient = PatientFactory(mobile="+998901234567")
    offer(patient, "offer:1")
    client = client_as(receptionist)
    client.post(reverse("notifications:patient_preference", args=[patient.pk]),
                {"message-channel": "email", "message-language": "uz", "message-opted_out": "on"})
    preference = Preference.objects.get(patient=patient)
    assert (preference.channel, preference.language, preference.opted_out, preference.updated_by) == (
        "email", "uz", True, receptionist)
    page = client.get(patient.get_absolute_url()).content.decode()
    assert 'id="patient-messages"' in page and "+998901234567" in page and 'id="message-preference-changed"' in page


def test_a_failed_message_warns_admin_on_the_dashboard(admin_user, client_as):
    message = offer(PatientFactory(mobile="+998901234567"), "offer:1")
    Message.objects.filter(pk=message.pk).update(state=State.FAILED, answer="HTTP 401: Invalid credentials")
    page = client_as(admin_user).get("/").content.decode()
    assert "Messages not sent" in page and "HTTP 401: Invalid credentials" in page


def test_the_api_lists_resends_cancels_and_edits_texts(admin_user, receptionist, api_as):
    message = offer(PatientFactory(mobile="+998901234567"), "offer:1")
    api = api_as(receptionist)
    listed = api.get("/api/messages/", {"state": "queued"}).json()
    assert [row["id"] for row in listed["results"]] == [message.pk]
    assert api.post(f"/api/messages/{message.pk}/cancel/").json()["state"] == "cancelled"
    again = api.post(f"/api/messages/{message.pk}/cancel/")
    assert again.status_code == 409 and again.json()["code"] == "illegal_transition"
    assert api.post(f"/api/messages/{message.pk}/resend/").json()["state"] == "queued"
    assert api.put("/api/message-templates/follow_up-uz/", {"subject": "a", "email_body": "b", "sms_body": "c"},
                   format="json").status_code == 403
    admin = api_as(admin_user)
    refused = admin.put("/api/message-templates/follow_up-uz/",
                        {"subject": "a", "email_body": "{% include 'x' %}", "sms_body": "c"}, format="json")
    assert refused.status_code == 400 and refused.json()["code"] == "message_text_refused"
    saved = admin.put("/api/message-templates/follow_up-uz/",
                      {"subject": "Qalaysiz?", "email_body": "Salom {{ patient_name }}", "sms_body": "Salom"},
                      format="json")
    assert saved.json()["subject"] == "Qalaysiz?"
    assert admin.get("/api/message-templates/follow_up-uz/").json()["email_body"] == "Salom {{ patient_name }}"
