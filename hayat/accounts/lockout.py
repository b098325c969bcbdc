"""Login lockout: which account a login attempt was for (web form and JWT), the API's answer when locked, and
an Admin locking or unlocking an account.

django-axes counts failures per user ID, whatever the address: a ward behind one NAT address is never
locked out as a whole, and guesses spread over many addresses still lock the account they aim at. An account
is locked while its failures within the cool-off reach the limit; locking it by hand records that many
failures now (it unlocks after the cool-off, or when an Admin unlocks it).
"""

from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from hayat.core import audit, policy
from hayat.core.errors import DomainError


class LockedOut(DomainError):
    code = "locked_out"
    status = 429

    def __init__(self):
        minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
        super().__init__(_("Too many failed logins for this user ID: it is locked for %(minutes)s minutes. "
                           "Wait and try again, or ask an administrator to unlock it.") % {"minutes": minutes})


def user_id_from_credentials(request, credentials: dict | None) -> str:
    credentials = credentials or {}
    for key in ("user_id", "username"):
        if credentials.get(key):
            return str(credentials[key]).lower()
    data = getattr(request, "POST", {}) or {}
    return str(data.get("username") or data.get("user_id") or "").lower()


def recent_attempts() -> QuerySet[AccessAttempt]:
    """Failures within the cool-off; axes compares them with the server's real time, so this does too."""
    return AccessAttempt.objects.filter(attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME)


def with_lock_state(users: QuerySet) -> QuerySet:
    """`users` annotated with `locked_out` in the same query (a list keeps its query count)."""
    failures = (recent_attempts().filter(username=OuterRef("user_id")).values("username")
                .annotate(total=Sum("failures_since_start")).filter(total__gte=settings.AXES_FAILURE_LIMIT))
    return users.annotate(locked_out=Exists(failures))


def is_locked_out(user) -> bool:
    total = recent_attempts().filter(username=user.user_id).aggregate(total=Sum("failures_since_start"))["total"]
    return (total or 0) >= settings.AXES_FAILURE_LIMIT


@transaction.atomic
def lock_out(*, by, user) -> None:
    """Locks `user` out for the cool-off time, as that many failed logins would (a password that may have leaked,
    while it is being reset)."""
    policy.ensure(by, "users.manage")
    if user.pk == by.pk:
        raise DomainError(_("You cannot lock yourself out."))
    if is_locked_out(user):
        return
    AccessAttempt.objects.create(username=user.user_id, ip_address=None, user_agent=f"locked by {by.user_id}",
                                 http_accept="", path_info="", get_data="", post_data="",
                                 failures_since_start=settings.AXES_FAILURE_LIMIT)
    audit.record("user.lock_out", by=by, obj=user)


@transaction.atomic
def unlock(*, by, user) -> None:
    """Clears the failed logins of `user`: they may log in again at once."""
    policy.ensure(by, "users.manage")
    if not recent_attempts().filter(username=user.user_id).exists():
        return
    was_locked = is_locked_out(user)
    reset(username=user.user_id)
    audit.record("user.unlock", by=by, obj=user, changes={"locked_out": [was_locked, False]})
