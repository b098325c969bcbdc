"""Notes for the person acting: a use case tells what it changed besides what was asked (sessions a change of the
stay moved), and the page shows them as messages after the request.

A note told inside a use case that then fails is forgotten (`hayat.core.transactions.retrying_atomic` forgets
what a rolled-back attempt told), so only what happened is shown. Outside a request (a job, the shell) notes go
nowhere.
"""

from __future__ import annotations

from contextvars import ContextVar

from django.contrib import messages

_pending: ContextVar[list[str] | None] = ContextVar("hayat_notices", default=None)


def tell(text: str) -> None:
    pending = _pending.get()
    if pending is not None:
        pending.append(text)


def mark() -> int:
    pending = _pending.get()
    return len(pending) if pending is not None else 0


def forget_since(position: int) -> None:
    pending = _pending.get()
    if pending is not None:
        del pending[position:]


class NoticesMiddleware:
    """Turns the notes of a request into messages (after MessageMiddleware, so they are stored with the others)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _pending.set([])
        try:
            response = self.get_response(request)
            for text in _pending.get():
                messages.info(request, text)
            return response
        finally:
            _pending.reset(token)
