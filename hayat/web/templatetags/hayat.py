"""Template pieces shared by every page: status badges, money, active navigation, the policy's answer."""

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html

from hayat.core.money import format_money
from hayat.core.policy import can
from hayat.web.badges import LABELS, colour_for

register = template.Library()


@register.simple_tag
def status_badge(status: str, label: str = "") -> str:
    text = label or LABELS.get(status) or str(status).replace("_", " ").capitalize()
    return format_html('<span class="badge text-bg-{} status-badge" data-status="{}">{}</span>',
                       colour_for(status), status, text)


@register.filter
def may(user, capability: str) -> bool:
    """{% if user|may:"patients.merge" %}: the same policy the views enforce, to hide what would be refused."""
    return can(user, capability)


@register.filter
def money(amount) -> str:
    return format_money(amount)


@register.simple_tag(takes_context=True)
def nav_active(context, url_name: str) -> str:
    try:
        url = reverse(url_name)
    except NoReverseMatch:
        return ""
    path = context["request"].path
    if url == "/":
        return "active" if path == "/" else ""
    return "active" if path.startswith(url) else ""
