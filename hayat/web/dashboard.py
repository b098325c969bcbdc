"""What each role sees first: the panels of every app's `panels.PANELS` that the user may see."""

from __future__ import annotations

from functools import cache

from hayat.core.discovery import app_modules
from hayat.core.policy import can
from hayat.core.ui import Panel


@cache
def all_panels() -> tuple[Panel, ...]:
    panels = [panel for module in app_modules("panels") for panel in module.PANELS]
    return tuple(sorted(panels, key=lambda panel: panel.order))


def panels_for(user) -> list[dict]:
    return [{"title": panel.title, "template": panel.template, "wide": panel.wide, **panel.load(user)}
            for panel in all_panels() if can(user, panel.capability)]
