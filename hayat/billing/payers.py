"""Who pays (docs/adr/0012): organisations that pay bills, one payer for a booking's guests or a bill per guest,
and moving a guest's lines from one of the booking's bills to another.

A guest's tariff, session and service lines are derived on the bill their `BillGuest` row names, so moving a guest
is changing that row and refreshing both bills: before invoicing the lines move, afterwards the bill they leave
gets adjustment lines (hayat.billing.charges). A bill a change leaves with no guest, no charge and no money is voided
through its lifecycle and its payer's key freed. Lock order as everywhere in billing: the booking, then the bills
(first opened first).
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from hayat.billing import charges, services
from hayat.billing.models import (
    Bill,
    BillGuest,
    BillItem,
    BillStatus,
    DepositApplication,
    Organisation,
    OrganisationKind,
    Payment,
    RefundRequest,
)
from hayat.core import audit, policy
from hayat.core.errors import Conflict, DomainError
from hayat.core.transactions import retrying_atomic
from hayat.stays.models import Booking
from hayat.stays.services import locked as locked_booking
from hayat.stays.services import save_booking

ORGANISATION_FIELDS = ("name", "kind", "tax_number", "address", "contact", "is_active")


# --- organisations ----------------------------------------------------------------------------------------


def clean_organisation(values: dict) -> dict:
    cleaned = {name: (values.get(name) or "").strip() for name in ("name", "tax_number", "address", "contact")}
    if not cleaned["name"]:
        raise DomainError(_("Enter the organisation's name."), field="name")
    kind = values.get("kind") or OrganisationKind.EMPLOYER
    if kind not in OrganisationKind.values:
        raise DomainError(_("Choose an employer, an insurer or other."), field="kind")
    return {**cleaned, "kind": kind, "is_active": bool(values.get("is_active", True))}


@transaction.atomic
def save_organisation(*, by: Any, values: dict, organisation: Organisation | None = None) -> Organisation:
    """Adds a paying organisation, or changes one (its name stays unique; a retired one is made inactive)."""
    policy.ensure(by, "billing.manage_payers")
    cleaned = clean_organisation(values)
    before = audit.snapshot(organisation, ORGANISATION_FIELDS) if organisation else {}
    if organisation is None:
        organisation = Organisation(created_by=services.actor(by))
    else:
        organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    for name, value in cleaned.items():
        setattr(organisation, name, value)
    organisation.updated_by = services.actor(by)
    try:
        with transaction.atomic():
            organisation.save()
    except IntegrityError as error:
        raise DomainError(_("An organisation of this name exists already."), field="name") from error
    audit.record("billing.organisation_save", by=by, obj=organisation,
                 changes=audit.changes_between(before, audit.snapshot(organisation, ORGANISATION_FIELDS)))
    return organisation


# --- one payer or a bill per guest ------------------------------------------------------------------------


def money_came_in(booking: Booking) -> bool:
    """Whether any money was taken for the booking or on one of its bills (two queries)."""
    return (Payment.objects.filter(Q(booking=booking) | Q(bill__booking=booking)).exists()
            or DepositApplication.objects.filter(bill__booking=booking).exists())


@retrying_atomic
def set_bill_per_guest(*, by: Any, booking: Booking, per_guest: bool) -> list[Bill]:
    """Switches a booking between one payer for every guest and a bill per guest, until the first payment.

    Guests paid for by an organisation stay on its bill; every other guest goes to the payer the choice names.
    Bills of the old arrangement left empty are voided, so the booking shows only its live bills.
    """
    policy.ensure(by, "billing.manage_payers")
    booking = locked_booking(booking)
    if money_came_in(booking):
        raise Conflict(_("Money was already taken for %(number)s: move guests between its bills instead.")
                       % {"number": booking.number}, code="already_paid")
    if booking.bill_per_guest == per_guest:
        return list(Bill.objects.filter(booking=booking).exclude(status=BillStatus.VOID).order_by("id"))
    booking.bill_per_guest = per_guest
    save_booking(booking, by=by, fields=["bill_per_guest"])
    BillGuest.objects.filter(booking=booking, bill__organisation__isnull=True).delete()
    audit.record("booking.bill_per_guest", by=by, obj=booking, changes={"bill_per_guest": [not per_guest, per_guest]})
    if not Bill.objects.filter(booking=booking).exists():
        return []
    bills = services.booking_bills(booking, by=by)
    for bill in bills:
        services.refresh(bill, by=by)
    void_left_empty(booking, by=by)
    return [bill for bill in services.booking_bills(booking, by=by) if not bill.is_void]


def void_left_empty(booking: Booking, *, by: Any) -> list[Bill]:
    """Voids, through the bill's lifecycle, each live bill of the booking (locked by the caller) that no guest is
    billed to any more and that holds no charge, no line added by hand and no money: a bill of the old payers."""
    placed = BillGuest.objects.filter(booking=booking).values("bill_id")
    candidates = (Bill.objects.select_for_update().filter(booking=booking, items_total=0, paid_total=0)
                  .exclude(status=BillStatus.VOID).exclude(pk__in=placed).order_by("id"))
    emptied = [bill for bill in candidates if not holds_anything(bill)]
    for bill in emptied:
        services.void_left_empty(bill, by=by, reason=_("No guest is billed to it after the payers changed."))
    return emptied


def holds_anything(bill: Bill) -> bool:
    """Whether a bill holds a line added by hand, or money moved on it (four queries at most)."""
    return (BillItem.objects.filter(bill=bill, source_key__isnull=True).exists()
            or Payment.objects.filter(bill=bill).exists()
            or DepositApplication.objects.filter(bill=bill).exists()
            or RefundRequest.objects.filter(bill=bill).exists())


# --- moving a guest's lines -------------------------------------------------------------------------------


def payer_key_of(booking: Booking, *, patient_id: int, target: str) -> tuple[str, Organisation | None]:
    """The payer a form or the API names: "all" (one payer for every guest), "own" (the guest's own bill),
    "org:<id>" (an active organisation) or "bill:<id>" (a bill of this booking)."""
    if target == "own":
        return services.guest_key(patient_id), None
    if target == services.ALL_GUESTS:
        return services.ALL_GUESTS, None
    kind, _sep, raw = target.partition(":")
    if kind == "org" and raw.isdigit():
        organisation = Organisation.objects.filter(pk=int(raw), is_active=True).first()
        if organisation is not None:
            return services.organisation_key(organisation.pk), organisation
    if kind == "bill" and raw.isdigit():
        bill = Bill.objects.filter(pk=int(raw), booking=booking).first()
        if bill is not None:
            return bill.payer_key, bill.organisation
    raise DomainError(_("Choose one of this booking's payers."), field="to", code="unknown_payer")


@retrying_atomic
def move_guest(*, by: Any, booking: Booking, patient_id: int, target: str) -> Bill:
    """Moves a guest's lines (tariff, sessions, services) to another payer's bill of the booking, opened when
    missing; both bills are refreshed in the same transaction, the bill left empty is voided, and the move is
    audited."""
    policy.ensure(by, "billing.manage_payers")
    booking = locked_booking(booking)
    if patient_id not in charges.guests_of(booking):
        raise DomainError(_("This patient is not a guest of %(number)s.") % {"number": booking.number},
                          field="patient", code="not_a_guest")
    if not Bill.objects.filter(booking=booking).exists():
        raise Conflict(_("Booking %(number)s has no bill yet: payers are set once it is confirmed.")
                       % {"number": booking.number}, code="no_bill_yet")
    key, organisation = payer_key_of(booking, patient_id=patient_id, target=target)
    services.booking_bills(booking, by=by)
    placed = BillGuest.objects.select_related("bill").get(booking=booking, patient_id=patient_id)
    target_bill = services.payer_bill(booking, key, by=by, organisation=organisation, patient_id=patient_id)
    if target_bill.is_void:
        raise Conflict(_("Bill %(number)s is void; nothing can be moved to it.") % {"number": target_bill.number},
                       code="bill_void")
    source = placed.bill
    if source.pk == target_bill.pk:
        return target_bill
    placed.bill = target_bill
    placed.save(update_fields=["bill"])
    for bill in services.booking_bills(booking, by=by):
        if bill.pk in {source.pk, target_bill.pk}:
            services.refresh(bill, by=by)
    void_left_empty(booking, by=by)
    audit.record("bill.move_guest", by=by, obj=target_bill, patient_id=patient_id, changes={
        "booking": [None, booking.number], "bill": [source.number, target_bill.number],
        "payer": [source.payer_name, target_bill.payer_name]})
    return Bill.objects.get(pk=target_bill.pk)


# --- the payer of an episode's bill -----------------------------------------------------------------------


@retrying_atomic
def set_episode_payer(*, by: Any, bill: Bill, organisation: Organisation | None) -> Bill:
    """Makes an organisation (or, with None, the patient again) the payer of an episode's bill, so its bed time and
    services are invoiced to it; only while no money was taken on the bill."""
    policy.ensure(by, "billing.manage_payers")
    bill = services.locked(bill)
    if not bill.episode_id:
        raise DomainError(_("A booking's payers are chosen per guest on the booking."), code="booking_bill")
    if organisation is not None and not organisation.is_active:
        raise DomainError(_("%(name)s is no longer active.") % {"name": organisation.name}, field="organisation")
    if bill.organisation_id == (organisation.pk if organisation else None):
        return bill
    if bill.paid_total > 0 or Payment.objects.filter(bill=bill).exists():
        raise Conflict(_("Money was already taken on bill %(number)s; its payer cannot change.")
                       % {"number": bill.number}, code="already_paid")
    before = bill.payer_name
    bill.organisation = organisation
    bill.save(update_fields=["organisation"])
    audit.record("bill.payer", by=by, obj=bill, patient_id=bill.patient_id,
                 changes={"payer": [before, bill.payer_name]})
    return bill
