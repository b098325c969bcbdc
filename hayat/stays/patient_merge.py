"""What stays asks of a patient merge: one person is never in two stays on the same night.

PostgreSQL's exclusion constraint would refuse such a merge anyway; SQLite and MariaDB have none, so the
rule is checked here, under the merge's lock on both patients (booking takes the same lock).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from hayat.core.errors import Conflict
from hayat.patients.models import Patient
from hayat.stays.errors import day
from hayat.stays.models import GuestLine


def check_merge(*, survivor: Patient, merged: Patient) -> None:
    """Refuses the merge when a stay of `merged` shares a night with a stay of `survivor`."""
    held = GuestLine.objects.filter(holds_place=True)
    same_nights = held.filter(patient=survivor, start_date__lt=OuterRef("end_date"),
                              end_date__gt=OuterRef("start_date"))
    clash = held.filter(patient=merged).filter(Exists(same_nights)).select_related("booking").order_by("start_date")
    line = clash.first()
    if line is not None:
        raise Conflict(
            _("Both patients have a stay on the same nights (booking %(number)s, %(start)s to %(end)s); cancel or "
              "move one of the stays before merging.")
            % {"start": day(line.start_date), "end": day(line.end_date), "number": line.booking.number},
            code="merge_overlapping_stays",
        )
