from pathlib import Path

from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    name = "hayat.ops"
    label = "ops"
    verbose_name = _("Operations")

    def ready(self) -> None:
        # Django writes large uploads into this folder and fails when it does not exist.
        Path(settings.FILE_UPLOAD_TEMP_DIR).mkdir(parents=True, exist_ok=True)
