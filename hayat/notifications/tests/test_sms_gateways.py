"""SMS through web gateways, checked against a local server that records every request it gets."""

import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from hayat.notifications.channels import GatewayError, Outgoing
from hayat.notifications.channels.http_sms import EskizGateway, HttpSmsGateway, SemaphoreGateway

HTTP_PORT = 8632
MESSAGE = Outgoing(recipient="+998901234567", subject="", body="Бронь BK-1 подтверждена & ok", reference="7")


class Recorder(BaseHTTPRequestHandler):
    """Records each request; answers what the test put in `server.answers` for the path (status, body)."""

    def do_POST(self):  # noqa: N802 - http.server's name
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode()
        self.server.requests.append({"path": self.path, "method": self.command, "headers": dict(self.headers),
                                     "body": body})
        answers = self.server.answers.get(self.path) or [(200, "{}")]
        status, answer = answers.pop(0) if len(answers) > 1 else answers[0]
        if status == "hang":
            self.server.release.wait(5)  # the client gave up long before: nothing to answer
            return
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(answer.encode())

    do_PUT = do_POST  # noqa: N815

    def log_message(self, *args):
        pass


@pytest.fixture
def gateway_server():
    server = ThreadingHTTPServer(("127.0.0.1", HTTP_PORT), Recorder)
    server.requests, server.answers, server.release = [], {}, threading.Event()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.release.set()
    server.shutdown()
    server.server_close()


def form(request) -> dict:
    return dict(urllib.parse.parse_qsl(request["body"]))


def url(path: str) -> str:
    return f"http://127.0.0.1:{HTTP_PORT}{path}"


def test_a_generic_gateway_gets_the_configured_json_body_and_auth_header(gateway_server, settings):
    settings.HAYAT_SMS = {**settings.HAYAT_SMS, "url": url("/send"), "format": "json", "sender": "HAYAT",
                          "body": '{"to": "{to_digits}", "msg": {"text": "{text}", "from": "{sender}"}}',
                          "auth_header": "X-Api-Key: s3cret"}
    gateway_server.answers["/send"] = [(200, '{"id": 42}')]
    assert HttpSmsGateway().send(MESSAGE) == 'HTTP 200: {"id": 42}'
    [request] = gateway_server.requests
    assert request["headers"]["X-Api-Key"] == "s3cret"
    assert json.loads(request["body"]) == {"to": "998901234567",
                                           "msg": {"text": "Бронь BK-1 подтверждена & ok", "from": "HAYAT"}}


def test_a_generic_gateway_can_take_a_form_and_another_method(gateway_server, settings):
    settings.HAYAT_SMS = {**settings.HAYAT_SMS, "url": url("/form"), "format": "form", "method": "put",
                          "body": "phone={to}&message={text}", "auth_header": ""}
    HttpSmsGateway().send(MESSAGE)
    [request] = gateway_server.requests
    assert request["method"] == "PUT"
    assert form(request) == {"phone": "+998901234567", "message": "Бронь BK-1 подтверждена & ok"}


def test_eskiz_logs_in_then_sends_with_its_bearer_token_and_renews_a_refused_token(gateway_server, settings):
    settings.HAYAT_SMS = {**settings.HAYAT_SMS, "url": url("/api"), "login": "desk@hayat.uz", "password": "pw",
                          "sender": "4546"}
    gateway_server.answers["/api/auth/login"] = [(200, '{"message": "token_generated", "data": {"token": "T1"}}'),
                                                 (200, '{"message": "token_generated", "data": {"token": "T2"}}')]
    gateway_server.answers["/api/message/sms/send"] = [(200, '{"id": "a1", "status": "waiting"}'),
                                                       (401, '{"message": "Expired"}'),
                                                       (200, '{"id": "a2", "status": "waiting"}')]
    gateway = EskizGateway()
    assert "a1" in gateway.send(MESSAGE)
    assert "a2" in gateway.send(MESSAGE)
    paths = [request["path"] for request in gateway_server.requests]
    assert paths == ["/api/auth/login", "/api/message/sms/send", "/api/message/sms/send", "/api/auth/login",
                     "/api/message/sms/send"]
    login, first, *_, last = gateway_server.requests
    assert form(login) == {"email": "desk@hayat.uz", "password": "pw"}
    assert form(first) == {"mobile_phone": "998901234567", "message": "Бронь BK-1 подтверждена & ok", "from": "4546"}
    assert (first["headers"]["Authorization"], last["headers"]["Authorization"]) == ("Bearer T1", "Bearer T2")


def test_eskiz_with_wrong_credentials_says_so(gateway_server, settings):
    settings.HAYAT_SMS = {**settings.HAYAT_SMS, "url": url("/api"), "login": "desk@hayat.uz", "password": "wrong"}
    gateway_server.answers["/api/auth/login"] = [(401, '{"message": "Invalid credentials"}')]
    with pytest.raises(GatewayError, match="HTTP 401.*Invalid credentials"):
        EskizGateway().send(MESSAGE)


def test_semaphore_gets_apikey_number_message_and_sendername(gateway_server, settings):
    settings.HAYAT_SMS = {**settings.HAYAT_SMS, "url": url("/api/v4/messages"), "api_key": "k3y",
                          "sender": "HAYAT"}
    gateway_server.answers["/api/v4/messages"] = [(200, '[{"message_id": 1234567, "status": "Queued"}]')]
    answer = SemaphoreGateway().send(Outgoing(recipient="+639171234567", subject="", body="See you tomorrow"))
    assert answer == "Semaphore: message 1234567 Queued"
    [request] = gateway_server.requests
    assert form(request) == {"apikey": "k3y", "number": "639171234567", "message": "See you tomorrow",
                             "sendername": "HAYAT"}


def test_a_gateway_error_answer_is_the_reason(gateway_server, settings):
    settings.HAYAT_SMS = {**settings.HAYAT_SMS, "url": url("/send"), "format": "json", "body": ""}
    gateway_server.answers["/send"] = [(500, "upstream exploded")]
    with pytest.raises(GatewayError, match="HTTP 500: upstream exploded"):
        HttpSmsGateway().send(MESSAGE)


def test_a_gateway_that_does_not_answer_in_time_times_out(gateway_server, settings):
    settings.HAYAT_SMS = {**settings.HAYAT_SMS, "url": url("/slow"), "format": "json", "body": ""}
    settings.HAYAT_MESSAGE_TIMEOUT = 1
    gateway_server.answers["/slow"] = [("hang", "{}")]
    with pytest.raises(GatewayError, match="(?i)timed out"):
        HttpSmsGateway().send(MESSAGE)
