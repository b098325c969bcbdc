"""SMS through a gateway on the web: any gateway by a configured request shape, and the shapes of two gateways
ready-made, Eskiz (Uzbekistan) and Semaphore (the Philippines).

`HAYAT_SMS` (hayat/settings.py) holds the URL, method, body format and template, an authorisation header and the
gateway's credentials. In a body template, `{to}` is the number with its "+", `{to_digits}` without it, `{text}`
the message and `{sender}` the sender name; they are put into the parsed JSON or form values, never pasted into
the raw text, so a message cannot change the shape of the request.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from django.conf import settings

from hayat.notifications.channels import GatewayError, Outgoing

ESKIZ_URL = "https://notify.eskiz.uz/api"
SEMAPHORE_URL = "https://api.semaphore.co/api/v4/messages"
ANSWER_KEPT = 1000


def config(name: str, default: str = "") -> str:
    return settings.HAYAT_SMS.get(name) or default


def call(url: str, *, method: str = "POST", json_body: Any = None, form: dict | None = None,
         headers: dict[str, str] | None = None) -> tuple[int, str]:
    """(status, body) of one request; GatewayError when it fails, times out or answers an error status."""
    headers = dict(headers or {})
    data = None
    if json_body is not None:
        data, headers["Content-Type"] = json.dumps(json_body).encode(), "application/json"
    elif form is not None:
        data, headers["Content-Type"] = urllib.parse.urlencode(form).encode(), "application/x-www-form-urlencoded"
    headers.setdefault("Accept", "application/json")
    request = urllib.request.Request(url, data=data, method=method, headers=headers)  # noqa: S310 - configured URL
    try:
        with urllib.request.urlopen(request, timeout=settings.HAYAT_MESSAGE_TIMEOUT) as response:  # noqa: S310
            return response.status, response.read(ANSWER_KEPT).decode(errors="replace")
    except urllib.error.HTTPError as error:
        body = error.read(ANSWER_KEPT).decode(errors="replace")
        raise GatewayError(f"HTTP {error.code}: {body}".strip()) from error
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise GatewayError(f"{type(error).__name__}: {reason}") from error


def parsed(body: str) -> Any:
    try:
        return json.loads(body)
    except ValueError:
        return body


def fill(shape: Any, values: dict[str, str]) -> Any:
    """`shape` (parsed JSON or form values) with the placeholders of every string replaced by `values`."""
    if isinstance(shape, dict):
        return {key: fill(value, values) for key, value in shape.items()}
    if isinstance(shape, list):
        return [fill(value, values) for value in shape]
    if isinstance(shape, str):
        for name, value in values.items():
            shape = shape.replace("{" + name + "}", value)
    return shape


def placeholders(outgoing: Outgoing) -> dict[str, str]:
    return {"to": outgoing.recipient, "to_digits": outgoing.recipient.lstrip("+"), "text": outgoing.body,
            "sender": config("sender")}


class HttpSmsGateway:
    """Any gateway: HAYAT_SMS url, method, format ("json" or "form"), body (a template of that format) and
    auth_header ("Name: value")."""

    def send(self, outgoing: Outgoing) -> str:
        values = placeholders(outgoing)
        template = config("body", '{"to": "{to}", "text": "{text}"}')
        headers = {}
        if config("auth_header"):
            name, _, value = config("auth_header").partition(":")
            headers[name.strip()] = value.strip()
        if config("format", "json") == "form":
            body = {"form": fill(dict(urllib.parse.parse_qsl(template, keep_blank_values=True)), values)}
        else:
            body = {"json_body": fill(json.loads(template), values)}
        status, answer = call(config("url"), method=config("method", "POST").upper(), headers=headers, **body)
        return f"HTTP {status}: {answer}".strip()


class EskizGateway:
    """Eskiz.uz: a token from POST {url}/auth/login (email, password), then POST {url}/message/sms/send
    (mobile_phone without "+", message, from) with `Authorization: Bearer <token>`; a refused token is renewed
    once."""

    def __init__(self):
        self.base = config("url", ESKIZ_URL).rstrip("/")
        self.token = ""

    def login(self) -> str:
        _, body = call(f"{self.base}/auth/login", form={"email": config("login"), "password": config("password")})
        token = (parsed(body).get("data") or {}).get("token") if isinstance(parsed(body), dict) else None
        if not token:
            raise GatewayError(f"Eskiz gave no token: {body}")
        return token

    def send(self, outgoing: Outgoing) -> str:
        self.token = self.token or self.login()
        try:
            return self.post(outgoing)
        except GatewayError as error:
            if not error.reason.startswith("HTTP 401"):
                raise
        self.token = self.login()
        return self.post(outgoing)

    def post(self, outgoing: Outgoing) -> str:
        _, body = call(f"{self.base}/message/sms/send", headers={"Authorization": f"Bearer {self.token}"},
                       form={"mobile_phone": outgoing.recipient.lstrip("+"), "message": outgoing.body,
                             "from": config("sender", "4546")})
        answer = parsed(body)
        if isinstance(answer, dict) and answer.get("status") in {"error", "failed"}:
            raise GatewayError(f"Eskiz refused: {body}")
        return f"Eskiz: {body}"


class SemaphoreGateway:
    """Semaphore: POST https://api.semaphore.co/api/v4/messages with apikey, number, message and sendername (when
    set); the answer lists each message with its message_id and status."""

    def send(self, outgoing: Outgoing) -> str:
        form = {"apikey": config("api_key"), "number": outgoing.recipient.lstrip("+"), "message": outgoing.body}
        if config("sender"):
            form["sendername"] = config("sender")
        _, body = call(config("url", SEMAPHORE_URL), form=form)
        answer = parsed(body)
        first = answer[0] if isinstance(answer, list) and answer else {}
        if not isinstance(first, dict) or str(first.get("status", "")).lower() in {"failed", "refunded", ""}:
            raise GatewayError(f"Semaphore refused: {body}")
        return f"Semaphore: message {first.get('message_id')} {first.get('status')}"
