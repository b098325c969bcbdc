from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackupConfig(AppConfig):
    name = "hayat.backup"
    label = "backup"
    verbose_name = _("Backups")

    def ready(self) -> None:
        from django_q.signals import pre_execute

        from hayat.backup.maintenance import hold_jobs_during_maintenance

        pre_execute.connect(hold_jobs_during_maintenance, dispatch_uid="hayat.backup.hold_jobs")
