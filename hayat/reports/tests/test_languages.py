"""A report speaks the reader's language: its title, columns, filters and the message for too long a period."""

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.signals import setting_changed
from django.urls import reverse

from hayat.core.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", autouse=True)
def compiled_translations():
    call_command("compile_translations")
    setting_changed.send(sender=None, setting="LOCALE_PATHS", value=settings.LOCALE_PATHS, enter=False)


@pytest.fixture
def admin_client(client, make_user):
    client.force_login(make_user(Role.ADMIN))
    return client


def speaking(client, language):
    client.post(reverse("set_language"), {"language": language, "next": reverse("reports:index")})
    return client


@pytest.mark.parametrize(("language", "words"), [
    ("ru", ("Отчёты", "Загрузка", "Места в работе, выведенные из работы и занятые", "В работе", "Показать")),
    ("uz", ("Hisobotlar", "Bandlik", "Ishlayotgan, ishlamaydigan va band oʻrinlar", "Ishlamoqda", "Koʻrsatish")),
])
def test_a_report_page_speaks_the_chosen_language(admin_client, language, words):
    page = speaking(admin_client, language).get(reverse("reports:occupancy"),
                                                {"start": "2026-11-01", "end": "2026-11-07"}).content.decode()
    for word in words:
        assert word in page
    for english in ("In service", "Out of order", ">Show<"):
        assert english not in page


@pytest.mark.parametrize(("language", "message"), [("ru", "Выберите не больше 1098 дней."),
                                                  ("uz", "Koʻpi bilan 1098 kun tanlang.")])
def test_too_long_a_period_is_refused_with_the_plural_of_the_language(admin_client, language, message):
    page = speaking(admin_client, language).get(reverse("reports:occupancy"),
                                                {"start": "2020-01-01", "end": "2026-11-01"})
    assert page.status_code == 400
    assert message in page.content.decode()
