from django.utils.translation import gettext_lazy as _

from hayat.core.ui import WORK, NavItem

ITEMS = [NavItem(_("Reports"), "reports:index", "reports.view", "chart-column", WORK)]
