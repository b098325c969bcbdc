"""Scheduled jobs of the messages to patients: finding the timed ones, and sending what is due.

Safe on any number of workers: finding queues by event key (a second worker finds the rows there), and sending
claims each row for one worker before it is sent (hayat.notifications.outbox).
"""

from __future__ import annotations

import logging

from hayat.notifications import outbox, reminders

JOBS = ("send_messages",)

log = logging.getLogger(__name__)


def send_messages() -> str:
    """Queues the timed messages due now, then sends every due message."""
    found = reminders.find_due()
    outcome = outbox.send_due()
    summary = (f"found {sum(found.values())} timed messages; sent {outcome['sent']}, failed {outcome['failed']}, "
               f"to retry {outcome['retry']}")
    log.info("send_messages: %s", summary)
    return summary
