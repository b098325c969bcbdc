"""{% idempotency_field %}: the hidden token that makes a form's submission count once (hayat.core.idempotency)."""

from django import template
from django.utils.html import format_html

from hayat.core.idempotency import FIELD_NAME, new_token

register = template.Library()


@register.simple_tag
def idempotency_field() -> str:
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD_NAME, new_token())
