"""What clinical asks of a patient merge: a patient has at most one open episode.

register_episode keeps that rule for new episodes; a merge of two records that each have an open episode
would break it, so the merge is refused here, under the merge's lock on both patients (register_episode
takes the same lock).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from hayat.clinical.selectors import open_episode_of
from hayat.core.errors import Conflict
from hayat.patients.models import Patient


def check_merge(*, survivor: Patient, merged: Patient) -> None:
    """Refuses the merge when both records have an open episode."""
    kept, going = open_episode_of(survivor.pk), open_episode_of(merged.pk)
    if kept is not None and going is not None:
        raise Conflict(
            _("Both patients have an open episode (%(kept)s and %(going)s); discharge or cancel one of them "
              "before merging.") % {"kept": kept.case_number, "going": going.case_number},
            code="merge_two_open_episodes",
        )
