from django.utils.translation import gettext_lazy as _

from hayat.core.ui import Panel
from hayat.ops import selectors

PANELS = [
    Panel(_("Background worker"), "ops/panels/worker.html", "ops.jobs",
          lambda user: {"health": selectors.worker_health()}, order=90),
]
