from django.utils.translation import gettext_lazy as _

from hayat.core.ui import ADMINISTRATION, NavItem

ITEMS = [
    NavItem(_("Activity log"), "ops:activity", "audit.view", "clipboard-list", ADMINISTRATION),
    NavItem(_("Background jobs"), "ops:jobs", "ops.jobs", "gears", ADMINISTRATION),
]
