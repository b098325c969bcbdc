from django.utils.translation import gettext_lazy as _

from hayat.core.ui import ADMINISTRATION, NavItem

ITEMS = [NavItem(_("Backups"), "backup:list", "ops.backup", "box-archive", ADMINISTRATION)]
