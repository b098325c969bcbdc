"""The dashboard card: free places per room type today, and what maintenance closes today."""

from __future__ import annotations

from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from hayat.core import clock
from hayat.core.ui import Panel
from hayat.facilities import availability, selectors


def free_today(user) -> dict:
    today = clock.today()
    matrix = availability.availability_matrix(today, today + timedelta(days=1))
    closures = selectors.maintenance(since=today, until=today, open_only=True).count()
    return {"rows": [(row.room_type, row.cells[0]) for row in matrix.rows], "total": matrix.totals[0] if matrix.rows
            else None, "closures": closures}


PANELS = [Panel(_("Free places today"), "facilities/panels/free_today.html", "facilities.view", free_today, order=30)]
