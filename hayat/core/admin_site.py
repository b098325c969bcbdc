"""Django's admin without back doors: every model is read-only there unless its admin writes through the services.

An admin class that saves through a service (rules, audit event) says so with `writes_through_services = True`;
any other registration, Hayat's or a library's (job schedules and results, login lockouts), is wrapped read-only.
Reverting a record to an older version from its history is off everywhere: it would write without the services.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig

# Registered by libraries, with no use in Hayat: roles come from hayat.core.roles, not from groups.
NOT_REGISTERED = frozenset({"auth.Group"})


class NoHistoryRevert:
    def has_change_history_permission(self, request, obj=None) -> bool:
        return False


class ReadOnly(NoHistoryRevert):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class HayatAdminSite(admin.AdminSite):
    def register(self, model_or_iterable, admin_class=None, **options):
        models = [model_or_iterable] if isinstance(model_or_iterable, type) else list(model_or_iterable)
        for model in models:
            if model._meta.label in NOT_REGISTERED:
                continue
            super().register(model, guarded(admin_class or admin.ModelAdmin), **options)


def guarded(admin_class: type) -> type:
    """`admin_class` (and its inlines) read-only, unless it writes through the services."""
    if getattr(admin_class, "writes_through_services", False):
        return subclass(admin_class, NoHistoryRevert)
    inlines = [subclass(inline, ReadOnly) for inline in admin_class.inlines]
    return subclass(admin_class, ReadOnly, inlines=inlines)


def subclass(admin_class: type, base: type, **attributes) -> type:
    return type(admin_class.__name__, (base, admin_class), {"__module__": admin_class.__module__, **attributes})


class HayatAdminConfig(AdminConfig):
    default_site = "hayat.core.admin_site.HayatAdminSite"
