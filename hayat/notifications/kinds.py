"""What each kind of message says by default, which values its text may use, and what its timing means."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from hayat.notifications.models import Kind

COMMON = ("patient_name", "hospital", "hospital_phone")
BOOKING = (*COMMON, "booking_number", "arrival", "departure")


@dataclass(frozen=True)
class Wording:
    """A kind's shipped defaults: its texts (translated like every string), the values they may name, and its
    timing (`unit` says what the number counts; no unit: sent at once)."""

    subject: str
    email: str
    sms: str
    variables: tuple[str, ...]
    timing: int = 0
    unit: str = ""
    needs_consent: bool = False


DAYS_BEFORE_ARRIVAL = _("days before arrival")
HOURS_BEFORE_EXPIRY = _("hours before the hold runs out")
DAYS_AFTER_LEAVING = _("days after check-out or discharge")

WORDINGS: dict[str, Wording] = {
    Kind.BOOKING_CONFIRMED: Wording(
        subject=_("Your booking {{ booking_number }} is confirmed"),
        email=_("Dear {{ patient_name }},\n\nyour stay from {{ arrival }} to {{ departure }} is confirmed "
                "(booking {{ booking_number }}). The confirmation is attached.\n\n"
                "{{ hospital }}, {{ hospital_phone }}"),
        sms=_("{{ hospital }}: booking {{ booking_number }} confirmed, {{ arrival }} to {{ departure }}."),
        variables=BOOKING),
    Kind.ARRIVAL_REMINDER: Wording(
        subject=_("We expect you on {{ arrival }}"),
        email=_("Dear {{ patient_name }},\n\nwe look forward to welcoming you on {{ arrival }} "
                "(booking {{ booking_number }}).\n\n{{ hospital }}, {{ hospital_phone }}"),
        sms=_("{{ hospital }}: we expect you on {{ arrival }}, booking {{ booking_number }}."),
        variables=BOOKING, timing=1, unit=DAYS_BEFORE_ARRIVAL),
    Kind.RESERVATION_EXPIRING: Wording(
        subject=_("Your reservation {{ booking_number }} is about to expire"),
        email=_("Dear {{ patient_name }},\n\nyour reservation from {{ arrival }} to {{ departure }} is held until "
                "{{ hold_until }}. Pay the deposit to keep it.\n\n{{ hospital }}, {{ hospital_phone }}"),
        sms=_("{{ hospital }}: reservation {{ booking_number }} is held until {{ hold_until }}; pay the deposit "
              "to keep it."),
        variables=(*BOOKING, "hold_until"), timing=6, unit=HOURS_BEFORE_EXPIRY),
    Kind.PAYMENT_REMINDER: Wording(
        subject=_("Bill {{ bill_number }}: {{ balance }} due"),
        email=_("Dear {{ patient_name }},\n\nbill {{ bill_number }} still has {{ balance }} due. Please pay it at "
                "the desk or call us.\n\n{{ hospital }}, {{ hospital_phone }}"),
        sms=_("{{ hospital }}: bill {{ bill_number }} has {{ balance }} due. Call {{ hospital_phone }}."),
        variables=(*COMMON, "bill_number", "balance"), timing=7, unit=DAYS_AFTER_LEAVING),
    Kind.FOLLOW_UP: Wording(
        subject=_("How are you after your stay?"),
        email=_("Dear {{ patient_name }},\n\nwe hope you feel well after your stay. If anything troubles you, "
                "call us.\n\n{{ hospital }}, {{ hospital_phone }}"),
        sms=_("{{ hospital }}: we hope you feel well after your stay. Questions? Call {{ hospital_phone }}."),
        variables=COMMON, timing=3, unit=DAYS_AFTER_LEAVING, needs_consent=True),
    Kind.WAITLIST_OFFER: Wording(
        subject=_("A place is free for your stay"),
        email=_("Dear {{ patient_name }},\n\na place is free from {{ arrival }} to {{ departure }}. Call us to "
                "book it.\n\n{{ hospital }}, {{ hospital_phone }}"),
        sms=_("{{ hospital }}: a place is free from {{ arrival }} to {{ departure }}. Call {{ hospital_phone }} "
              "to book it."),
        variables=(*COMMON, "arrival", "departure")),
}
