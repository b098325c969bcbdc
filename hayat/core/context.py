"""Who is acting and from where, for the current request; read by the audit log."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    ip: str | None
    path: str


_current: ContextVar[RequestContext | None] = ContextVar("hayat_request_context", default=None)


def set_current(context: RequestContext | None):
    return _current.set(context)


def reset(token) -> None:
    _current.reset(token)


def current() -> RequestContext | None:
    return _current.get()
