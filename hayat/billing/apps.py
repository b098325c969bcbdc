from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "hayat.billing"
    label = "billing"
    verbose_name = _("Billing")

    def ready(self) -> None:
        from hayat.billing import receivers
        from hayat.clinical.signals import episode_status_changed, timed_use_undone
        from hayat.stays.signals import booking_charges_changed, booking_status_changed, service_usage_undone

        booking_status_changed.connect(receivers.on_booking_status_changed, dispatch_uid="billing.booking_status")
        booking_charges_changed.connect(receivers.on_booking_charges_changed, dispatch_uid="billing.booking_charges")
        service_usage_undone.connect(receivers.on_service_usage_undone, dispatch_uid="billing.usage_undone")
        episode_status_changed.connect(receivers.on_episode_status_changed, dispatch_uid="billing.episode_status")
        timed_use_undone.connect(receivers.on_timed_use_undone, dispatch_uid="billing.timed_use_undone")
        post_migrate.connect(keep_schedule_in_step, sender=self, dispatch_uid="billing.schedule")


def keep_schedule_in_step(sender, apps=None, **kwargs) -> None:
    """After `migrate` (and `flush`): the accrual schedule follows the interval setting, unless billing was
    migrated away. `apps` is the migrated state; `flush` sends none, and the installed apps are meant."""
    from django.apps import apps as installed

    from hayat.billing import jobs

    apps = apps or installed
    try:
        apps.get_model("billing", "Bill")
        apps.get_model("django_q", "Schedule")
    except LookupError:
        return
    jobs.schedule_accrual(apps)
