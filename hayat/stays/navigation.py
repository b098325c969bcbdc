from django.utils.translation import gettext_lazy as _

from hayat.core.ui import WORK, NavItem

ITEMS = [
    NavItem(_("Bookings"), "stays:booking_list", "stays.view", "suitcase", WORK),
    NavItem(_("Reservations"), "stays:reservation_list", "stays.view", "hourglass-half", WORK),
    NavItem(_("Waitlist"), "stays:waitlist", "stays.waitlist", "list-ol", WORK),
    NavItem(_("Booking calendar"), "stays:calendar", "stays.view", "calendar-week", WORK),
    NavItem(_("New booking"), "stays:wizard_start", "stays.book", "calendar-plus", WORK),
]
