"""One submission, one record: the same form or API call sent twice creates money or a billable record once.

A page carries a token per rendered form (`{% idempotency_field %}`, a hidden field); an API client sends an
`Idempotency-Key` header. The view or viewset action that creates the record is marked with `@idempotent`:

    @require_capability("billing.take_payment")
    @idempotent
    def take_payment(request, pk): ...

The first submission inserts an IdempotencyRecord (unique per user and key) in the same transaction as the
view's writes and stores the answer beside it. A duplicate fails on that insert: in parallel it waits on the
unique index (or on SQLite's write lock) until the first commits, then is answered with the stored response.
A submission that failed (an error, a form shown again) leaves no record, so it can be corrected and resent.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from functools import wraps

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.request import RawPostDataException
from django.utils.translation import gettext as _
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder

from hayat.core import clock
from hayat.core.api import is_api_request, json_error
from hayat.core.models import IdempotencyRecord
from hayat.core.transactions import retrying_atomic

FIELD_NAME = "idempotency_key"
HEADER = "HTTP_IDEMPOTENCY_KEY"
MAX_KEY_LENGTH = 100
REPLAYED_HEADER = "Idempotent-Replayed"


def new_token() -> str:
    return secrets.token_urlsafe(18)


def submitted_key(request: HttpRequest) -> str | None:
    """The API's header or the form's hidden field; None when the submission carries neither."""
    key = request.META.get(HEADER) or ("" if is_api_request(request) else request.POST.get(FIELD_NAME, ""))
    return key.strip() or None


def fingerprint(request: HttpRequest) -> str:
    digest = hashlib.sha256(f"{request.method} {request.path}\n".encode())
    try:
        digest.update(request.body)
    except RawPostDataException:  # a multipart form, already parsed: its fields stand for it
        digest.update(json.dumps(sorted(request.POST.lists())).encode())
    return digest.hexdigest()


def idempotent(view):
    """Makes a function view or a viewset action answer a repeated submission with the first one's result."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        request = args[0] if isinstance(args[0], HttpRequest | Request) else args[1]
        django_request = request._request if isinstance(request, Request) else request
        key = submitted_key(django_request)
        if key is None or request.method != "POST" or not request.user.is_authenticated:
            return view(*args, **kwargs)
        if len(key) > MAX_KEY_LENGTH:
            return refusal(django_request, _("The idempotency key is longer than %(limit)d characters.")
                           % {"limit": MAX_KEY_LENGTH}, "idempotency_key_invalid", 400)
        return retrying_atomic(run_once)(django_request, key, lambda: view(*args, **kwargs))

    return wrapper


def run_once(request: HttpRequest, key: str, respond) -> HttpResponse:
    """Runs inside one transaction: claim the key, answer, remember the answer (or give the key back)."""
    try:
        with transaction.atomic():
            record = IdempotencyRecord.objects.create(user=request.user, key=key, fingerprint=fingerprint(request),
                                                      created_at=clock.now())
    except IntegrityError:
        return replay(request, IdempotencyRecord.objects.get(user=request.user, key=key))
    response = respond()
    if succeeded(request, response):
        remember(record, response)
    else:
        record.delete()
    return response


def succeeded(request: HttpRequest, response: HttpResponse) -> bool:
    """A redirect or an answer below 400; a page shown again with its form's errors (200 on a plain POST) is not."""
    if response.status_code >= 400:
        return False
    shows_form_again = response.status_code == 200 and not is_api_request(request) and not request.htmx
    return not shows_form_again


def remember(record: IdempotencyRecord, response: HttpResponse) -> None:
    record.status_code = response.status_code
    record.location = response.get("Location", "")[:500]
    record.content_type = response.get("Content-Type", "")[:100]
    if isinstance(response, Response):
        record.body, record.is_api_data = json.dumps(response.data, cls=JSONEncoder), True
    else:
        record.body = response.content.decode(response.charset or "utf-8", "replace")
    record.save(update_fields=["status_code", "location", "content_type", "body", "is_api_data"])


def replay(request: HttpRequest, record: IdempotencyRecord) -> HttpResponse:
    if record.fingerprint != fingerprint(request):
        return refusal(request, _("This idempotency key was already used for a different submission."),
                       "idempotency_key_reused", 422)
    if record.is_api_data:
        response = Response(json.loads(record.body), status=record.status_code)
    elif record.location:
        messages.info(request, _("This form was already sent; it was recorded once."))
        response = HttpResponseRedirect(record.location, status=record.status_code)
    else:
        response = HttpResponse(record.body, status=record.status_code, content_type=record.content_type)
    response[REPLAYED_HEADER] = "true"
    return response


def refusal(request: HttpRequest, message: str, code: str, status: int) -> HttpResponse:
    if is_api_request(request):
        return json_error(message, code, status)
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
