"""Template pieces of billing that other apps' pages include (the "Take payment" button)."""

from django import template
from django.urls import NoReverseMatch

from hayat.billing import selectors

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
