"""Template filters writing dates, times and periods the one way hayat.core.formats does, in the page's language.

{% load formats %} then {{ booking.start_date|local_date }}, {{ day|local_date:"weekday" }},
{{ row.at|local_datetime }}, {{ row.at|local_time }}, {{ booking.start_date|period_to:booking.end_date }}.
Money keeps its filter in the shared `hayat` library ({{ amount|money }}), which delegates here too.
"""

from django import template

from hayat.core import formats

register = template.Library()


@register.filter
def local_date(value, style: str = "medium") -> str:
    return formats.format_date(value, style=style)


@register.filter
def local_datetime(value, style: str = "medium") -> str:
    return formats.format_datetime(value, style=style)


@register.filter
def local_time(value) -> str:
    return formats.format_time(value)


@register.filter
def period_to(start, end) -> str:
    return formats.format_period(start, end)
