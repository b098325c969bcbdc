"""E-mail through the hospital's mail server, with Django's SMTP backend (EMAIL_HOST, EMAIL_PORT, ...)."""

from __future__ import annotations

import smtplib

from django.conf import settings
from django.core.mail import EmailMessage, get_connection

from hayat.notifications.channels import GatewayError, Outgoing

SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


class SmtpGateway:
    def send(self, outgoing: Outgoing) -> str:
        connection = get_connection(SMTP_BACKEND, fail_silently=False, timeout=settings.HAYAT_MESSAGE_TIMEOUT)
        email = EmailMessage(outgoing.subject, outgoing.body, settings.DEFAULT_FROM_EMAIL, [outgoing.recipient],
                             connection=connection)
        for attachment in outgoing.attachments:
            email.attach(attachment.filename, attachment.content, attachment.mimetype)
        try:
            email.send()
        except (TimeoutError, smtplib.SMTPException, OSError) as error:
            raise GatewayError(f"{type(error).__name__}: {error}") from error
        return f"accepted by {settings.EMAIL_HOST}:{settings.EMAIL_PORT}"
