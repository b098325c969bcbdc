"""E-mail leaves through a real SMTP server started by the test, with the booking confirmation attached."""

import email
import email.policy

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message as MessageHandler

from hayat.notifications import outbox
from hayat.notifications.models import Message, State
from hayat.stays.models import Booking

pytestmark = pytest.mark.django_db
SMTP_PORT = 8631


class Mailbox(MessageHandler):
    def __init__(self):
        super().__init__(message_class=email.message.EmailMessage)
        self.received: list = []

    def handle_message(self, message) -> None:
        self.received.append(message)


@pytest.fixture
def smtp_server(settings):
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=SMTP_PORT)
    controller.start()
    settings.HAYAT_MESSAGE_GATEWAYS = {"email": "smtp", "sms": "log"}
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", SMTP_PORT, False
    settings.DEFAULT_FROM_EMAIL = "desk@hayat.example"
    yield mailbox
    controller.stop()


def test_a_booking_confirmation_arrives_by_smtp_with_its_pdf(make_booking, by_email, smtp_server):
    booking = make_booking(by_email)
    assert outbox.send_due() == {"sent": 1}
    [arrived] = smtp_server.received
    assert (arrived["To"], arrived["From"]) == ("maria@example.org", "desk@hayat.example")
    assert arrived["Subject"] == f"Your booking {booking.number} is confirmed"
    parsed = email.message_from_bytes(arrived.as_bytes(), policy=email.policy.default)
    text = parsed.get_body(preferencelist=("plain",)).get_content()
    assert "Dear Santos Maria" in text and booking.number in text
    [attachment] = list(parsed.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == f"booking-confirmation-{booking.number}.pdf"
    assert attachment.get_content().startswith(b"%PDF")
    message = Message.objects.get()
    assert message.state == State.SENT and "127.0.0.1" in message.answer


def test_the_booking_is_made_while_the_mail_server_is_down_and_the_message_waits(make_booking, by_email,
                                                                                   settings):
    settings.HAYAT_MESSAGE_GATEWAYS = {"email": "smtp", "sms": "log"}
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", SMTP_PORT  # nothing listens
    booking = make_booking(by_email)
    assert outbox.send_due() == {"retry": 1}
    assert Booking.objects.filter(pk=booking.pk).exists()
    message = Message.objects.get()
    assert message.state == State.QUEUED and "ConnectionRefusedError" in message.answer
