"""Template pieces of billing: what other apps' pages include (the "Take payment" button), bed-time units."""

from django import template
from django.urls import NoReverseMatch
from django.utils.translation import gettext as _

from hayat.billing import accrual, selectors

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


def bed_time_period() -> str:
    """The period bed time is counted in, each charged the hourly rate: "h", or "min" in a one-minute demo."""
    minutes = accrual.period_minutes()
    if minutes == 60:
        return _("h")
    return _("min") if minutes == 1 else _("%(minutes)s min") % {"minutes": minutes}


@register.simple_tag
def bed_time_quantity_unit() -> str:
    """"12 h", "125 min", or "9 × 15 min" for periods of another length."""
    return bed_time_period() if accrual.period_minutes() in (1, 60) else "× " + bed_time_period()


@register.simple_tag
def bed_time_price_unit() -> str:
    return "/" + bed_time_period()
