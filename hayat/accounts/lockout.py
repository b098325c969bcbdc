"""Login lockout: which account a login attempt was for (web form and JWT), and the API's answer when locked.

django-axes counts failures per user ID, whatever the address: a ward behind one NAT address is never
locked out as a whole, and guesses spread over many addresses still lock the account they aim at.
"""

from django.conf import settings
from django.utils.translation import gettext as _

from hayat.core.errors import DomainError


class LockedOut(DomainError):
    code = "locked_out"
    status = 429

    def __init__(self):
        minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
        super().__init__(_("Too many failed logins for this user ID: it is locked for %(minutes)s minutes. "
                           "Wait and try again, or ask an administrator.") % {"minutes": minutes})


def user_id_from_credentials(request, credentials: dict | None) -> str:
    credentials = credentials or {}
    for key in ("user_id", "username"):
        if credentials.get(key):
            return str(credentials[key]).lower()
    data = getattr(request, "POST", {}) or {}
    return str(data.get("username") or data.get("user_id") or "").lower()
