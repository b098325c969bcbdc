from django.utils.translation import gettext_lazy as _

from hayat.core.ui import SETUP, WORK, NavItem

ITEMS = [
    NavItem(_("Lab results"), "lab:result_list", "lab.view", "flask", WORK),
    NavItem(_("Lab test types"), "lab:test_type_list", "lab.test_types", "vials", SETUP),
]
