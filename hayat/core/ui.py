"""Shapes that apps use to add to the UI shell: menu entries and dashboard panels.

Each app may have a `navigation.py` with `ITEMS: list[NavItem]` and a `panels.py` with
`PANELS: list[Panel]`; the web app collects them in INSTALLED_APPS order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

WORK = _("Work")
SETUP = _("Set-up")
ADMINISTRATION = _("Administration")
# The menu shows its sections in this order for every role ("" holds the dashboard, above them all).
SECTIONS = ("", WORK, SETUP, ADMINISTRATION)


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    capability: str
    icon: str
    section: str = ""


@dataclass(frozen=True)
class Panel:
    """A dashboard card: shown when the user holds `capability`; `load(user)` returns its template context.
    A wide card (a chart) takes two columns of the dashboard's three."""

    title: str
    template: str
    capability: str
    load: Callable[[object], dict] = field(default=lambda user: {})
    order: int = 50
    wide: bool = False


@dataclass(frozen=True)
class PatientSection:
    """A section of the patient page contributed by another app (stays, episodes, bills, lab results).

    Apps list them in `patient_sections.py` as `SECTIONS: list[PatientSection]`; `load(patient, user)`
    returns the template context with a constant number of queries.
    """

    title: str
    template: str
    capability: str
    load: Callable[[object, object], dict]
    order: int = 50
