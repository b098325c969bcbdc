"""Finds an optional module (navigation, panels, demo, ...) in each Hayat app, in INSTALLED_APPS order."""

from collections.abc import Iterator
from importlib import import_module
from importlib.util import find_spec
from types import ModuleType

from django.apps import apps


def app_modules(submodule: str) -> Iterator[ModuleType]:
    for app in apps.get_app_configs():
        if app.name.startswith("hayat.") and has_module(f"{app.name}.{submodule}"):
            yield import_module(f"{app.name}.{submodule}")


def has_module(dotted: str) -> bool:
    parent, _, _ = dotted.rpartition(".")
    if parent and not has_module(parent):
        return False
    return find_spec(dotted) is not None
