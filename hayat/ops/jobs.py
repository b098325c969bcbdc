"""Scheduled jobs of the operations app."""

from hayat.core import clock

JOBS = ("heartbeat",)


def heartbeat() -> str:
    """Does nothing but prove the worker runs: its successes show on the dashboard and in the admin."""
    return clock.now().isoformat()
