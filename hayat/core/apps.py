from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate, pre_save
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

        from django_q.models import Schedule
        from django_q.signals import pre_enqueue

        from hayat.core import job_registry

        pre_save.connect(job_registry.refuse_schedule_on_save, sender=Schedule, dispatch_uid="core.schedule_registry")
        pre_enqueue.connect(job_registry.replace_unregistered, dispatch_uid="core.task_registry")
        post_migrate.connect(keep_append_only, sender=self, dispatch_uid="core.append_only")


def keep_append_only(sender, using: str = "default", **kwargs) -> None:
    """After `migrate` and `flush`: the append-only triggers are in place (a test's flush drops them first)."""
    from hayat.core import append_only

    connection = connections[using]
    if connection.vendor == "mysql" and connection.in_atomic_block:
        return  # DDL would commit the caller's transaction; a migrate inside one never took the triggers away
    if set(append_only.TABLES) <= set(connection.introspection.table_names()):
        with connection.cursor() as cursor:  # not the schema editor: migrate may run inside a test's transaction
            for statement in append_only.creation(connection):
                cursor.execute(statement)
