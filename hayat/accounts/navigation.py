from django.utils.translation import gettext_lazy as _

from hayat.core.ui import ADMINISTRATION, NavItem

ITEMS = [NavItem(_("Users"), "accounts:user_list", "users.manage", "users-gear", ADMINISTRATION)]
