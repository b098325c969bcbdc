"""Browser tests: Playwright for Python driving the system Chromium (never a downloaded browser).

`python run.py test` runs them (`-m e2e`) when it finds Chromium, against Django's live server.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_FLAGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
ARTIFACTS = Path(os.environ.get("HAYAT_TEST_ARTIFACTS", "test-artifacts"))


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.e2e)


def chromium_path() -> str:
    path = os.environ.get("HAYAT_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        pytest.fail(f"Chromium not found at {path}: install Debian's chromium or set HAYAT_CHROMIUM")
    return path


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server, request):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1366, "height": 900},
                                  locale="en-GB")
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    if getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture
def log_in(page):
    """log_in(user) signs in through the real login form (password from the user factory)."""
    from hayat.accounts.tests.factories import TEST_PASSWORD

    def sign_in(user, password: str = TEST_PASSWORD):
        page.goto("/login/")
        page.fill("input[name=username]", user.user_id)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        page.wait_for_selector("#main-nav")
        return page

    return sign_in


@pytest.fixture
def screenshot(page):
    """screenshot("name") keeps a full-page picture in the artifacts folder when HAYAT_SCREENSHOTS=1 is set,
    to look at the pages by eye."""

    def take(name: str) -> None:
        if not os.environ.get("HAYAT_SCREENSHOTS"):
            return
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

    return take
