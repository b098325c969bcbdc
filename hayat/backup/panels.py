from django.utils.translation import gettext_lazy as _

from hayat.backup import selectors
from hayat.core.ui import Panel

PANELS = [
    Panel(_("Backups"), "backup/panels/backups.html", "ops.backup",
          lambda user: {"latest": selectors.latest(), "last_done": selectors.last_done()}, order=91),
]
