"""Admin's texts: per kind and language, previewed and saved, and never more than the values they are given."""

import pytest

from hayat.core.errors import DomainError
from hayat.notifications import outbox, services, texts
from hayat.notifications.models import Kind, Message, MessageTemplate
from hayat.notifications.services import TemplateData

pytestmark = pytest.mark.django_db
OFFER = {"arrival": "1 Dec", "departure": "5 Dec"}


def offer(patient, key="offer:1"):
    return outbox.queue(kind=Kind.WAITLIST_OFFER, event_key=key, patient=patient, values=lambda language: OFFER)


@pytest.mark.parametrize("text", [
    "{% load static %}{% static 'x' %}", "{% include 'web/base.html' %}", "{% extends 'web/base.html' %}",
    "{% url 'notifications:outbox' %}", "{% debug %}", "{{ patient_name.__class__ }}", "{{ settings.SECRET_KEY }}",
    "{{ patient_name|safe }}", "{% now 'Y' %}",
])
def test_a_text_that_could_reach_beyond_its_values_is_refused(admin_user, text):
    with pytest.raises(DomainError):
        services.save_template(by=admin_user, kind=Kind.WAITLIST_OFFER, language="en",
                               data=TemplateData("Subject", text, "SMS"))
    assert not MessageTemplate.objects.exists()


def test_a_saved_text_is_used_in_its_language_and_the_others_keep_the_default(admin_user, by_sms):
    services.save_template(by=admin_user, kind=Kind.WAITLIST_OFFER, language="uz", data=TemplateData(
        "Joy bor", "Hurmatli {{ patient_name }}",
        "{{ hospital }}: {{ arrival|default:'?' }} dan joy bor{% if departure %}, {{ departure }} gacha{% endif %}."))
    services.set_preference(by=admin_user, patient=by_sms, data=services.PreferenceData(language="uz"))
    assert offer(by_sms).body == "Hayat: 1 Dec dan joy bor, 5 Dec gacha."
    assert texts.texts_for(Kind.WAITLIST_OFFER, "ru").sms_body != texts.texts_for(Kind.WAITLIST_OFFER, "en").sms_body


def test_the_preview_shows_both_channels_with_sample_values_and_refuses_what_saving_refuses(admin_user):
    data = TemplateData("Place for {{ patient_name }}", "Dear {{ patient_name }}", "Free from {{ arrival }}")
    assert services.preview(kind=Kind.WAITLIST_OFFER, language="en", data=data, channel="email") == (
        "Place for [patient_name]", "Dear [patient_name]")
    assert services.preview(kind=Kind.WAITLIST_OFFER, language="en", data=data, channel="sms") == (
        "", "Free from [arrival]")
    with pytest.raises(DomainError, match="balance"):
        services.preview(kind=Kind.WAITLIST_OFFER, language="en", channel="sms",
                         data=TemplateData("x", "x", "{{ balance }}"))


def test_a_kind_switched_off_queues_nothing(admin_user, by_sms):
    services.set_kind(by=admin_user, kind=Kind.WAITLIST_OFFER, enabled=False, timing=0)
    assert offer(by_sms) is None and not Message.objects.exists()


def test_a_patient_who_opted_out_gets_nothing_and_follow_ups_need_consent(admin_user, by_sms):
    follow_up = dict(kind=Kind.FOLLOW_UP, patient=by_sms, values=lambda language: {})
    assert outbox.queue(event_key="f:1", **follow_up) is None
    services.set_preference(by=admin_user, patient=by_sms, data=services.PreferenceData(consent=True))
    assert outbox.queue(event_key="f:2", **follow_up) is not None
    services.set_preference(by=admin_user, patient=by_sms, data=services.PreferenceData(consent=True,
                                                                                        opted_out=True))
    assert offer(by_sms) is None
    history = by_sms.message_preference.history.order_by("history_id")
    assert [(row.consent, row.opted_out, row.history_user_id) for row in history] == [
        (True, False, admin_user.pk), (True, True, admin_user.pk)]


def test_the_preferred_channel_is_used_when_the_patient_has_its_address(admin_user, by_sms):
    type(by_sms).objects.filter(pk=by_sms.pk).update(email="dilnoza@example.uz")
    by_sms.refresh_from_db()
    services.set_preference(by=admin_user, patient=by_sms, data=services.PreferenceData(channel="email"))
    assert (offer(by_sms).channel, offer(by_sms, "offer:2").recipient) == ("email", "dilnoza@example.uz")


def test_a_message_due_in_quiet_hours_waits_until_they_end(admin_user, by_sms, clock):
    from datetime import time

    from django.utils import timezone

    services.set_quiet_hours(by=admin_user, start=time(21, 0), end=time(9, 30))  # the clock reads 9:00
    message = offer(by_sms)
    assert timezone.localtime(message.due_at).time() == time(9, 30)
    services.set_quiet_hours(by=admin_user, start=None, end=None)
    assert offer(by_sms, "offer:2").due_at == clock.now()


def test_staff_resend_and_cancel_follow_the_message_lifecycle(admin_user, receptionist, by_sms):
    message = offer(by_sms)
    with pytest.raises(DomainError):
        services.resend(by=receptionist, message=message)  # queued already
    assert services.cancel(by=receptionist, message=message).state == "cancelled"
    with pytest.raises(DomainError):
        services.cancel(by=receptionist, message=message)
    assert services.resend(by=receptionist, message=message).state == "queued"
