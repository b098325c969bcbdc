"""Colours of status badges, one table for every lifecycle in Hayat."""

from django.utils.translation import gettext_lazy as _

COLOURS = {
    # generic
    "active": "success", "inactive": "secondary", "ok": "success", "failed": "danger", "running": "info",
    "stopped": "warning",
    # messages to patients ("failed" and "cancelled" above)
    "queued": "info", "sent": "success",
    # bookings
    "reservation": "info", "pending": "warning", "confirmed": "primary", "checked_in": "success",
    "in_progress": "success", "completed": "secondary", "discharged": "secondary", "cancelled": "danger",
    "no_show": "dark", "expired": "dark",
    # clinical episodes
    "ready_for_coding": "info", "admitted": "success", "outpatient": "primary",
    # bills
    "calculated": "info", "invoiced": "primary", "partially_paid": "warning", "paid": "success", "void": "dark",
    # maintenance
    "scheduled": "info", "done": "secondary",
    # places (rooms and beds) on a day
    "free": "success", "occupied": "primary", "maintenance": "warning",
    # illness histories
    "registration": "warning", "open": "success", "closed": "secondary",
    # patients
    "merged": "dark", "anonymised": "light",
    # backups
    "verified": "success", "differs": "danger",
}

LABELS = {"active": _("Active"), "inactive": _("Inactive"), "ok": _("OK"), "failed": _("Failed"),
          "running": _("Running")}


def colour_for(status: str) -> str:
    return COLOURS.get(status, "secondary")
