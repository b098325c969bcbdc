from django.utils.translation import gettext_lazy as _

from hayat.core.ui import SETUP, WORK, NavItem

ITEMS = [
    NavItem(_("Treatment timetable"), "treatment:grid", "treatment.view", "calendar-check", WORK),
    NavItem(_("Day sheet"), "treatment:day_sheet", "treatment.view", "clipboard-list", WORK),
    NavItem(_("Treatment rooms"), "treatment:setup", "treatment.manage", "spa", SETUP),
]
