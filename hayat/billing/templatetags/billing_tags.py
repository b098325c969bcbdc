"""Template pieces of billing: what other apps' pages include (the "Take payment" button, a booking's money),
the units of lines charged by time."""

from django import template
from django.urls import NoReverseMatch

from hayat.billing import bookings, selectors
from hayat.billing.forms import BillPerGuestForm, MoveGuestForm
from hayat.core.charging import PER_UNIT, UNIT_SYMBOL
from hayat.core.params import id_from

register = template.Library()


@register.filter
def url_of(obj) -> str:
    """The page of a booking, episode or patient, or "" while that app has no such page."""
    try:
        return obj.get_absolute_url()
    except (AttributeError, NoReverseMatch):
        return ""


@register.simple_tag
def bill_to_collect(booking, episode):
    """{% bill_to_collect booking episode as bill %}: the bill of the one given when money is due on it now."""
    source = booking or episode
    return selectors.bill_to_collect(source) if source else None


@register.filter
def unit_symbol(unit: str) -> str:
    """The quantity of a line charged by time reads "125 min", "3 h", "2 × 12 h", "4 days"."""
    return UNIT_SYMBOL[unit] if unit in UNIT_SYMBOL else ""


@register.filter
def per_unit(unit: str) -> str:
    """The price of a line charged by time reads "15 000 / min", "/ h", "/ 12 h", "/ day"."""
    return PER_UNIT[unit] if unit in PER_UNIT else ""


@register.simple_tag
def booking_money(booking, receipt=None) -> dict:
    """{% booking_money booking request.GET.receipt as money %}: the booking's bills, each guest with the bill their
    lines are on, its receipts, what came in for it, and `receipt`: the receipt just written (?receipt=) when it is
    one of the booking's."""
    money = selectors.booking_money(booking.pk)
    money["guests"] = selectors.guests_and_bills(booking, money["bills"]) if money["bills"] else []
    wanted = id_from(receipt)
    money["receipt"] = next((payment for payment in money["payments"] if payment.pk == wanted), None)
    return money


@register.simple_tag
def refund_offer(booking):
    """{% refund_offer booking as offer %}: what a cancellation today may give back (paid, fee, most)."""
    return bookings.refund_offer(booking)


@register.simple_tag
def top_up_for(episode):
    """{% top_up_for episode as due %}: what the admitted patient should top up now, or None."""
    bill = selectors.bill_of(episode)
    return selectors.top_up_for(bill) if bill is not None else None


@register.simple_tag
def payer_forms(booking, bills, guests):
    """{% payer_forms booking money.bills money.guests as forms %}: the forms that choose a booking's payers."""
    return {"move": MoveGuestForm(guests=[patient for patient, _bill in guests],
                                  targets=selectors.payer_targets(bills), auto_id="move_%s"),
            "split": BillPerGuestForm(initial={"per_guest": booking.bill_per_guest}, auto_id="split_%s")}


@register.simple_tag
def top_ups_among(episodes):
    """{% top_ups_among episodes as due %}: the bills of these episodes' inpatients whose running bill passes what
    they paid and deposited by the margin (the teller's `top_ups_due()`, one query)."""
    ids = [episode.pk for episode in episodes]
    return list(selectors.top_ups_due().filter(episode_id__in=ids)) if ids else []
