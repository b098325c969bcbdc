"""The booking page's treatment card (a template the stays page includes; no Python import from stays)."""

from django import template
from django.utils.translation import gettext_noop

from hayat.core import audit
from hayat.treatment import selectors

register = template.Library()


@register.simple_tag
def stay_schedule(booking, user):
    """The stay's planned sessions, their guests logged as read: two queries."""
    sessions = selectors.stay_sessions(booking)
    audit.log_rows_access(by=user, rows=sessions, what=gettext_noop("treatment schedule"),
                          patient_ids_of=lambda session: [session.patient_id])
    return sessions


@register.simple_tag
def last_moved(booking):
    """The latest "what moved" of the stay's treatment after a change of the stay: one query."""
    return selectors.last_moved(booking)
