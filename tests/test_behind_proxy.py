"""Hayat behind Debian's nginx with TLS, as the README sets it up: sign-in and pages without a redirect loop,
a 100 MB lab upload, and the audit records the client's address that nginx forwards, not nginx's."""

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.processes import ROOT, free_port, manage, private_environment, start_web_server, stop
from tests.proxy import CLIENT_ADDRESS, Browser, csrf_token_in, start_nginx

pytestmark = pytest.mark.processes

MB = 1024 * 1024
PASSWORD = "behind-the-proxy-1"  # noqa: S105
SETUP = f"""
import json, django
django.setup()
from django.utils import timezone
from hayat.accounts.models import User
from hayat.core.roles import Role
from hayat.lab import services
from hayat.lab.models import LabTestType
from hayat.patients.models import Patient
from hayat.core.codes import insert_with_unique_code
doctor = User.objects.create_user("doc", {PASSWORD!r}, full_name="Dr. Proxy", role=Role.DOCTOR)
patient = Patient(last_name="Karimova", first_name="Lola", gender="female")
insert_with_unique_code(patient, "code")
test_type = LabTestType.objects.create(code="XR", name="X-ray")
result = services.create_result(by=doctor, patient=patient, data=services.ResultData(
    test_type=test_type, summary="Films attached.", performed_by=doctor, performed_at=timezone.now()))
print(json.dumps({{"patient": patient.pk, "result": result.pk}}))
"""


def prepare(env: dict) -> dict:
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "createcachetable")
    manage(env, "collectstatic", "--noinput", "-v", "0")
    made = subprocess.run([sys.executable, "-c", SETUP], env=env, cwd=ROOT, check=True, capture_output=True,
                          text=True, timeout=120)
    return json.loads(made.stdout.strip().splitlines()[-1])


def a_pdf_of(size: int) -> bytes:
    head, tail = b"%PDF-1.4\n% scanned films\n", b"\n%%EOF\n"
    return head + b"0" * (size - len(head) - len(tail)) + tail


def test_behind_nginx_with_tls_pages_sign_in_uploads_and_the_audit_see_the_client(tmp_path):
    env = private_environment(tmp_path, HAYAT_HTTPS="1", HAYAT_TRUSTED_PROXIES="127.0.0.1",
                              HAYAT_ALLOWED_HOSTS="localhost", HAYAT_UPLOAD_MAX_BYTES=str(110 * MB),
                              HAYAT_UPLOAD_GROUP_MAX_BYTES=str(110 * MB))
    ids = prepare(env)
    app_port, proxy_port = free_port(), free_port()
    server = start_web_server(env, app_port)
    nginx = start_nginx(tmp_path, proxy_port, [app_port])
    try:
        browser = Browser(proxy_port)
        assert browser.get("/login/").status == 200  # https is recognised: no redirect to itself
        signed_in = browser.log_in("doc", PASSWORD)
        assert signed_in.status == 302 and signed_in.headers["location"] == "/"
        assert browser.get("/").status == 200
        assert browser.get(f"/patients/{ids['patient']}/").status == 200

        form = browser.get(f"/lab/{ids['result']}/groups/new/")
        uploaded = browser.post_files(f"/lab/{ids['result']}/groups/new/",
                                      {"description": "Films", "csrfmiddlewaretoken": csrf_token_in(form.text)},
                                      [("files", "films.pdf", a_pdf_of(100 * MB))])
        assert uploaded.status == 302, uploaded.text[:2000]
    finally:
        stop(nginx)
        stop(server)
    with sqlite3.connect(tmp_path / "hayat.sqlite3") as database:
        addresses = {row[0] for row in database.execute("SELECT ip FROM core_accesslogentry")}
        sizes = [row[0] for row in database.execute("SELECT size FROM lab_attachment")]
    assert addresses == {CLIENT_ADDRESS}
    assert sizes == [100 * MB]
    assert [path.stat().st_size for path in Path(tmp_path / "media").rglob("*.pdf")] == [100 * MB]
