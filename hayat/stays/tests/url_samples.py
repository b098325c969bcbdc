from datetime import timedelta

from hayat.core import clock
from hayat.core.roles import Role
from hayat.stays import sessions
from hayat.stays.models import IllnessHistory, WaitlistEntry, WizardDraft
from hayat.stays.tests.factories import PatientFactory, book, make_room, make_tariff
from hayat.stays.tests.stay_factories import checked_in, make_service, signature_png


def samples(personas: dict) -> dict[str, dict]:
    receptionist = personas[Role.RECEPTIONIST]
    start = clock.today() + timedelta(days=30)
    room = make_room("Stays-901", beds=2)
    tariff = make_tariff("Stays sample tariff")
    booking = book(receptionist, guests=[(PatientFactory(), room, tariff), (PatientFactory(), room, tariff)],
                   start=start)
    line = booking.lines.order_by("id").first()
    draft = WizardDraft.objects.create(
        user=receptionist, start_date=start, end_date=start + timedelta(days=2), guest_count=1,
        slots=[{"room": room.pk, "bed": None, "patient": PatientFactory().pk, "tariff": tariff.pk}])
    booking_kwargs = {"pk": booking.pk}
    draft_kwargs = {"token": draft.token}
    in_house = checked_in(receptionist, personas[Role.DOCTOR], guests=[(PatientFactory(), make_room("Stays-902"),
                                                                        tariff)], start=clock.today(),
                          signature=signature_png())
    history_kwargs = {"pk": IllnessHistory.objects.get(booking=in_house).pk}
    usage = sessions.record_extra_service(by=receptionist, booking=in_house, service=make_service("Stays sample extra"),
                                          patient=in_house.lines.get().patient)
    usage_kwargs = {"pk": in_house.pk, "usage_pk": usage.pk}
    entry = WaitlistEntry.objects.create(patient=PatientFactory(), start_date=start, end_date=start + timedelta(days=3))
    return {
        **{f"stays:{name}": booking_kwargs for name in (
            "booking_detail", "booking_dates", "booking_details", "booking_status", "booking_cancel", "booking_move",
            "guest_add")},
        "stays:guest_edit": {"pk": booking.pk, "line_pk": line.pk},
        "stays:booking_revert": {"pk": booking.pk, "history_id": booking.history.earliest("history_date").history_id},
        "stays:guest_remove": {"pk": booking.pk, "line_pk": line.pk},
        **{f"stays:wizard_{step}": draft_kwargs for step in ("dates", "rooms", "matrix", "guests", "confirm",
                                                            "discard")},
        **{f"booking-{name}": booking_kwargs for name in (
            "detail", "dates", "details", "transition", "cancel", "move", "guests")},
        "booking-guest-line": {"pk": booking.pk, "line_pk": line.pk},
        **{name: booking_kwargs for name in ("stays:reservation_hold", "booking-hold")},
        **{name: {"pk": entry.pk} for name in ("stays:waitlist_cancel", "stays:waitlist_convert",
                                               "stays:waitlist_called", "waitlist-cancel", "waitlist-book",
                                               "waitlist-called")},
        "stays:mid_stay_change": {"pk": booking.pk, "line_pk": line.pk},
        "booking-guest-change": {"pk": booking.pk, "line_pk": line.pk},
        "stays:check_in": booking_kwargs,
        "booking-check-in": booking_kwargs,
        "stays:check_out": {"pk": in_house.pk},
        "stays:check_in_signature": {"pk": in_house.pk},
        "stays:guest_leave": {"pk": in_house.pk, "line_pk": in_house.lines.first().pk},
        "booking-check-out": {"pk": in_house.pk},
        **{name: {"pk": in_house.pk} for name in ("stays:session_done", "stays:extra_service", "stays:booking_usages",
                                                   "booking-sessions", "booking-extra-service")},
        **{name: usage_kwargs for name in ("stays:usage_undo", "booking-usage-undo")},
        **{f"stays:illness_{name}": history_kwargs for name in ("detail", "state", "team")},
        **{f"illness-history-{name}": history_kwargs for name in ("detail", "state", "care-team")},
        **{f"stays:record_{name}": history_kwargs for name in ("edit", "diagnosis", "examination", "diary",
                                                               "epicrisis")},
        **{name: history_kwargs for name in ("medical-record", "medical-record-diagnosis",
                                             "medical-record-examination", "medical-record-diary",
                                             "medical-record-epicrisis")},
    }
