"""The timetable follows the stay: stays sends its signals inside its use cases' transactions, and never imports
treatment (docs/adr/0016)."""

from __future__ import annotations

from hayat.stays.models import FINISHED
from hayat.treatment import planning


def on_booking_status_changed(sender, booking, from_status, to_status, by, **kwargs) -> None:
    """A cancelled, missed or finished stay keeps no session still to come."""
    if to_status in FINISHED and from_status:
        planning.follow_stay(booking, by=by, ended=True)


def on_booking_changed(sender, booking, by, **kwargs) -> None:
    """New dates, an early departure or a guest gone: sessions the stay no longer covers are planned again in it."""
    if booking.status not in FINISHED:
        planning.follow_stay(booking, by=by, ended=False)


def on_guest_period_changed(sender, booking, patient_id, tariff_changed, by, **kwargs) -> None:
    """Another room or tariff: a new tariff's included sessions are proposed and what is missing is planned."""
    planning.follow_guest(booking, patient_id=patient_id, tariff_changed=tariff_changed, by=by)
