from django.utils.translation import gettext_lazy as _

from hayat.core.ui import SETUP, NavItem

ITEMS = [
    NavItem(_("Services"), "catalog:service_list", "catalog.view", "spa", SETUP),
    NavItem(_("Tariffs and prices"), "catalog:tariff_list", "catalog.view", "tags", SETUP),
]
