from collections.abc import Callable

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from hayat.clinical import selectors
from hayat.clinical.models import EpisodeStatus
from hayat.core import clock
from hayat.core.ui import Panel

SHOWN = 8


def waiting(status: str, caption: Callable[[int], str]):
    """`caption(count)` names the waiting episodes in the singular or plural the count asks for."""
    def load(user) -> dict:
        count = selectors.queue_counts().get(status, 0)
        return {"episodes": selectors.queue(status, user=user)[:SHOWN], "count": count, "status": status,
                "caption": caption(count), "now": clock.now()}

    return load


def pending_caption(count: int) -> str:
    return ngettext("pending episode", "pending episodes", count)


def to_code_caption(count: int) -> str:
    return ngettext("episode to code", "episodes to code", count)


def inpatients(user) -> dict:
    return {"episodes": selectors.admitted_inpatients(limit=SHOWN),
            "count": selectors.queue_counts().get(EpisodeStatus.ADMITTED, 0)}


PANELS = [
    Panel(_("Waiting for documentation"), "clinical/panels/queue.html", "episodes.record_vitals",
          waiting(EpisodeStatus.PENDING, pending_caption), order=5),
    Panel(_("Ready for coding"), "clinical/panels/queue.html", "episodes.code",
          waiting(EpisodeStatus.READY_FOR_CODING, to_code_caption), order=5),
    Panel(_("Inpatients"), "clinical/panels/inpatients.html", "episodes.record_vitals", inpatients, order=6),
]
