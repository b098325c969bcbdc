"""The app migrates, starts and serves its pages and assets with no network beyond this machine."""

import re
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.processes import OFFLINE_GUARD, ROOT, free_port, manage, private_environment, start, stop

pytestmark = pytest.mark.processes


def fetch(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback only
        return response.status, response.read().decode("utf-8", "replace")


def wait_for(url: str, seconds: float = 30) -> tuple[int, str]:
    deadline = time.monotonic() + seconds
    while True:
        try:
            return fetch(url)
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def test_the_guard_really_cuts_the_network(tmp_path):
    script = f"import runpy, socket; runpy.run_path({str(OFFLINE_GUARD)!r}); " \
             "socket.create_connection(('8.8.8.8', 53), timeout=2)"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            env=private_environment(tmp_path), cwd=ROOT, timeout=60)
    assert result.returncode != 0 and "offline" in result.stderr


def test_app_starts_and_serves_with_no_network(tmp_path):
    env = private_environment(tmp_path)
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "collectstatic", "--noinput", "-v", "0")
    port = free_port()
    server = start(env, "-m", "waitress", f"--listen=127.0.0.1:{port}", "hayat.wsgi:application")
    try:
        base = f"http://127.0.0.1:{port}"
        status, html = wait_for(f"{base}/login/")
        assert status == 200 and 'name="username"' in html
        assets = re.findall(r"""(?:href|src)=["'](/static/[^"']+)""", html)
        assert any("bootstrap" in asset for asset in assets)
        for asset in assets:
            assert fetch(base + asset)[0] == 200
        assert re.findall(r"""(?:href|src)=["']https?://""", html) == []
    finally:
        stop(server)
