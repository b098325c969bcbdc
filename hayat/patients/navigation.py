from django.utils.translation import gettext_lazy as _

from hayat.core.ui import WORK, NavItem

ITEMS = [
    NavItem(_("Patients"), "patients:list", "patients.view", "hospital-user", WORK),
]
