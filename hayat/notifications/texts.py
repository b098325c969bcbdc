"""The words of each kind of message in each language (Admin's, else the shipped default) and Admin's switches."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import override

from hayat.notifications.kinds import WORDINGS, Wording
from hayat.notifications.models import Channel, KindSetting, MessageTemplate
from hayat.notifications.templating import render_text


@dataclass(frozen=True)
class Texts:
    subject: str
    email_body: str
    sms_body: str


def wording(kind: str) -> Wording:
    return WORDINGS[kind]


def setting(kind: str) -> KindSetting:
    """Admin's setting of the kind, or the default (sent, at the shipped timing) as an unsaved row."""
    return KindSetting.objects.filter(kind=kind).first() or KindSetting(kind=kind, timing=WORDINGS[kind].timing)


def is_enabled(kind: str) -> bool:
    return setting(kind).enabled


def timing(kind: str) -> int:
    return setting(kind).timing


def shipped(kind: str, language: str) -> Texts:
    default = WORDINGS[kind]
    with override(language):
        return Texts(str(default.subject), str(default.email), str(default.sms))


def texts_for(kind: str, language: str) -> Texts:
    stored = MessageTemplate.objects.filter(kind=kind, language=language).first()
    if stored is None:
        return shipped(kind, language)
    return Texts(stored.subject, stored.email_body, stored.sms_body)


def render(kind: str, *, channel: str, language: str, values: dict[str, str],
           words: Texts | None = None) -> tuple[str, str]:
    """(subject, body) of the kind for the channel, in the language, with `values` (a preview passes `words`)."""
    words = words or texts_for(kind, language)
    allowed = WORDINGS[kind].variables
    body = words.email_body if channel == Channel.EMAIL else words.sms_body
    subject = render_text(words.subject, values=values, allowed=allowed) if channel == Channel.EMAIL else ""
    return subject, render_text(body, values=values, allowed=allowed)
