from django.apps import AppConfig
from django.db.models.signals import pre_save
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "hayat.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django_q.models import Schedule
        from django_q.signals import pre_enqueue

        from hayat.core import job_registry

        pre_save.connect(job_registry.refuse_schedule_on_save, sender=Schedule, dispatch_uid="core.schedule_registry")
        pre_enqueue.connect(job_registry.replace_unregistered, dispatch_uid="core.task_registry")
