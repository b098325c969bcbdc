"""Every write of the messages by staff: resending and cancelling a message, Admin's texts, switches, timings and
quiet hours, and a patient's choices. The worker's own writes (claims, answers) are in outbox.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hayat.core import audit, clock, policy
from hayat.core.errors import Conflict, DomainError
from hayat.core.lifecycle import Lifecycle
from hayat.notifications import texts
from hayat.notifications.kinds import WORDINGS
from hayat.notifications.models import (
    Channel,
    KindSetting,
    Message,
    MessageTemplate,
    Preference,
    QuietHours,
    State,
)
from hayat.notifications.quiet import next_allowed
from hayat.notifications.templating import compile_text
from hayat.patients.models import Patient

# What staff may do to a message; the worker moves queued messages to sent or failed by itself.
MESSAGE = Lifecycle(gettext_lazy("message"), {
    State.QUEUED: {State.CANCELLED},
    State.FAILED: {State.QUEUED},
    State.CANCELLED: {State.QUEUED},
    State.SENT: {State.QUEUED},
}, dict(State.choices))
MAX_TIMING = 365


def locked(message: Message) -> Message:
    message = Message.objects.select_for_update().get(pk=message.pk)
    if message.claimed_until and message.claimed_until > clock.now():
        raise Conflict(_("This message is being sent right now; try again in a minute."), code="message_sending")
    return message


@transaction.atomic
def resend(*, by, message: Message) -> Message:
    """Queues a failed, cancelled or sent message again, due now (or when the quiet hours end)."""
    policy.ensure(by, "messages.send")
    message = locked(message)
    MESSAGE.check(message.state, State.QUEUED)
    before = message.state
    message.state, message.attempts, message.due_at, message.changed_by = (
        State.QUEUED, 0, next_allowed(clock.now()), by)
    message.save(update_fields=["state", "attempts", "due_at", "changed_by"])
    audit.record("message.resend", by=by, obj=message, patient_id=message.patient_id,
                 changes={"state": [before, State.QUEUED]})
    return message


@transaction.atomic
def cancel(*, by, message: Message) -> Message:
    policy.ensure(by, "messages.send")
    message = locked(message)
    MESSAGE.check(message.state, State.CANCELLED)
    message.state, message.changed_by = State.CANCELLED, by
    message.save(update_fields=["state", "changed_by"])
    audit.record("message.cancel", by=by, obj=message, patient_id=message.patient_id,
                 changes={"state": [State.QUEUED, State.CANCELLED]})
    return message


@dataclass(frozen=True)
class TemplateData:
    subject: str
    email_body: str
    sms_body: str


def check_kind(kind: str) -> None:
    if kind not in WORDINGS:
        raise DomainError(_("Choose a kind of message."), field="kind")


def check_language(language: str) -> None:
    if language not in dict(settings.LANGUAGES):
        raise DomainError(_("Choose a language."), field="language")


def check_texts(kind: str, data: TemplateData) -> None:
    """Refuses empty texts, and texts that use a tag or a value the kind does not have."""
    allowed = WORDINGS[kind].variables
    for field, text in (("subject", data.subject), ("email_body", data.email_body), ("sms_body", data.sms_body)):
        if not text.strip():
            raise DomainError(_("Write this text."), field=field)
        compile_text(text, allowed=allowed, field=field)


@transaction.atomic
def save_template(*, by, kind: str, language: str, data: TemplateData) -> MessageTemplate:
    """Admin's wording of a kind in a language; used for every message queued from now on."""
    policy.ensure(by, "messages.settings")
    check_kind(kind)
    check_language(language)
    data = TemplateData(data.subject.strip()[:200], data.email_body.strip(), data.sms_body.strip())
    check_texts(kind, data)
    template = MessageTemplate.objects.select_for_update().filter(kind=kind, language=language).first()
    before = audit.snapshot(template, ("subject", "email_body", "sms_body")) if template else {}
    template = template or MessageTemplate(kind=kind, language=language)
    template.subject, template.email_body, template.sms_body = data.subject, data.email_body, data.sms_body
    template.updated_by = by
    template.save()
    audit.record("message.template", by=by, obj=template,
                 changes=audit.changes_between(before, audit.snapshot(template, ("subject", "email_body",
                                                                                  "sms_body"))))
    return template


@transaction.atomic
def reset_template(*, by, kind: str, language: str) -> None:
    """Goes back to the shipped wording of the kind in the language."""
    policy.ensure(by, "messages.settings")
    check_kind(kind)
    removed = MessageTemplate.objects.filter(kind=kind, language=language)
    for template in removed:
        audit.record("message.template_reset", by=by, obj=template, changes={"subject": [template.subject, None]})
    removed.delete()


def preview(*, kind: str, language: str, data: TemplateData, channel: str) -> tuple[str, str]:
    """What a message of the kind would say with these texts, with sample values; refuses what saving refuses."""
    check_kind(kind)
    check_texts(kind, data)
    sample = {name: f"[{name}]" for name in WORDINGS[kind].variables}
    return texts.render(kind, channel=channel, language=language, values=sample,
                        words=texts.Texts(data.subject, data.email_body, data.sms_body))


@transaction.atomic
def set_kind(*, by, kind: str, enabled: bool, timing: int) -> KindSetting:
    """Switches a kind on or off and sets its timing (see `kinds.Wording.unit`)."""
    policy.ensure(by, "messages.settings")
    check_kind(kind)
    if not 0 <= timing <= MAX_TIMING:
        raise DomainError(_("Between 0 and %(max)d.") % {"max": MAX_TIMING}, field="timing")
    setting = KindSetting.objects.select_for_update().filter(kind=kind).first() or texts.setting(kind)
    before = {"enabled": setting.enabled, "timing": setting.timing}
    setting.enabled, setting.timing, setting.updated_by = enabled, timing, by
    setting.save()
    audit.record("message.kind", by=by, obj=setting,
                 changes=audit.changes_between(before, {"enabled": enabled, "timing": timing}))
    return setting


@transaction.atomic
def set_quiet_hours(*, by, start: time | None, end: time | None) -> QuietHours | None:
    """Sets the quiet hours, or removes them when either end is empty."""
    policy.ensure(by, "messages.settings")
    current = QuietHours.objects.select_for_update().first()
    before = {"start": str(current.start), "end": str(current.end)} if current else {}
    if start is None or end is None:
        QuietHours.objects.all().delete()
        audit.record("message.quiet_hours", by=by, changes=audit.changes_between(before, {"start": None,
                                                                                       "end": None}))
        return None
    hours = current or QuietHours()
    hours.start, hours.end, hours.updated_by = start, end, by
    hours.save()
    audit.record("message.quiet_hours", by=by, obj=hours,
                 changes=audit.changes_between(before, {"start": str(start), "end": str(end)}))
    return hours


@dataclass(frozen=True)
class PreferenceData:
    channel: str = ""
    language: str = ""
    consent: bool = False
    opted_out: bool = False


FIELDS = ("channel", "language", "consent", "opted_out")


@transaction.atomic
def set_preference(*, by, patient: Patient, data: PreferenceData) -> Preference:
    """The patient's choices about messages, kept with who changed them (history and audit)."""
    policy.ensure(by, "patients.edit")
    if data.channel not in ("", *Channel.values):
        raise DomainError(_("Choose a channel."), field="channel")
    if data.language:
        check_language(data.language)
    preference = (Preference.objects.select_for_update().filter(patient=patient).first()
                  or Preference(patient=patient))
    before = audit.snapshot(preference, FIELDS) if preference.pk else {}
    for field in FIELDS:
        setattr(preference, field, getattr(data, field))
    preference.updated_by = by
    preference._history_user = by
    preference.save()
    audit.record("message.preference", by=by, obj=preference, patient_id=patient.pk,
                 changes=audit.changes_between(before, audit.snapshot(preference, FIELDS)))
    return preference
