"""Where messages follow the events of lower apps: receivers of their signals, run inside the transaction of the
change, so a message is queued exactly when its cause commits. Connected in NotificationsConfig.ready()."""

from __future__ import annotations

from hayat.core.formats import format_date
from hayat.notifications import events
from hayat.notifications.models import Kind
from hayat.notifications.outbox import cancel_queued, queue

CONFIRMED = "confirmed"
RESERVATION = "reservation"
# A booking that ends in these will not happen: what was announced about it is withdrawn.
CALLED_OFF = frozenset({"cancelled", "no_show", "expired"})


def on_booking_status_changed(sender, *, booking, from_status, to_status, by=None, **kwargs) -> None:
    if to_status == CONFIRMED:
        events.booking_confirmed(booking)
    if from_status == RESERVATION and to_status != RESERVATION:
        cancel_queued(event_prefix=events.booking_prefix(booking, Kind.RESERVATION_EXPIRING))
    if to_status in CALLED_OFF:
        cancel_queued(event_prefix=events.booking_prefix(booking))


def on_waitlist_place_offered(sender, *, entry, **kwargs) -> bool:
    """Queues the offer; True when a message will go (the stays app then waits for no call from the desk)."""
    message = queue(kind=Kind.WAITLIST_OFFER, event_key=f"waitlist:{entry.pk}:offer:{entry.notified_at:%Y%m%d%H%M%S}",
                    patient=entry.patient, values=lambda language: {
                        "arrival": format_date(entry.start_date, language),
                        "departure": format_date(entry.end_date, language)})
    return message is not None
