from django.utils.translation import gettext_lazy as _

from hayat.core.ui import Panel
from hayat.lab import selectors


def recent(user) -> dict:
    return {"recent": selectors.recent_results(), "today_count": selectors.count_recorded_today()}


PANELS = [Panel(_("Laboratory"), "lab/panels/recent.html", "lab.view", recent, order=60)]
