"""Lifecycles: an explicit table of allowed status changes, checked in one place."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext as _

from hayat.core.errors import Conflict


class IllegalTransition(Conflict):
    code = "illegal_transition"


class Lifecycle:
    def __init__(self, name: str, allowed: Mapping[str, set[str]], labels: Mapping[str, str]):
        self.name = name
        self.allowed = {source: frozenset(targets) for source, targets in allowed.items()}
        self.labels = labels

    def allowed_from(self, status: str) -> frozenset[str]:
        return self.allowed.get(status, frozenset())

    def check(self, current: str, target: str) -> None:
        if target not in self.labels:
            raise IllegalTransition(_("Unknown status %(status)s.") % {"status": target})
        if target not in self.allowed_from(current):
            raise IllegalTransition(
                _("The %(what)s cannot go from %(from)s to %(to)s.")
                % {"what": self.name, "from": self.labels.get(current, current), "to": self.labels[target]}
            )
