from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "hayat.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from hayat.core import api, money, text

        text.install()
        api.install()
        money.install()
