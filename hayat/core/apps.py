from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "hayat.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        # The field rules first: importing the API conventions loads DRF's views and, through its settings, the
        # authentication serializers, whose fields must already be made with the rules.
        from hayat.core import money, text

        text.install()
        money.install()
        from hayat.core import api

        api.install()
