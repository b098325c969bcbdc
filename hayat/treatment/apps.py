from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TreatmentConfig(AppConfig):
    name = "hayat.treatment"
    label = "treatment"
    verbose_name = _("Treatment")

    def ready(self) -> None:
        from hayat.stays.signals import booking_charges_changed, booking_status_changed, guest_period_changed
        from hayat.treatment import receivers

        booking_status_changed.connect(receivers.on_booking_status_changed, dispatch_uid="treatment.booking_status")
        booking_charges_changed.connect(receivers.on_booking_changed, dispatch_uid="treatment.booking_changed")
        guest_period_changed.connect(receivers.on_guest_period_changed, dispatch_uid="treatment.guest_period")
