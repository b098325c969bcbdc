"""The shell around every page: toasts for messages, breadcrumbs, status badges, assets served by Hayat itself."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.template import Context, Template
from django.urls import reverse

pytestmark = pytest.mark.django_db


def toasts(html: str) -> list[tuple[str, str]]:
    """(colour, text) of every toast the page shows on load."""
    return [(colour, text.strip()) for colour, text in re.findall(
        r'class="toast [^"]*text-bg-(\w+)"[^>]*data-autoshow>\s*<div class="d-flex"><div class="toast-body">([^<]*)',
        html)]


def breadcrumbs(html: str) -> list[str]:
    trail = re.search(r'<ol class="breadcrumb[^"]*">(.*?)</ol>', html, re.S).group(1)
    items = re.findall(r'<li class="breadcrumb-item[^"]*"[^>]*>(.*?)</li>', trail, re.S)
    return [re.sub(r"<[^>]+>", "", item).strip() for item in items]


def test_a_success_and_a_refusal_come_back_as_toasts_in_their_colours(admin_user, nurse, client_as):
    client = client_as(admin_user)
    done = client.post(reverse("accounts:user_set_active", args=[nurse.pk]), {"active": "0"}, follow=True)
    assert toasts(done.content.decode()) == [("success", "Account deactivated.")]
    refused = client.post(reverse("accounts:user_set_active", args=[admin_user.pk]), {"active": "0"}, follow=True)
    assert toasts(refused.content.decode()) == [("danger", "You cannot deactivate your own account.")]


def test_breadcrumbs_lead_from_home_to_the_page(admin_user, nurse, client_as):
    client = client_as(admin_user)
    assert breadcrumbs(client.get(reverse("web:dashboard")).content.decode()) == ["Home", "Dashboard"]
    page = client.get(reverse("accounts:user_edit", args=[nurse.pk])).content.decode()
    assert breadcrumbs(page) == ["Home", "Users", nurse.full_name]


@pytest.mark.parametrize(("status", "colour"), [("paid", "success"), ("cancelled", "danger"), ("new_one", "secondary")])
def test_a_status_badge_takes_the_colour_of_its_status(status, colour):
    badge = Template("{% load hayat %}{% status_badge status 'Shown' %}").render(Context({"status": status}))
    assert badge == f'<span class="badge text-bg-{colour} status-badge" data-status="{status}">Shown</span>'


def test_pages_take_bootstrap_and_htmx_from_hayat_itself_and_fit_a_phone(nurse, client_as):
    html = client_as(nurse).get(reverse("web:dashboard")).content.decode()
    assets = re.findall(r"""(?:src|href)=["']/static/([^"']+)""", html)
    assert {"bootstrap/css/bootstrap.min.css", "bootstrap/js/bootstrap.bundle.min.js"} <= set(assets)
    assert any(asset.startswith("django_htmx/") for asset in assets)
    assert [asset for asset in assets if not finders.find(asset)] == []
    assert re.findall(r"""(?:src|href)=["']https?://""", html) == []
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert 'data-bs-toggle="offcanvas" data-bs-target="#sidebar"' in html
