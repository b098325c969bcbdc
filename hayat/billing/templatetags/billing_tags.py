"""Template pieces of billing that other apps' pages include (the "Take payment" button)."""

from django import template
from django.urls import NoReverseMatch

from hayat.billing import selectors
from hayat.core.policy import can

register = template.Library()


@register.filter
def may(user, capability: str) -> bool:
    """{% if user|may:"billing.take_payment" %}: the policy's answer, for showing an action only to those allowed."""
    return can(user, capability)


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
