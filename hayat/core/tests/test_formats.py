"""Dates, times, periods and money read the same way on every page, PDF and export, in each language."""

import re
from datetime import UTC, date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import translation
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from hayat.core import formats
from hayat.core.money import format_money as legacy_format_money

US_STYLE = re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b")


@pytest.mark.parametrize(("language", "expected"), [
    ("en", "6 Dec 2026"), ("ru", "6 дек. 2026"), ("uz", "6 dek 2026"),
])
def test_a_date_is_day_first_with_the_month_in_words(language, expected):
    assert formats.format_date(date(2026, 12, 6), language) == expected


def test_a_date_follows_the_active_language_when_none_is_given():
    with translation.override("ru"):
        assert formats.format_date(date(2026, 12, 6), style="weekday") == "вс 6 дек. 2026"
    with translation.override("uz"):
        assert formats.format_date(date(2026, 12, 6), style="short") == "6 dek"
    assert formats.format_date(date(2026, 12, 6), "de") == "6 Dec 2026"


def test_numeric_dates_are_dotted_never_us_style():
    assert formats.format_date(date(2026, 6, 12), "en", "numeric") == "12.06.2026"


# Pure formatting, no database: a loaded CI machine may pause a draw, which is no reason to fail.
@hypothesis_settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)), st.sampled_from(formats.LANGUAGES),
       st.sampled_from([*formats.DATE_PATTERNS, "numeric"]))
def test_no_date_in_any_language_or_style_reads_like_12_06_2026(day, language, style):
    assert not US_STYLE.search(formats.format_date(day, language, style))


@pytest.mark.parametrize("language", formats.LANGUAGES)
def test_moments_are_written_in_the_hospital_zone_on_the_24_hour_clock(settings, language):
    settings.TIME_ZONE = "Asia/Tashkent"
    moment = datetime(2026, 12, 6, 21, 5, tzinfo=UTC)  # 02:05 on the 7th in Tashkent
    assert formats.format_time(moment, language) == "02:05"
    assert formats.format_datetime(moment, language).endswith(" 02:05")
    assert formats.format_datetime(moment, language).startswith("7 ")
    assert formats.format_date(moment, language).startswith("7 ")


def test_the_same_moment_in_two_zones_reads_the_same(settings):
    settings.TIME_ZONE = "Asia/Tashkent"
    in_utc = datetime(2026, 12, 6, 9, 10, tzinfo=UTC)
    in_manila = in_utc.astimezone(ZoneInfo("Asia/Manila"))
    assert formats.format_datetime(in_utc, "en") == formats.format_datetime(in_manila, "en") == "6 Dec 2026 14:10"


def test_a_time_of_day_is_written_as_it_is():
    assert formats.format_time(time(9, 5)) == "09:05"


@pytest.mark.parametrize(("start", "end", "expected"), [
    (date(2026, 12, 6), date(2026, 12, 13), "6 Dec – 13 Dec 2026"),
    (date(2026, 12, 30), date(2027, 1, 2), "30 Dec 2026 – 2 Jan 2027"),
    (date(2026, 12, 6), None, "6 Dec 2026 – …"),
])
def test_a_period_of_days_writes_a_shared_year_once(start, end, expected):
    assert formats.format_period(start, end, "en") == expected


def test_a_period_of_days_in_russian_and_uzbek():
    assert formats.format_period(date(2026, 12, 6), date(2026, 12, 7), "ru") == "6 дек. – 7 дек. 2026"
    assert formats.format_period(date(2026, 12, 6), date(2026, 12, 7), "uz") == "6 dek – 7 dek 2026"


def test_a_period_of_moments_in_one_day_writes_the_day_once(settings):
    settings.TIME_ZONE = "Asia/Tashkent"
    start, end = datetime(2026, 12, 6, 4, 10, tzinfo=UTC), datetime(2026, 12, 6, 9, 30, tzinfo=UTC)
    assert formats.format_period(start, end, "en") == "6 Dec 2026 09:10–14:30"
    assert formats.format_period(start, datetime(2026, 12, 8, 9, 30, tzinfo=UTC), "en") == \
        "6 Dec 2026 09:10 – 8 Dec 2026 14:30"


@pytest.mark.parametrize(("language", "expected"), [
    ("en", "1\u202f250\u202f000.50 UZS"), ("ru", "1\u202f250\u202f000,50 UZS"), ("uz", "1\u202f250\u202f000,50 UZS"),
])
def test_money_has_thin_groups_the_readers_decimal_mark_and_the_currency(settings, language, expected):
    settings.HAYAT_CURRENCY = "UZS"
    assert formats.format_money(Decimal("1250000.499"), language) == expected


def test_the_old_money_formatter_writes_the_same_in_the_active_language(settings):
    settings.HAYAT_CURRENCY = "PHP"
    with translation.override("ru"):
        assert legacy_format_money(Decimal("12.5")) == "12,50 PHP"
    assert legacy_format_money(None) == formats.format_money(None) == ""


def test_nothing_to_write_is_an_empty_string():
    assert formats.format_date(None) == formats.format_datetime(None) == formats.format_time(None) == ""
    assert formats.format_period(None, None) == ""


def test_template_filters_write_in_the_pages_language(settings):
    settings.TIME_ZONE = "Asia/Tashkent"
    template = Template("{% load formats hayat %}{{ start|local_date:'weekday' }} | {{ start|period_to:end }} | "
                        "{{ at|local_datetime }} | {{ at|local_time }} | {{ amount|money }}")
    context = Context({"start": date(2026, 12, 6), "end": date(2026, 12, 13), "amount": Decimal("1000"),
                       "at": datetime(2026, 12, 6, 4, 10, tzinfo=UTC)})
    with translation.override("ru"):
        written = template.render(context)
    assert written == "вс 6 дек. 2026 | 6 дек. – 13 дек. 2026 | 6 дек. 2026 09:10 | 09:10 | 1\u202f000,00 UZS"
