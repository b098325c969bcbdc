"""The booking wizard's state on the server: a draft per booking in progress, re-checked at every step.

Steps: (1) dates and the number of guests, (2) a place per guest from the live availability of the rooms for
sanatorium stays, priced per night for a tariff chosen there (the guests' tariff unless changed), (3) a patient
and a tariff per guest, (4) the summary with prices, then the booking. The browser only sends choices;
each is validated here again, and the booking itself goes through services.create_booking, which checks
everything once more under locks. Going back keeps every choice. A draft whose places were taken meanwhile
says so and leads back to step 2 instead of failing at the end.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from uuid import UUID

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hayat.catalog.courses import is_shorter_than_course
from hayat.catalog.models import SessionBasis, Tariff
from hayat.catalog.pricing import price_for, price_grid
from hayat.core import clock, policy
from hayat.core.errors import DomainError
from hayat.core.money import format_money, round_money
from hayat.core.params import id_from
from hayat.facilities.models import Bed, Room
from hayat.patients.models import Patient
from hayat.stays import lifecycle, rules, services
from hayat.stays.errors import NoLongerAvailable
from hayat.stays.models import Booking, BookingSource, WizardDraft
from hayat.stays.places import Claim, PlaceOption, ensure_free, parse_place
from hayat.stays.services import MAX_GUESTS, BookingData, GuestChoice, Period

LIFETIME = timedelta(days=2)
STEPS = ("dates", "rooms", "guests", "confirm")


def empty_slot() -> dict:
    return {"room": None, "bed": None, "patient": None, "tariff": None}


@transaction.atomic
def start(*, by, start_date: date, end_date: date, guest_count: int) -> WizardDraft:
    """A new draft after checking the dates; drafts untouched for two days are dropped on the way."""
    policy.ensure(by, "stays.book")
    check_dates_and_count(start_date, end_date, guest_count)
    WizardDraft.objects.filter(updated_at__lt=clock.now() - LIFETIME).delete()
    return WizardDraft.objects.create(user=by, start_date=start_date, end_date=end_date, guest_count=guest_count,
                                      slots=[empty_slot() for _ in range(guest_count)])


def find(*, by, token: UUID | str) -> WizardDraft | None:
    """The user's own draft, or None when it expired, was booked already or belongs to someone else."""
    try:
        draft = WizardDraft.objects.filter(token=token, user=by).first()
    except (ValueError, TypeError):
        return None
    if draft is None or draft.updated_at < clock.now() - LIFETIME:
        return None
    return draft


def open_drafts(*, by) -> list[WizardDraft]:
    return list(WizardDraft.objects.filter(user=by, updated_at__gte=clock.now() - LIFETIME).order_by("-updated_at")[:5])


@transaction.atomic
def set_dates(*, draft: WizardDraft, start_date: date, end_date: date, guest_count: int) -> WizardDraft:
    """New dates or another number of guests; the choices made for the first guests stay."""
    check_dates_and_count(start_date, end_date, guest_count)
    slots = [dict(slot) for slot in draft.slots or []][:guest_count]
    slots += [empty_slot() for _ in range(guest_count - len(slots))]
    draft.start_date, draft.end_date, draft.guest_count, draft.slots = start_date, end_date, guest_count, slots
    draft.save()
    return draft


def offered_tariff(draft: WizardDraft, tariff_id) -> Tariff | None:
    """The tariff the room step prices for: the one asked for if it is on offer, else the first guest's."""
    tariffs = Tariff.objects.filter(is_active=True)
    chosen = id_from(tariff_id)
    if chosen is not None:
        return tariffs.filter(pk=chosen).first()
    first = next((slot.get("tariff") for slot in draft.slots or [] if slot.get("tariff")), None)
    return tariffs.filter(pk=first).first() if first else None


def priced(options: list[PlaceOption], tariff: Tariff | None) -> list[PlaceOption]:
    """The places with their price per night for the tariff (the room's base price without one), in the label too:
    one query."""
    grid = price_grid([tariff]) if tariff is not None else {}
    result = []
    for option in options:
        price = price_for(tariff, option.room, grid=grid)
        label = _("%(place)s · %(price)s per night") % {"place": option.label, "price": format_money(price)}
        result.append(replace(option, label=label, price=price))
    return result


def course_warning(tariff: Tariff | None, nights: int) -> str:
    """What to tell the desk when the stay is shorter than the tariff's course, or ""."""
    if tariff is None or not is_shorter_than_course(length_days=tariff.length_days, days=nights):
        return ""
    if tariff.sessions_basis == SessionBasis.PER_DAY:
        return ngettext("%(tariff)s is a course of %(length)d days; this stay has %(nights)d night.",
                        "%(tariff)s is a course of %(length)d days; this stay has %(nights)d nights.", nights) % {
            "tariff": tariff, "length": tariff.length_days, "nights": nights}
    return ngettext("%(tariff)s is a course of %(length)d days; this stay has %(nights)d night, so its package "
                    "includes a prorated share of the sessions.",
                    "%(tariff)s is a course of %(length)d days; this stay has %(nights)d nights, so its package "
                    "includes a prorated share of the sessions.", nights) % {
        "tariff": tariff, "length": tariff.length_days, "nights": nights}


@transaction.atomic
def set_places(*, draft: WizardDraft, places: list[str], tariff: Tariff | None = None) -> WizardDraft:
    """One place per guest ("r<room id>" or "b<bed id>"); refused unless they all fit together right now.
    The tariff the places were priced for becomes the tariff of guests who have none yet."""
    if len(places) != draft.guest_count:
        raise DomainError(_("Choose a room for every guest."))
    chosen = []
    for index, value in enumerate(places):
        place = parse_place(value)
        if place is None:
            raise DomainError(_("Choose a room for guest %(number)d.") % {"number": index + 1},
                              field=f"place_{index}")
        chosen.append(place)
    beds = [bed.pk for _room, bed in chosen if bed is not None]
    if len(beds) != len(set(beds)):
        raise DomainError(_("The same bed is chosen for two guests."))
    ensure_free([Claim(room, bed, draft.start_date, draft.end_date) for room, bed in chosen])
    slots = [dict(slot) for slot in draft.slots]
    for slot, (room, bed) in zip(slots, chosen, strict=True):
        slot["room"], slot["bed"] = room.pk, bed.pk if bed else None
        if tariff is not None and not slot.get("tariff"):
            slot["tariff"] = tariff.pk
    draft.slots = slots
    draft.save()
    return draft


@transaction.atomic
def set_guests(*, draft: WizardDraft, guests: list[tuple[int | None, int | None]]) -> WizardDraft:
    """A patient and a tariff per guest: each patient once, active, and free on these dates. Ids that are not
    database keys count as not chosen."""
    if len(guests) != draft.guest_count:
        raise DomainError(_("Choose a patient and a tariff for every guest."))
    guests = [(id_from(patient_id), id_from(tariff_id)) for patient_id, tariff_id in guests]
    patient_ids = [patient_id for patient_id, _tariff in guests]
    for index, (patient_id, tariff_id) in enumerate(guests):
        if not patient_id:
            raise DomainError(_("Choose the patient for guest %(number)d.") % {"number": index + 1},
                              field=f"patient_{index}")
        if not tariff_id:
            raise DomainError(_("Choose the tariff for guest %(number)d.") % {"number": index + 1},
                              field=f"tariff_{index}")
    patients = Patient.objects.in_bulk(patient_ids)
    tariffs = Tariff.objects.filter(is_active=True).in_bulk([tariff_id for _patient, tariff_id in guests])
    rooms = Room.objects.in_bulk([slot["room"] for slot in draft.slots if slot.get("room")])
    periods = []
    for index, (patient_id, tariff_id) in enumerate(guests):
        patient = patients.get(patient_id)
        if patient is None:
            raise DomainError(_("Guest %(number)d: this patient does not exist.") % {"number": index + 1},
                              field=f"patient_{index}")
        if tariff_id not in tariffs:
            raise DomainError(_("Guest %(number)d: this tariff is not offered.") % {"number": index + 1},
                              field=f"tariff_{index}")
        services.check_patient(patient)
        room = rooms.get(draft.slots[index].get("room"))
        if room is not None:
            periods.append(Period(None, patient, room, None, tariffs[tariff_id], draft.start_date, draft.end_date))
    services.ensure_patients_free(periods)
    slots = [dict(slot) for slot in draft.slots]
    for slot, (patient_id, tariff_id) in zip(slots, guests, strict=True):
        slot["patient"], slot["tariff"] = patient_id, tariff_id
    draft.slots = slots
    draft.save()
    return draft


def check_dates_and_count(start_date: date, end_date: date, guest_count: int) -> None:
    rules.check_dates(start_date, end_date)
    if not 1 <= guest_count <= MAX_GUESTS:
        raise DomainError(_("A booking holds 1 to %(max)d guests.") % {"max": MAX_GUESTS}, field="guest_count")


def reached(draft: WizardDraft) -> str:
    """The furthest step the draft may show: rooms need dates, guests need rooms, confirm needs guests."""
    if not draft.start_date or not draft.end_date:
        return "dates"
    slots = draft.slots or []
    if len(slots) != draft.guest_count or not all(slot.get("room") for slot in slots):
        return "rooms"
    if not all(slot.get("patient") and slot.get("tariff") for slot in slots):
        return "guests"
    return "confirm"


def may_show(draft: WizardDraft, step: str) -> bool:
    return STEPS.index(step) <= STEPS.index(reached(draft))


@dataclass
class SummaryLine:
    number: int
    room: Room | None
    bed: Bed | None
    patient: Patient | None
    tariff: Tariff | None
    price_per_day: Decimal | None
    nights: int

    @property
    def total(self) -> Decimal | None:
        return None if self.price_per_day is None else round_money(self.price_per_day * self.nights)

    @property
    def course_warning(self) -> str:
        return course_warning(self.tariff, self.nights)


@dataclass
class Summary:
    lines: list[SummaryLine]
    nights: int
    problem: str = ""

    @property
    def total(self) -> Decimal:
        return round_money(sum((line.total or Decimal("0") for line in self.lines), Decimal("0")))


def summary(draft: WizardDraft, *, check: bool = True) -> Summary:
    """Every guest with room, bed, patient, tariff and price; `problem` says what is no longer possible."""
    slots = draft.slots or []
    rooms = Room.objects.select_related("building", "room_type").in_bulk(
        [slot["room"] for slot in slots if slot.get("room")])
    beds = Bed.objects.in_bulk([slot["bed"] for slot in slots if slot.get("bed")])
    patients = Patient.objects.in_bulk([slot["patient"] for slot in slots if slot.get("patient")])
    tariffs = Tariff.objects.in_bulk([slot["tariff"] for slot in slots if slot.get("tariff")])
    grid = price_grid(list(tariffs))
    lines = []
    for index, slot in enumerate(slots):
        room, tariff = rooms.get(slot.get("room")), tariffs.get(slot.get("tariff"))
        price = price_for(tariff, room, grid=grid) if room is not None and tariff is not None else None
        lines.append(SummaryLine(index + 1, room, beds.get(slot.get("bed")), patients.get(slot.get("patient")),
                                 tariff, price, draft.nights))
    result = Summary(lines, draft.nights)
    if check:
        result.problem = stale_problem(draft, result)
    return result


def stale_problem(draft: WizardDraft, current: Summary) -> str:
    """What makes the chosen places or dates impossible now (taken meanwhile, closed, dates passed), or ""."""
    try:
        rules.check_dates(draft.start_date, draft.end_date)
        claims = [Claim(line.room, line.bed, draft.start_date, draft.end_date)
                  for line in current.lines if line.room is not None]
        if len(claims) != len(current.lines):
            return _("Some guests have no room any more; choose the rooms again.")
        ensure_free(claims)
        guests = [Period(None, line.patient, line.room, line.bed, line.tariff, draft.start_date, draft.end_date)
                  for line in current.lines if line.patient is not None]
        if guests:
            services.ensure_patients_free(guests)
    except DomainError as error:
        return error.message
    return ""


def book(*, by, draft: WizardDraft, status: str, source: str = BookingSource.WALK_IN, referral: str = "",
         notes: str = "", bill_per_guest: bool = False) -> Booking:
    """Creates the booking from the draft (every rule checked again under locks) and drops the draft."""
    if reached(draft) != "confirm":
        raise DomainError(_("Some guests still need a room, a patient or a tariff."))
    if status not in lifecycle.INITIAL:
        raise DomainError(_("A new booking is a reservation, pending or confirmed."), field="status")
    current = summary(draft, check=False)
    guests = []
    for line in current.lines:
        if line.room is None or line.patient is None or line.tariff is None:
            raise NoLongerAvailable(_("A room, patient or tariff chosen earlier no longer exists; choose again."))
        guests.append(GuestChoice(line.patient, line.room, line.tariff, line.bed))
    booking = services.create_booking(by=by, data=BookingData(
        start_date=draft.start_date, end_date=draft.end_date, guests=guests, status=status, source=source,
        referral=referral, notes=notes, bill_per_guest=bill_per_guest))
    WizardDraft.objects.filter(pk=draft.pk).delete()
    return booking


@transaction.atomic
def keep_details(*, draft: WizardDraft, status: str, source: str, referral: str = "", notes: str = "") -> None:
    """Remembers the confirmation step's answers, so they survive a trip back to an earlier step."""
    draft.status, draft.source, draft.referral, draft.notes = status, source, referral.strip(), notes.strip()
    draft.save(update_fields=["status", "source", "referral", "notes", "updated_at"])


@transaction.atomic
def discard(*, draft: WizardDraft) -> None:
    WizardDraft.objects.filter(pk=draft.pk).delete()
