from django.utils.translation import gettext_lazy as _

from hayat.clinical import selectors
from hayat.clinical.models import EpisodeStatus
from hayat.core import clock
from hayat.core.ui import Panel

SHOWN = 8


def waiting(status: str, caption: str):
    def load(user) -> dict:
        return {"episodes": selectors.queue(status, user=user)[:SHOWN],
                "count": selectors.queue_counts().get(status, 0), "status": status, "caption": caption,
                "now": clock.now()}

    return load


def inpatients(user) -> dict:
    return {"episodes": selectors.admitted_inpatients(limit=SHOWN),
            "count": selectors.queue_counts().get(EpisodeStatus.ADMITTED, 0)}


PANELS = [
    Panel(_("Waiting for documentation"), "clinical/panels/queue.html", "episodes.record_vitals",
          waiting(EpisodeStatus.PENDING, _("pending episodes")), order=5),
    Panel(_("Ready for coding"), "clinical/panels/queue.html", "episodes.code",
          waiting(EpisodeStatus.READY_FOR_CODING, _("episodes to code")), order=5),
    Panel(_("Inpatients"), "clinical/panels/inpatients.html", "episodes.record_vitals", inpatients, order=6),
]
