from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class StaysConfig(AppConfig):
    name = "hayat.stays"
    label = "stays"
    verbose_name = _("Stays")

    def ready(self) -> None:
        from hayat.stays.rules import check_booking_settings

        checks.register(check_booking_settings)
