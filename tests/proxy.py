"""Debian's nginx with a self-signed certificate in front of Hayat's app servers, and a small HTTPS client that
keeps its session cookie, for the tests of Hayat behind a TLS proxy. The nginx server block is the README's."""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import ssl
import subprocess
import time
import uuid
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
# Linux answers on the whole of 127.0.0.0/8: the client comes from an address other than nginx's own 127.0.0.1,
# so the audit shows whether Hayat recorded the client or the proxy.
CLIENT_ADDRESS = "127.0.0.5"

SERVER_BLOCK = """
    upstream hayat {{
{servers}
    }}
    server {{
        listen 127.0.0.1:{port} ssl;
        server_name localhost;
        ssl_certificate {certificate};
        ssl_certificate_key {key};
        client_max_body_size {max_body};
        location / {{
            proxy_pass http://hayat;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_read_timeout 300s;
        }}
    }}
"""


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    certificate, key = folder / "proxy.crt", folder / "proxy.key"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                    "-keyout", str(key), "-out", str(certificate)], check=True, capture_output=True, timeout=60)
    return certificate, key


def nginx_configuration(folder: Path, port: int, upstream_ports: list[int], max_body: str) -> Path:
    certificate, key = self_signed_certificate(folder)
    servers = "\n".join(f"        server 127.0.0.1:{upstream};" for upstream in upstream_ports)
    temp = {name: folder / name for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi")}
    for path in temp.values():
        path.mkdir(exist_ok=True)
    user = "user root;\n" if os.geteuid() == 0 else ""  # workers must write the request bodies into `folder`
    text = (
        f"{user}daemon off;\nworker_processes 1;\npid {folder / 'nginx.pid'};\n"
        f"error_log {folder / 'nginx-error.log'} warn;\nevents {{ worker_connections 256; }}\n"
        f"http {{\n    log_format upstreams '$upstream_addr $status $request';\n"
        f"    access_log {folder / 'nginx-access.log'} upstreams;\n"
        f"    client_body_temp_path {temp['body']};\n    proxy_temp_path {temp['proxy']};\n"
        f"    fastcgi_temp_path {temp['fastcgi']};\n    uwsgi_temp_path {temp['uwsgi']};\n"
        f"    scgi_temp_path {temp['scgi']};\n"
        + SERVER_BLOCK.format(servers=servers, port=port, certificate=certificate, key=key, max_body=max_body)
        + "}\n"
    )
    path = folder / "nginx.conf"
    path.write_text(text, encoding="utf-8")
    return path


def start_nginx(folder: Path, port: int, upstream_ports: list[int], max_body: str = "120m") -> subprocess.Popen:
    configuration = nginx_configuration(folder, port, upstream_ports, max_body)
    process = subprocess.Popen([NGINX, "-p", str(folder), "-c", str(configuration)],
                               stdout=subprocess.DEVNULL, stderr=(folder / "nginx-stderr.log").open("wb"))
    deadline = time.monotonic() + 20
    while not (folder / "nginx.pid").exists():
        assert process.poll() is None, (folder / "nginx-stderr.log").read_text()
        assert time.monotonic() < deadline, "nginx did not start within 20 s"
        time.sleep(0.1)
    return process


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def json(self):
        return json.loads(self.body)


@dataclass
class Browser:
    """A browser's worth of HTTPS: its own session cookie, the CSRF token, from CLIENT_ADDRESS, no redirects."""

    port: int
    tls: bool = True  # False: straight to one app server, in plain HTTP
    cookies: dict[str, str] = field(default_factory=dict)
    token: str = ""  # an API access token, sent as a Bearer token when set

    def connection(self) -> http.client.HTTPConnection:
        if not self.tls:
            return http.client.HTTPConnection("localhost", self.port, timeout=300, source_address=(CLIENT_ADDRESS, 0))
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE  # the proxy's certificate is self-signed
        return http.client.HTTPSConnection("localhost", self.port, context=context, timeout=300,
                                           source_address=(CLIENT_ADDRESS, 0))

    def request(self, method: str, path: str, body: bytes = b"", headers: dict | None = None) -> Response:
        connection = self.connection()
        origin = f"{'https' if self.tls else 'http'}://localhost:{self.port}"
        sent = {"Host": f"localhost:{self.port}", "Origin": origin, "Referer": f"{origin}/", **(headers or {})}
        if self.token:
            sent["Authorization"] = f"Bearer {self.token}"
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        if "csrftoken" in self.cookies:
            sent["X-CSRFToken"] = self.cookies["csrftoken"]
        try:
            connection.request(method, path, body=body, headers=sent)
            answer = connection.getresponse()
            response = Response(answer.status, {k.lower(): v for k, v in answer.getheaders()}, answer.read())
            for header, value in answer.getheaders():
                if header.lower() == "set-cookie":
                    for name, morsel in SimpleCookie(value).items():
                        self.cookies[name] = morsel.value
        finally:
            connection.close()
        return response

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post_form(self, path: str, fields: dict) -> Response:
        return self.request("POST", path, urlencode(fields).encode(),
                            {"Content-Type": "application/x-www-form-urlencoded"})

    def post_files(self, path: str, fields: dict, files: list[tuple[str, str, bytes]]) -> Response:
        boundary = uuid.uuid4().hex
        parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
                 for name, value in fields.items()]
        for name, filename, content in files:
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                         f"Content-Type: application/octet-stream\r\n\r\n".encode() + content + b"\r\n")
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        return self.request("POST", path, body, {"Content-Type": f"multipart/form-data; boundary={boundary}"})

    def post_json(self, path: str, data: dict) -> Response:
        return self.request("POST", path, json.dumps(data).encode(), {"Content-Type": "application/json"})

    def sign_in_to_the_api(self, user_id: str, password: str) -> None:
        answer = self.post_json("/api/auth/token/", {"user_id": user_id, "password": password})
        assert answer.status == 200, answer.text
        self.token = answer.json()["access"]

    def log_in(self, user_id: str, password: str) -> Response:
        self.get("/login/")
        return self.post_form("/login/", {"username": user_id, "password": password,
                                          "csrfmiddlewaretoken": self.cookies["csrftoken"]})


def csrf_token_in(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
