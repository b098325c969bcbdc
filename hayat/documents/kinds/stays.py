"""The sanatorium's papers of a booking: the confirmation letter, the welcome packet and the room assignment slip
(one page per guest), the treatment schedule, the consent to treatment signed at check-in, and the check-out summary
of a guest's illness history."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop, ngettext
from reportlab.platypus import Flowable, PageBreak

from hayat.core.formats import format_date, format_datetime, format_money, format_period
from hayat.documents.kind import Kind
from hayat.documents.kinds.common import doctor_name, patient_rows
from hayat.documents.layout import (
    Sheet,
    facts,
    facts_section,
    grid,
    heading,
    paragraphs,
    signature_lines,
    signed_picture,
    styles,
    text,
    writing_lines,
)
from hayat.documents.models import Letterhead
from hayat.stays import sessions
from hayat.stays.medical import selectors as medical_selectors
from hayat.stays.models import Booking, BookingStatus, GuestLine, IllnessHistory, UsageKind
from hayat.treatment.selectors import timetable


def queryset():
    lines = Prefetch("lines", queryset=GuestLine.objects.filter(removed_at__isnull=True)
                     .select_related("patient", "room__building", "room__room_type", "bed", "tariff")
                     .order_by("start_date", "id"))
    return Booking.objects.select_related("check_in__doctor").prefetch_related(lines)


def guests_of(booking: Booking) -> list[int]:
    return list(dict.fromkeys(line.patient_id for line in booking.kept_lines()))


def room_label(line: GuestLine) -> str:
    room = line.room
    parts = [_("room %(room)s") % {"room": room.name}, str(line.bed) if line.bed_id else "",
             _("floor %(floor)s") % {"floor": room.floor}, room.building.name]
    return ", ".join(part for part in parts if part)


def stay_rows(booking: Booking) -> list[tuple[str, str]]:
    return [(_("Booking"), booking.number), (_("Status"), BookingStatus(booking.status).label),
            (_("Stay"), format_period(booking.start_date, booking.end_date)),
            (_("Nights"), str(booking.nights)),
            (_("Held until"), format_datetime(booking.hold_until) if booking.status == BookingStatus.RESERVATION
             else "")]


def guest_table(booking: Booking) -> Flowable:
    return grid([_("Guest"), _("Room"), _("Tariff"), _("Dates"), _("Price per day"), _("Amount")],
                [[line.patient.full_name, room_label(line), line.tariff.name,
                  format_period(line.start_date, line.end_date), format_money(line.price_per_day),
                  format_money(line.total)] for line in booking.kept_lines()],
                widths=[0.2, 0.22, 0.16, 0.16, 0.13, 0.13], numeric=(4, 5),
                totals=[["", "", "", "", _("Total"), format_money(booking.total)]])


def contacts() -> Flowable:
    head = Letterhead.current()
    return facts([(_("Address"), head.address), (_("Phone"), head.phone), (_("Email"), head.email)])


def compose_confirmation(booking: Booking) -> Sheet:
    first = booking.kept_lines()[0].patient if booking.kept_lines() else None
    greeting = _("Dear %(name)s,") % {"name": first.full_name} if first else ""
    story: list[Flowable] = [
        *paragraphs(greeting),
        *paragraphs(_("we are pleased to confirm your booking. Please bring an identity document and this letter "
                      "on the day of arrival.")),
        heading(_("Your stay")), facts(stay_rows(booking), columns=2),
        heading(_("Guests and rooms")), guest_table(booking),
        *([heading(_("Notes")), *paragraphs(booking.notes)] if booking.notes else []),
        heading(_("Contacts")), contacts(),
    ]
    return Sheet(title=_("Booking confirmation"), reference=booking.number, story=story)


def per_guest(booking: Booking, page: Callable[[Booking, GuestLine], list[Flowable]]) -> list[Flowable]:
    """One page per guest (their first line in the booking), pages separated by page breaks."""
    firsts = {}
    for line in booking.kept_lines():
        firsts.setdefault(line.patient_id, line)
    story: list[Flowable] = []
    for index, line in enumerate(firsts.values()):
        if index:
            story.append(PageBreak())
        story += page(booking, line)
    return story


def welcome_page(booking: Booking, line: GuestLine) -> list[Flowable]:
    head = Letterhead.current()
    check_in = getattr(booking, "check_in", None)
    story: list[Flowable] = [
        *paragraphs(_("Welcome, %(name)s!") % {"name": line.patient.full_name}),
        heading(_("Your room")),
        facts([(_("Room"), room_label(line)), (_("Stay"), format_period(line.start_date, line.end_date)),
               (_("Tariff"), line.tariff.name),
               (_("Your doctor"), doctor_name(check_in.doctor) if check_in is not None else "")]),
    ]
    if head.meal_times:
        story += [heading(_("Meal times")), *paragraphs(head.meal_times)]
    story += [heading(_("Your treatments")), *treatment_table(booking, line.patient)]
    if head.house_rules:
        story += [heading(_("House rules")), *paragraphs(head.house_rules)]
    story += [heading(_("Contacts")), contacts()]
    return story


def compose_welcome(booking: Booking) -> Sheet:
    return Sheet(title=_("Welcome packet"), reference=booking.number, story=per_guest(booking, welcome_page))


def slip_page(booking: Booking, line: GuestLine) -> list[Flowable]:
    room = line.room
    return [
        facts([(_("Guest"), line.patient.full_name), (_("Patient code"), line.patient.code),
               (_("Booking"), booking.number), (_("Room"), room.name), (_("Bed"), str(line.bed or "")),
               (_("Room type"), room.room_type.name), (_("Floor"), str(room.floor)),
               (_("Building"), room.building.name),
               (_("Arrival"), format_date(line.start_date)), (_("Departure"), format_date(line.end_date))]),
        signature_lines([_("Receptionist"), _("Guest")]),
    ]


def compose_slip(booking: Booking) -> Sheet:
    return Sheet(title=_("Room assignment slip"), reference=booking.number, story=per_guest(booking, slip_page))


def consent_signature(booking: Booking) -> Flowable:
    """The signature the guest drew at check-in, or lines to sign on paper."""
    check_in = getattr(booking, "check_in", None)
    if check_in is None or not check_in.signature:
        return signature_lines([_("Guest"), _("Receptionist")])
    return signed_picture(bytes(check_in.signature),
                          _("Guest, signed at check-in on %(moment)s") % {"moment": format_datetime(check_in.at)})


def compose_consent(booking: Booking) -> Sheet:
    guests = list(dict.fromkeys(line.patient for line in booking.kept_lines()))
    story: list[Flowable] = [
        facts([(_("Booking"), booking.number), (_("Stay"), format_period(booking.start_date, booking.end_date)),
               (_("Guests"), ", ".join(f"{patient.full_name} ({patient.code})" for patient in guests))]),
        heading(_("Consent to treatment")),
        *paragraphs(_("I agree to the examinations and treatments my doctor prescribes during this stay. I was told "
                      "about the treatments included in my tariff and about the house rules. I may ask my doctor "
                      "about any treatment before it is given, and refuse it.")),
        consent_signature(booking),
    ]
    return Sheet(title=_("Consent to treatment"), reference=booking.number, story=story)


def treatment_table(booking: Booking, patient) -> list[Flowable]:
    planned = timetable(booking, patient)
    if planned:
        return [grid([_("When"), _("Treatment"), _("Place"), _("Therapist")],
                     [[format_datetime(when), service, place, therapist]
                      for when, service, place, therapist in planned],
                     widths=[0.22, 0.38, 0.2, 0.2])]
    counts = [count for count in sessions.session_board(booking) if count.patient.pk == patient.pk]
    if not counts:
        return paragraphs(_("No treatments are included in the tariff."))
    return [grid([_("Treatment"), _("Included"), _("Received"), _("Remaining")],
                 [[count.service.name, str(count.included), str(count.used), str(count.remaining)] for count in counts],
                 widths=[0.55, 0.15, 0.15, 0.15], numeric=(1, 2, 3))]


def schedule_page(booking: Booking, line: GuestLine) -> list[Flowable]:
    received = [usage for usage in sessions.usages_of(booking) if usage.patient_id == line.patient_id]
    story: list[Flowable] = [
        facts([(_("Guest"), line.patient.full_name), (_("Room"), room_label(line)),
               (_("Stay"), format_period(line.start_date, line.end_date)), (_("Tariff"), line.tariff.name)]),
        heading(_("Treatments")), *treatment_table(booking, line.patient),
    ]
    if received:
        story += [heading(_("Sessions received")), grid(
            [_("Date"), _("Treatment"), _("Kind"), _("Sessions")],
            [[format_date(usage.used_on), usage.service.name, UsageKind(usage.kind).label, str(usage.quantity)]
             for usage in reversed(received)], widths=[0.2, 0.45, 0.23, 0.12], numeric=(3,))]
    return story


def compose_schedule(booking: Booking) -> Sheet:
    return Sheet(title=_("Treatment schedule"), reference=booking.number, story=per_guest(booking, schedule_page))


def illness_queryset():
    return IllnessHistory.objects.select_related(
        "patient", "doctor", "booking", "initial_diagnosis", "arrival_diagnosis", "final_diagnosis",
        "examination", "epicrisis")


def diagnosis_rows(history: IllnessHistory) -> list[tuple[str, str]]:
    return [(label, str(code) if code is not None else "") for label, code in (
        (_("Initial"), history.initial_diagnosis), (_("On arrival"), history.arrival_diagnosis),
        (_("Final"), history.final_diagnosis))]


def epicrisis_story(history: IllnessHistory) -> list[Flowable]:
    """The doctor's epicrisis, or lines to write the recommendations by hand when none was written."""
    epicrisis = getattr(history, "epicrisis", None)
    if epicrisis is None:
        return [heading(_("Recommendations")), writing_lines(5)]
    sick_leave = (format_period(epicrisis.sick_leave_from, epicrisis.sick_leave_to)
                  if epicrisis.sick_leave_from else "")
    story: list[Flowable] = [heading(_("Epicrisis"))]
    for title, value in ((_("Course of the stay"), epicrisis.course),
                         (_("Procedures received"), epicrisis.procedures), (_("Results"), epicrisis.results),
                         (_("Recommendations"), epicrisis.recommendations)):
        if value:
            story += [text(title, styles().label), *paragraphs(value)]
    return [*story, facts([(_("Sick leave"), sick_leave)])] if sick_leave else story


def compose_checkout(history: IllnessHistory) -> Sheet:
    booking = history.booking
    treatments = medical_selectors.received_treatments(history)
    examination = getattr(history, "examination", None)
    arrival = [(_("Complaints"), examination.complaints if examination else history.complaints),
               (_("Blood pressure"), f"{history.systolic}/{history.diastolic}" if history.systolic else ""),
               (_("Pulse"), history.pulse), (_("Temperature"), history.temperature)]
    diagnoses = diagnosis_rows(history)
    story: list[Flowable] = [
        facts(patient_rows(history.patient), columns=2), heading(_("Stay")),
        facts([(_("Illness history"), history.number), (_("Booking"), booking.number),
               (_("Stay"), format_period(history.opened_at or booking.start_date,
                                         history.closed_at or booking.end_date)),
               (_("Type"), history.get_kind_display()), (_("Doctor"), doctor_name(history.doctor))], columns=2),
        *facts_section(_("On arrival"), arrival),
        heading(_("Diagnoses")),
        *([facts(diagnoses)] if any(code for _label, code in diagnoses)
          else paragraphs(_("No diagnosis was recorded during the stay."))),
        heading(_("Treatments received")),
    ]
    if treatments:
        story.append(grid([_("Treatment"), _("Sessions")],
                          [[treatment.name, str(treatment.sessions)] for treatment in treatments],
                          widths=[0.8, 0.2], numeric=(1,)))
    else:
        story += paragraphs(_("No treatment sessions were recorded."))
    total = sum(treatment.sessions for treatment in treatments)
    story += [*paragraphs(ngettext("%(count)s session in all.", "%(count)s sessions in all.", total)
                          % {"count": total}),
              *epicrisis_story(history),
              signature_lines(Letterhead.current().signatures or [_("Doctor")])]
    return Sheet(title=_("Check-out summary"), reference=history.number, story=story)


BOOKING_CONFIRMATION = Kind(
    slug="booking-confirmation", label=gettext_lazy("Booking confirmation"),
    access_label=gettext_noop("booking confirmation"), capability="stays.view", queryset=queryset,
    patient_ids=guests_of, compose=compose_confirmation)
WELCOME_PACKET = Kind(
    slug="welcome-packet", label=gettext_lazy("Welcome packet"), access_label=gettext_noop("welcome packet"),
    capability="stays.view", queryset=queryset, patient_ids=guests_of, compose=compose_welcome)
ROOM_SLIP = Kind(
    slug="room-slip", label=gettext_lazy("Room assignment slip"),
    access_label=gettext_noop("room assignment slip"), capability="stays.view", queryset=queryset,
    patient_ids=guests_of, compose=compose_slip)
CONSENT = Kind(
    slug="consent", label=gettext_lazy("Consent to treatment"), access_label=gettext_noop("consent to treatment"),
    capability="stays.view", queryset=queryset, patient_ids=guests_of, compose=compose_consent)
TREATMENT_SCHEDULE = Kind(
    slug="treatment-schedule", label=gettext_lazy("Treatment schedule"),
    access_label=gettext_noop("treatment schedule"), capability="stays.view", queryset=queryset,
    patient_ids=guests_of, compose=compose_schedule)
CHECKOUT_SUMMARY = Kind(
    slug="checkout-summary", label=gettext_lazy("Check-out summary"), access_label=gettext_noop("check-out summary"),
    capability="stays.illness_history_view", queryset=illness_queryset,
    patient_ids=lambda history: [history.patient_id], compose=compose_checkout)
