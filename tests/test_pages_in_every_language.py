"""Every page, opened in Russian and in Uzbek, writes dates the reader's way and labels in the reader's language,
and names one thing in the singular.

A date like 12/06/2026 is read as 12 June in Tashkent and as 6 December in Manila: no page may write one. A
label, table heading, legend, title or placeholder left in English is a string someone forgot to mark or
translate. Each page is opened as Admin (or as the first role the policy lets in) with sample data.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.signals import setting_changed

from hayat.core.policy import SIGNED_IN, roles_for
from hayat.core.roles import Role
from tests.routes import Route, RouteData, module_route_data, project_routes, send, url_of

pytestmark = pytest.mark.django_db

US_STYLE_DATE = re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b")
# One of something named in the genitive plural ("1 результатов", "1 госпитализированных пациентов"): a count
# written without ngettext. 11 takes that form and 21 the singular; neither matches a lone 1.
RUSSIAN_ONE_AS_MANY = re.compile(r"(?<![\d.,])\b1\s+(?:[а-яё]+\s+)?[а-яё]+(?:ов|ей|ых)\b")
# English words of labels and headings that are no words of Russian or Uzbek. A label made only of them was
# left in English; one with other words too ("Sample type", "Ward room") is the sample data's name.
ENGLISH = frozenset("""
all and any arrival booking bookings cancel date departure filter filters from guest guests name new night nights
none patient patients price reset results room rooms save search service services show status the total type
types until with
""".split())
LABELLING_TAGS = frozenset({"label", "th", "legend", "h1", "h2", "h3", "h4", "h5"})
LABELLING_ATTRIBUTES = ("placeholder", "aria-label", "title")


class PageText(HTMLParser):
    """The visible text of a page, and the texts that label things (labels, headings, placeholders)."""

    def __init__(self):
        super().__init__()
        self.text: list[str] = []
        self.labels: list[str] = []
        self.open_labels: list[list[str]] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skipping += 1
        if tag in LABELLING_TAGS:
            self.open_labels.append([])
        for name, value in attrs:
            if name in LABELLING_ATTRIBUTES and value:
                self.labels.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skipping = max(0, self.skipping - 1)
        if tag in LABELLING_TAGS and self.open_labels:
            self.labels.append(" ".join(self.open_labels.pop()))

    def handle_data(self, data):
        if self.skipping:
            return
        self.text.append(data)
        for label in self.open_labels:
            label.append(data)


def is_english(text: str) -> bool:
    words = re.findall(r"[A-Za-z]+", text)
    return bool(words) and all(word.lower() in ENGLISH for word in words)


def web_pages() -> list[Route]:
    return [route for route in project_routes()
            if "GET" in route.methods and not route.is_api and not route.is_public
            and route.name not in ("set_language", "logout")]


PAGES = web_pages()


@pytest.fixture(scope="module")
def route_data(django_db_setup, django_db_blocker) -> Iterator[RouteData]:
    call_command("compile_translations")
    setting_changed.send(sender=None, setting="LOCALE_PATHS", value=settings.LOCALE_PATHS, enter=False)
    yield from module_route_data(django_db_blocker, raise_request_exception=False)


def reader_of(route: Route) -> Role:
    capability = route.capability("GET")
    allowed = list(Role) if capability == SIGNED_IN else [role for role in Role if role in roles_for(capability)]
    return Role.ADMIN if Role.ADMIN in allowed else allowed[0]


@pytest.mark.parametrize("route", PAGES, ids=[route.name for route in PAGES])
def test_a_page_in_russian_and_uzbek_has_no_us_date_and_no_english_label(route: Route, route_data):
    client = route_data.clients[reader_of(route)]
    url = url_of(route, route_data.samples)
    problems: list[str] = []
    for language in ("ru", "uz"):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        try:
            response = send(client, "GET", url)
        finally:
            del client.cookies[settings.LANGUAGE_COOKIE_NAME]
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        page = PageText()
        page.feed(response.content.decode())
        problems += [f"{language}: US-style date {date!r}" for date in US_STYLE_DATE.findall(" ".join(page.text))]
        problems += [f"{language}: English label {label.strip()!r}" for label in page.labels if is_english(label)]
        if language == "ru":
            problems += [f"ru: one named as many {words!r}"
                         for words in RUSSIAN_ONE_AS_MANY.findall(" ".join(page.text).lower())]
    assert problems == [], f"{url}\n" + "\n".join(sorted(set(problems)))
