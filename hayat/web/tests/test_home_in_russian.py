"""The breadcrumbs' "Home" is the start page in Russian ("Главная"), not a home phone ("Домашний")."""

import pytest
from django.conf import settings
from django.urls import reverse


@pytest.mark.django_db
def test_the_breadcrumbs_home_reads_glavnaya_in_russian(client_as, nurse):
    client = client_as(nurse)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    page = client.get(reverse("web:dashboard")).content.decode()
    crumbs = page[page.index('<ol class="breadcrumb'):]
    crumbs = crumbs[:crumbs.index("</ol>")]
    assert "Главная" in crumbs and "Домашний" not in crumbs
