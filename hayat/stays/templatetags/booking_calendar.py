"""The attributes of a booking's bar on the calendar, written in one step: a page holds a few hundred bars, and the
same attributes through the template language cost most of the page's time."""

from html import escape

from django import template
from django.utils.safestring import mark_safe

from hayat.core.formats import format_date
from hayat.stays.calendar import Bar
from hayat.stays.models import BookingStatus

register = template.Library()

# Numbers and ISO dates go in as they are and the texts through the standard library's escape: Django's
# lazy-aware escape of all fifteen values was most of a bar's cost.
ATTRIBUTES = ('class="cal-bar{}{}" href="{}" style="grid-column: {} / span {}; grid-row: {}" data-booking="{}" '
              'data-drag-id="{}" data-number="{}" data-room="{}" data-start="{}" data-drag-from="{}" '
              'data-send-from_room="{}" data-send-from_date="{}" data-status="{}"{} title="{}"')


@register.simple_tag
def bar_attributes(bar: Bar, may_move: bool) -> str:
    booking = bar.booking
    title = " · ".join([bar.label, str(BookingStatus(booking.status).label),
                        f"{format_date(bar.start, style='short')} → {format_date(bar.end, style='short')}",
                        ", ".join(bar.guests)])
    draggable = may_move and not booking.is_finished and not booking.is_in_house
    start = bar.start.isoformat()
    return mark_safe(ATTRIBUTES.format(  # noqa: S308 -- every text below is escaped
        " cal-open-start" if bar.starts_before else "", " cal-open-end" if bar.ends_after else "",
        escape(booking.get_absolute_url()), bar.first_column, bar.columns, bar.lane + 1, booking.pk, booking.pk,
        escape(booking.number), bar.room_id, start, start, bar.room_id, start, escape(bar.status),
        ' draggable="true"' if draggable else "", escape(title)))
