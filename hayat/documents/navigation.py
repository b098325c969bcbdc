from django.utils.translation import gettext_lazy as _

from hayat.core.ui import ADMINISTRATION, NavItem

ITEMS = [NavItem(_("Letterhead"), "documents:letterhead", "documents.letterhead", "file-signature", ADMINISTRATION)]
