from django.utils.translation import gettext_lazy as _

from hayat.core.ui import Panel
from hayat.notifications import selectors


def failures(user) -> dict:
    """Messages given up after their retries, and what each gateway answered last: a gateway that stopped working
    shows here the day it stops, not when patients complain."""
    return selectors.failures()


PANELS = [Panel(_("Messages not sent"), "notifications/panels/failures.html", "messages.settings", failures, order=15)]
