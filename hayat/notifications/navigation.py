from django.utils.translation import gettext_lazy as _

from hayat.core.ui import ADMINISTRATION, WORK, NavItem

ITEMS = [
    NavItem(_("Outbox"), "notifications:outbox", "messages.view", "paper-plane", WORK),
    NavItem(_("Message settings"), "notifications:settings", "messages.settings", "envelope", ADMINISTRATION),
]
