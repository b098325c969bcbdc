"""Rate limits per user and per address on the API and on expensive pages (searches, exports, PDFs).

Counts live in the database every app server shares (`RateWindow`), in fixed windows: "120/min" allows 120
requests from the start of each minute. A request is counted by one atomic insert-or-add statement, so parallel
requests on several servers are each counted once. Over the limit the answer is 429 with Retry-After, the
seconds until the window ends. A job forgets windows that have ended.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from rest_framework.throttling import BaseThrottle

from hayat.core.middleware import client_ip
from hayat.core.models import RateWindow

PERIODS = {"s": 1, "sec": 1, "second": 1, "m": 60, "min": 60, "minute": 60, "h": 3600, "hour": 3600}


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int


def parse_rate(text: str) -> Rate | None:
    """"120/min", "10/s", "1000/hour"; "off" (or empty) for no limit."""
    text = (text or "").strip().lower()
    if text in {"", "off", "0"}:
        return None
    count, _slash, period = text.partition("/")
    return Rate(int(count), PERIODS[period])


def seconds_to_wait(scope: str, who: str, rate: Rate | None) -> int | None:
    """Counts one request of `who` in `scope`; when that is over the rate, the seconds until the window ends."""
    if rate is None or not who:
        return None
    now = int(time.time())
    ends_at = (now // rate.seconds + 1) * rate.seconds
    if counted_hits(f"{scope}:{who}:{ends_at}", ends_at) <= rate.count:
        return None
    return max(1, ends_at - now)


COUNT_HIT = ('INSERT INTO core_ratewindow ("key", hits, ends_at) VALUES (%s, 1, %s) '
             'ON CONFLICT ("key") DO UPDATE SET hits = core_ratewindow.hits + 1 RETURNING hits')
# MariaDB has no RETURNING on an upsert: LAST_INSERT_ID(expr) hands the count back as the cursor's last row id.
COUNT_HIT_MYSQL = ("INSERT INTO core_ratewindow (`key`, hits, ends_at) VALUES (%s, LAST_INSERT_ID(1), %s) "
                   "ON DUPLICATE KEY UPDATE hits = LAST_INSERT_ID(hits + 1)")


def counted_hits(key: str, ends_at: int) -> int:
    """Adds one request to the window and returns its requests so far, in one statement on every engine."""
    with connection.cursor() as cursor:
        if connection.vendor == "mysql":
            cursor.execute(COUNT_HIT_MYSQL, [key, ends_at])
            return cursor.lastrowid
        cursor.execute(COUNT_HIT, [key, ends_at])
        return cursor.fetchone()[0]


def forget_ended_windows() -> int:
    return RateWindow.objects.filter(ends_at__lt=int(time.time())).delete()[0]


def wait_for(request: HttpRequest, kind: str) -> int | None:
    """Counts the request against its user's and its address's limits of `kind` ("api" or "expensive")."""
    rates = settings.HAYAT_RATE_LIMITS
    user = getattr(request, "user", None)
    waits = [seconds_to_wait(f"{kind}:address", client_ip(request) or "", parse_rate(rates[f"{kind}:address"]))]
    if user is not None and user.is_authenticated:
        waits.append(seconds_to_wait(f"{kind}:user", str(user.pk), parse_rate(rates[f"{kind}:user"])))
    waits = [wait for wait in waits if wait]
    return max(waits) if waits else None


class ApiRateLimit(BaseThrottle):
    """DRF answers 429 with Retry-After when the caller's user or address is over the API's limits."""

    def allow_request(self, request, view) -> bool:
        self.seconds = wait_for(request, "api")
        return self.seconds is None

    def wait(self) -> int | None:
        return self.seconds


def expensive(view: Callable) -> Callable:
    """Marks a page that costs the server much (a search, an export, a PDF): its own, lower, limits apply."""

    @wraps(view)
    def limited(request, *args, **kwargs):
        seconds = wait_for(request, "expensive")
        if seconds is not None:
            return too_many_requests(seconds)
        return view(request, *args, **kwargs)

    return limited


def too_many_requests(seconds: int) -> HttpResponse:
    message = _("Too many requests in a short time. Please wait %(seconds)s seconds and try again.") % {
        "seconds": seconds}
    response = HttpResponse(message, status=429, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(seconds)
    return response
