"""Rate limits per user and per address on the API and on expensive pages (searches, exports, PDFs).

Counts live in Django's cache, which is shared by every app server (the database table `hayat_cache`, or
Redis when HAYAT_REDIS_URL is set), in fixed windows: "120/min" allows 120 requests from the start of each
minute. Over the limit the answer is 429 with Retry-After, the seconds until the window ends.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from rest_framework.throttling import BaseThrottle

from hayat.core.middleware import client_ip

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
    key = f"rate:{scope}:{who}:{now // rate.seconds}"
    cache.add(key, 0, timeout=rate.seconds + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # the window's key expired between add and incr
        cache.set(key, 1, timeout=rate.seconds + 1)
        count = 1
    if count <= rate.count:
        return None
    return max(1, rate.seconds - now % rate.seconds)


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
