from django.utils.translation import gettext_lazy as _

from hayat.core import clock
from hayat.core.ui import Panel
from hayat.stays import selectors


def today_at_reception(user) -> dict:
    today = clock.today()
    return {"arrivals": selectors.arrivals(on=today), "departures": selectors.departures(on=today), "today": today}


def upcoming(user) -> dict:
    return {"bookings": selectors.upcoming_check_ins(days=7, limit=8), "today": clock.today()}


PANELS = [
    Panel(_("Today's arrivals and departures"), "stays/panels/today.html", "stays.view", today_at_reception, order=10),
    Panel(_("Upcoming check-ins"), "stays/panels/upcoming.html", "stays.view", upcoming, order=15),
]
