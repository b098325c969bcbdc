"""The language switcher: after choosing Russian or Uzbek, pages of every app speak it; every catalogue is complete."""

import os
import re
import shutil
from pathlib import Path

import django.test.signals  # noqa: F401 - connects Django's translation-cache reset to setting_changed
import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.signals import setting_changed
from django.urls import reverse

import hayat
from hayat.core import clock
from hayat.patients.tests.factories import PatientFactory
from hayat.stays import services
from hayat.stays.models import BookingStatus
from hayat.stays.tests.factories import book, make_room, make_tariff

LANGUAGES = ("ru", "uz")
APPS_WITH_LOCALE = sorted(path.parent.name for path in Path(hayat.__file__).parent.glob("*/locale"))
CATALOGUES = [Path(hayat.__file__).parent / app / "locale" / language / "LC_MESSAGES" / "django.po"
              for app in APPS_WITH_LOCALE for language in LANGUAGES]
UZBEK_CATALOGUES = [path for path in CATALOGUES if path.parts[-3] == "uz"]
PLURAL_FORMS = {"ru": 3, "uz": 2}
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")
# Inside a word, oʻ, gʻ and the tutuq belgisi ʼ are letters of their own (U+02BB, U+02BC), not quotes.
QUOTE_INSIDE_A_WORD = re.compile("[A-Za-z][\u2018\u2019'][A-Za-z]")

# One page of each app, who may open it, words it must show in Russian and English it must no longer show.
RUSSIAN_PAGES = [
    ("patients:list", "receptionist", ("Пациенты", "Новый пациент", "Сбросить фильтры"), ("New patient",)),
    ("facilities:room_list", "admin_user", ("Палаты", "Новая палата", "Поиск по палате, типу, блоку или заметкам"),
     ("New room", "Rooms and beds")),
    ("catalog:tariff_list", "admin_user", ("Тарифы", "Новый тариф", "Сетка цен"), ("New tariff", "Price grid")),
    ("stays:booking_list", "receptionist", ("Бронирования", "Новое бронирование", "Календарь бронирований"),
     ("New booking", "Search bookings")),
    ("clinical:episode_list", "receptionist",
     ("Эпизоды лечения", "Оформить поступление пациента", "Поиск эпизодов лечения"),
     ("Episodes", "Check in a patient")),
    ("lab:result_list", "doctor", ("Результаты анализов", "Новый результат", "Все виды анализов"),
     ("Lab results", "All test types")),
    ("billing:bill_list", "teller", ("Счета", "Кассовый отчёт", "Неоплаченные"), ("Cash report", "All tellers")),
]


@pytest.fixture(scope="module", autouse=True)
def compiled_translations():
    """The .mo files are not committed: compile them if missing, and drop catalogues Django loaded before."""
    call_command("compile_translations")
    # Django's own reset, as when a test overrides LOCALE_PATHS: forget catalogues cached without these .mo files.
    setting_changed.send(sender=None, setting="LOCALE_PATHS", value=settings.LOCALE_PATHS, enter=False)


def switch_language(client, language: str, route: str = "web:dashboard"):
    response = client.post(reverse("set_language"), {"language": language, "next": reverse(route)})
    assert response.status_code == 302
    return client.get(response["Location"])


@pytest.mark.django_db
def test_dashboard_speaks_english_before_any_switch(client_as, nurse):
    page = client_as(nurse).get(reverse("web:dashboard")).content.decode()
    assert "Good day, Nina" in page
    assert '<html lang="en">' in page


@pytest.mark.django_db
def test_dashboard_speaks_russian_after_switching(client_as, nurse):
    response = switch_language(client_as(nurse), "ru")
    page = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="ru">' in page
    assert "Добрый день, Nina" in page
    assert "Рабочий стол" in page  # title and breadcrumb
    assert "Перейти к содержимому" in page
    assert "Медсестра" in page  # the role name comes from hayat.core's catalogue
    for english in ("Good day", "Skip to content", "Keyboard shortcuts", "My profile", ">Dashboard<"):
        assert english not in page


@pytest.mark.django_db
def test_dashboard_speaks_uzbek_after_switching(client_as, nurse):
    response = switch_language(client_as(nurse), "uz")
    page = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="uz">' in page
    assert "Xayrli kun, Nina" in page
    assert "Ish stoli" in page
    assert "Asosiy mazmunga oʻtish" in page
    assert "Hamshira" in page
    for english in ("Good day", "Skip to content", "Keyboard shortcuts", "My profile", ">Dashboard<"):
        assert english not in page


@pytest.mark.django_db
def test_admin_menu_of_every_foundation_app_follows_the_chosen_language(client_as, admin_user):
    page = switch_language(client_as(admin_user), "ru").content.decode()
    for russian in ("Администрирование", "Пользователи", "Журнал действий", "Фоновые задачи", "Администратор"):
        assert russian in page
    page = switch_language(client_as(admin_user), "uz").content.decode()
    for uzbek in ("Administratsiya", "Foydalanuvchilar", "Faoliyat jurnali", "Fon vazifalari", "Administrator"):
        assert uzbek in page
    for english in ("Activity log", "Background jobs", ">Users<"):
        assert english not in page


@pytest.mark.django_db
def test_switching_back_to_english_restores_english(client_as, nurse):
    client = client_as(nurse)
    switch_language(client, "ru")
    page = switch_language(client, "en").content.decode()
    assert "Good day, Nina" in page
    assert "Добрый день" not in page


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "persona", "russian", "english"), RUSSIAN_PAGES,
                         ids=[page[0] for page in RUSSIAN_PAGES])
def test_a_page_of_every_app_speaks_russian(request, client_as, route, persona, russian, english):
    client = client_as(request.getfixturevalue(persona))
    response = switch_language(client, "ru", route)
    page = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="ru">' in page
    for word in russian:
        assert word in page
    for word in english:
        assert word not in page


def test_every_app_with_a_locale_directory_has_both_catalogues():
    assert {"patients", "facilities", "catalog", "stays", "clinical", "lab", "billing"} <= set(APPS_WITH_LOCALE)
    missing = [path for path in CATALOGUES if not path.exists()]
    assert missing == []


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda path: f"{path.parts[-5]}-{path.parts[-3]}")
def test_every_catalogue_translates_every_string(path):
    language = path.parts[-3]
    catalogue = polib.pofile(str(path))
    assert catalogue.metadata["Language"] == language
    assert "charset=UTF-8" in catalogue.metadata["Content-Type"]
    assert catalogue.metadata["Plural-Forms"].startswith(f"nplurals={PLURAL_FORMS[language]};")
    assert len(catalogue) > 0
    for entry in catalogue:
        assert "fuzzy" not in entry.flags, entry.msgid
        if entry.msgid_plural:
            forms = [entry.msgstr_plural.get(index, "") for index in range(PLURAL_FORMS[language])]
            sources = entry.msgid + entry.msgid_plural
        else:
            forms = [entry.msgstr]
            sources = entry.msgid
        for form in forms:
            assert form.strip(), f"{path}: empty translation of {entry.msgid!r}"
            assert set(PLACEHOLDER.findall(form)) == set(PLACEHOLDER.findall(sources)), entry.msgid


def source_msgids(app: str, tmp_path: Path) -> set[tuple[str, str]]:
    """(context, msgid) of every string marked for translation in the app, as makemessages finds them.

    It runs on a copy of the app's source with an empty locale directory, so the committed catalogues are
    neither read nor touched.
    """
    copy = tmp_path / app
    shutil.copytree(Path(hayat.__file__).parent / app, copy,
                    ignore=shutil.ignore_patterns("locale", "__pycache__", "*.mo", "*.po"))
    (copy / "locale").mkdir()
    cwd = os.getcwd()
    os.chdir(copy)
    try:
        call_command("makemessages", locale=["ru"], verbosity=0, no_obsolete=True)
    finally:
        os.chdir(cwd)
    return {(entry.msgctxt or "", entry.msgid) for entry in polib.pofile(str(copy / "locale/ru/LC_MESSAGES/django.po"))}


@pytest.mark.parametrize("app", APPS_WITH_LOCALE)
def test_every_string_of_the_source_is_in_both_catalogues(app, tmp_path):
    found = source_msgids(app, tmp_path)
    assert found, f"makemessages found no strings in {app}"
    for language in LANGUAGES:
        path = Path(hayat.__file__).parent / app / "locale" / language / "LC_MESSAGES" / "django.po"
        committed = {(entry.msgctxt or "", entry.msgid) for entry in polib.pofile(str(path)) if not entry.obsolete}
        missing = sorted(msgid for _context, msgid in found - committed)
        assert missing == [], f"{app}/{language}: run makemessages and translate: {missing}"


@pytest.mark.parametrize("path", UZBEK_CATALOGUES, ids=lambda path: path.parts[-5])
def test_uzbek_writes_its_apostrophe_letters_not_quotes(path):
    for entry in polib.pofile(str(path)):
        for form in [entry.msgstr, *entry.msgstr_plural.values()]:
            assert not QUOTE_INSIDE_A_WORD.search(form), f"{path}: {form!r}"


@pytest.mark.parametrize(("language", "words"), [("ru", ("Что-то пошло не так", "Вернуться на рабочий стол")),
                                                 ("uz", ("Nimadir notoʻgʻri ketdi", "Ish stoliga qaytish"))])
def test_the_server_error_page_speaks_the_language_without_a_request_context(rf, language, words):
    from django.utils import translation

    from hayat.web.views import server_error

    with translation.override(language):
        page = server_error(rf.get("/")).content.decode()
    assert f'<html lang="{language}">' in page
    for word in words:
        assert word in page
    assert "Something went wrong" not in page


@pytest.mark.django_db
def test_the_browser_gets_its_error_toasts_in_the_chosen_language(client_as, nurse):
    page = switch_language(client_as(nurse), "ru").content.decode()
    assert 'data-forbidden="Доступ запрещён."' in page
    assert 'data-failed="Запрос не выполнен (%(status)s)."' in page
    script = (Path(hayat.__file__).parent / "web" / "static" / "web" / "hayat.js").read_text(encoding="utf-8")
    assert "Not allowed" not in script and "request failed" not in script


@pytest.mark.django_db
def test_access_log_labels_are_stored_in_english_and_shown_in_the_readers_language(client_as, admin_user, nurse):
    from django.utils import translation
    from django.utils.translation import gettext_lazy

    from hayat.core import audit

    label = "Patient"  # a label another app's catalogue translates (a variable, so makemessages skips it here)
    with translation.override("uz"):
        entry = audit.log_access(by=nurse, patient_id=5, what=gettext_lazy(label))
    assert entry.what == "Patient"
    switch_language(client_as(admin_user), "ru", "ops:activity")
    page = client_as(admin_user).get(reverse("ops:activity"), {"log": "access"}).content.decode()
    assert "<td>Пациент</td>" in page


@pytest.mark.django_db
def test_the_booking_timeline_names_both_statuses_of_a_change_in_the_chosen_language(client_as, receptionist):
    booking = book(receptionist, guests=[(PatientFactory(), make_room(), make_tariff())],
                   start=clock.today(), status=BookingStatus.PENDING)
    services.change_status(by=receptionist, booking=booking, to=BookingStatus.CONFIRMED, reason="Deposit promised")
    client = client_as(receptionist)
    switch_language(client, "ru")
    page = client.get(booking.get_absolute_url()).content.decode()
    change = page[page.index('id="timeline"'):]
    change = change[:change.index("</li>")]
    assert ">Ожидает<" in change and ">Подтверждено<" in change
    assert ">Pending<" not in change
