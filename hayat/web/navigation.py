"""The navigation menu, collected from every app's `navigation.ITEMS`, filtered by the policy."""

from __future__ import annotations

from functools import cache

from django.utils.translation import gettext_lazy as _

from hayat.core.discovery import app_modules
from hayat.core.policy import SIGNED_IN, can
from hayat.core.ui import ADMINISTRATION, SECTIONS, NavItem

SHELL_ITEMS = [NavItem(_("Dashboard"), "web:dashboard", SIGNED_IN, "gauge-high")]
API_ITEM = NavItem(_("API documentation"), "api-docs", SIGNED_IN, "code", ADMINISTRATION)


@cache
def all_items() -> tuple[NavItem, ...]:
    items = list(SHELL_ITEMS)
    for module in app_modules("navigation"):
        if module.__name__ != __name__:
            items.extend(module.ITEMS)
    return (*items, API_ITEM)


def items_for(user) -> list[NavItem]:
    return [item for item in all_items() if can(user, item.capability)]


def sections_for(user) -> list[tuple[str, list[NavItem]]]:
    """Groups the user's items by section: the same order of sections for every role, apps' order within."""
    grouped: dict[str, list[NavItem]] = {str(section): [] for section in SECTIONS}
    for item in items_for(user):
        grouped.setdefault(str(item.section), []).append(item)
    return [(section, items) for section, items in grouped.items() if items]
