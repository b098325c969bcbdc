from django.utils.translation import gettext_lazy as _

from hayat.billing import selectors
from hayat.core.ui import Panel

QUEUE_SIZE = 6


def unpaid(user) -> dict:
    """Bills with a balance due, oldest first, and how many bills owe patients a refund."""
    queue = selectors.work_queue()
    return {"bills": list(queue[:QUEUE_SIZE]), "count": queue.count(), "in_credit": selectors.refunds_owed().count()}


def refunds_waiting(user) -> dict:
    waiting = selectors.refunds(status="requested")
    return {"refunds": list(waiting[:QUEUE_SIZE]), "count": waiting.count()}


def top_ups(user) -> dict:
    """Inpatients whose running bill passes what they paid and deposited: ask them for a top-up in time."""
    due = selectors.top_ups_due()
    return {"bills": list(due[:QUEUE_SIZE]), "count": due.count()}


PANELS = [
    Panel(_("Unpaid bills"), "billing/panels/unpaid.html", "billing.take_payment", unpaid, order=20),
    Panel(_("Refunds to approve"), "billing/panels/refunds.html", "billing.approve_refund", refunds_waiting,
          order=25),
    Panel(_("Top-ups to ask for"), "billing/panels/top_ups.html", "billing.take_payment", top_ups, order=22),
]
