"""The one way dates, times, periods and money are written for a reader, in English, Russian or Uzbek.

Day first with the month in words ("6 Dec 2026", "6 дек. 2026", "6 dek 2026"), so no reader can take
12/06 for 12 June; 24-hour times; date-times in the hospital's zone (settings.TIME_ZONE) whatever zone
a value was made in. Month and weekday names come from Babel's CLDR data. Pages use the template
filters in hayat/core/templatetags/formats.py; PDFs and exports call these functions.
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from functools import cache
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date as babel_date
from babel.dates import get_month_names
from babel.numbers import format_decimal, get_group_symbol
from django.conf import settings
from django.utils import timezone
from django.utils.translation import get_language

from hayat.core.money import currency, round_money

LANGUAGES = ("en", "ru", "uz")
THIN_SPACE = "\u202f"
EN_DASH = "\u2013"
# CLDR patterns, the same in every language: the day, the month in words, then the year.
DATE_PATTERNS = {
    "medium": "d MMM y",       # 6 Dec 2026
    "short": "d MMM",          # 6 Dec
    "weekday": "EEE d MMM y",  # Sun 6 Dec 2026
    "weekday_short": "EEE d MMM",
    "month": "LLLL y",         # December 2026 (reports by month)
}
NUMERIC_DATE = "dd.MM.y"       # 06.12.2026: where a number is typed or must fit a narrow column
TIME_PATTERN = "%H:%M"


def reader_language(language: str | None = None) -> str:
    """en, ru or uz: the given language or the active one, English for anything else."""
    code = (language or get_language() or settings.LANGUAGE_CODE).lower().replace("_", "-").split("-")[0]
    return code if code in LANGUAGES else "en"


@cache
def babel_locale(language: str) -> Locale:
    """Babel's locale of en, ru or uz, parsed once per process: parsing it again for every date and amount cost
    more than the formatting itself."""
    return Locale.parse(language)


def reader_locale(language: str | None = None) -> Locale:
    return babel_locale(reader_language(language))


def hospital_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def in_hospital_time(value: datetime) -> datetime:
    """An aware moment in the hospital's zone; a naive one is taken to be hospital time already."""
    return timezone.localtime(value, hospital_zone()) if timezone.is_aware(value) else value


def _as_date(value: date | datetime) -> date:
    return in_hospital_time(value).date() if isinstance(value, datetime) else value


def format_date(value: date | datetime | None, language: str | None = None, style: str = "medium") -> str:
    """6 Dec 2026 / 6 дек. 2026 / 6 dek 2026; style "short" leaves out the year, "weekday" adds the day's name,
    "numeric" gives 06.12.2026."""
    if value is None or value == "":
        return ""
    pattern = NUMERIC_DATE if style == "numeric" else DATE_PATTERNS[style]
    return babel_date(_as_date(value), pattern, locale=reader_locale(language))


def format_month(month: int, language: str | None = None) -> str:
    """The name of a month (1-12) standing alone: December, декабрь, dekabr."""
    return get_month_names("wide", context="stand-alone", locale=reader_locale(language))[month]


def format_time(value: time | datetime | None, language: str | None = None) -> str:
    """14:05, in the hospital's zone for a moment (the 24-hour clock in every language)."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        value = in_hospital_time(value)
    return value.strftime(TIME_PATTERN)


def format_datetime(value: datetime | None, language: str | None = None, style: str = "medium") -> str:
    """6 Dec 2026 14:05 in the hospital's zone."""
    if value is None or value == "":
        return ""
    return f"{format_date(value, language, style)} {format_time(value, language)}"


def format_period(start: date | datetime | None, end: date | datetime | None, language: str | None = None) -> str:
    """6 Dec – 13 Dec 2026 (one year written once), 30 Dec 2026 – 2 Jan 2027, 6 Dec 2026 09:10–14:30;
    an open end reads "6 Dec 2026 – …"."""
    if start is None or start == "":
        return ""
    language = reader_language(language)
    if isinstance(start, datetime):
        return _moment_period(start, end, language)
    if end is None or end == "":
        return f"{format_date(start, language)} {EN_DASH} …"
    end = _as_date(end)
    start = _as_date(start)
    first = format_date(start, language, "short" if start.year == end.year else "medium")
    return f"{first} {EN_DASH} {format_date(end, language)}"


def _moment_period(start: datetime, end: datetime | None, language: str) -> str:
    if end is None or end == "":
        return f"{format_datetime(start, language)} {EN_DASH} …"
    if _as_date(start) == _as_date(end):
        return f"{format_datetime(start, language)}{EN_DASH}{format_time(end, language)}"
    return f"{format_datetime(start, language)} {EN_DASH} {format_datetime(end, language)}"


def format_number(value: Decimal | int | float, places: int = 0, language: str | None = None) -> str:
    """1 250 or 87,5: thin groups and the reader's decimal mark, like money without its currency."""
    locale = reader_locale(language)
    pattern = "#,##0" + ("." + "0" * places if places else "")
    number = format_decimal(Decimal(str(value)), pattern, locale=locale)
    return number.replace(get_group_symbol(locale), THIN_SPACE)


def format_money(amount: Decimal | int | str | None, language: str | None = None) -> str:
    """1 250 000.00 UZS in English, 1 250 000,00 UZS in Russian and Uzbek: thin groups in every language,
    the reader's decimal mark, rounded by the one rule in hayat.core.money, then the currency's ISO code."""
    if amount is None or amount == "":
        return ""
    locale = reader_locale(language)
    number = format_decimal(round_money(amount), "#,##0.00", locale=locale)
    return f"{number.replace(get_group_symbol(locale), THIN_SPACE)} {currency()}"
