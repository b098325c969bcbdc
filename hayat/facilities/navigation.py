from django.utils.translation import gettext_lazy as _

from hayat.core.ui import SETUP, WORK, NavItem

ITEMS = [
    NavItem(_("Availability"), "facilities:availability", "facilities.view", "calendar-days", WORK),
    NavItem(_("Maintenance"), "facilities:maintenance_list", "facilities.view", "screwdriver-wrench", WORK),
    NavItem(_("Rooms and beds"), "facilities:room_list", "facilities.view", "bed", SETUP),
    NavItem(_("Departments and wards"), "facilities:department_list", "facilities.view", "hospital", SETUP),
]
