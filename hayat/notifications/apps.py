from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "hayat.notifications"
    label = "notifications"
    verbose_name = _("Messages to patients")

    def ready(self) -> None:
        from hayat.notifications import receivers
        from hayat.stays.signals import booking_status_changed, waitlist_place_offered

        booking_status_changed.connect(receivers.on_booking_status_changed, dispatch_uid="notifications.booking")
        waitlist_place_offered.connect(receivers.on_waitlist_place_offered, dispatch_uid="notifications.waitlist")
