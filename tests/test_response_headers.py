"""Headers every page carries: a Content-Security-Policy that runs no inline script (and templates that have
none), compressed HTML; the API docs page keeps working under that policy."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = sorted((ROOT / "hayat").glob("*/templates/**/*.html"))
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)


def policy_of(response) -> dict[str, list[str]]:
    directives = [part.split() for part in response["Content-Security-Policy"].split(";") if part.strip()]
    return {name: values for name, *values in directives}


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: str(path.relative_to(ROOT / "hayat")))
def test_no_template_has_inline_script(template):
    text = template.read_text(encoding="utf-8")
    assert not INLINE_SCRIPT.search(text) and not INLINE_HANDLER.search(text) and "javascript:" not in text


def test_pages_allow_scripts_from_the_site_only(client_as, teller):
    response = client_as(teller).get(reverse("web:dashboard"))
    policy = policy_of(response)
    assert policy["script-src"] == ["'self'"] and policy["object-src"] == ["'none'"]
    assert "'unsafe-inline'" not in policy["default-src"]


def test_the_login_page_carries_the_policy_too(client):
    assert policy_of(client.get(reverse("login")))["script-src"] == ["'self'"]


def test_html_is_compressed_for_browsers_that_accept_it(client_as, teller):
    response = client_as(teller).get(reverse("web:dashboard"), headers={"Accept-Encoding": "gzip"})
    assert response["Content-Encoding"] == "gzip"
    assert b"</html>" in gzip.decompress(response.content)
    assert "Accept-Encoding" in response["Vary"]


def test_the_api_docs_load_their_set_up_script_from_a_file(client_as, admin_user):
    client = client_as(admin_user)
    page = client.get(reverse("api-docs")).content.decode()
    assert not INLINE_SCRIPT.search(page)
    script_url = re.search(r'<script src="([^"]*script=[^"]*)"', page).group(1).replace("&amp;", "&")
    script = client.get(script_url)
    assert script.status_code == 200 and script["Content-Type"].startswith("application/javascript")
    assert b"SwaggerUIBundle" in script.content
