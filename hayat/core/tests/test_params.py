"""Ids and dates read from requests: anything odd becomes None or a form error, never an exception."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st
from rest_framework import serializers

from hayat.accounts.models import Specialisation
from hayat.core.params import (
    MAX_ID,
    IdField,
    KeyChoicesField,
    SaneDateField,
    SaneDateTimeSerializerField,
    count_from,
    date_from,
    id_from,
)


@pytest.mark.parametrize("text, expected", [
    ("42", 42), (" 7 ", 7), ("0", None), ("-1", None), ("²", None), ("٣", None), ("1e3", None), ("", None),
    (None, None), (str(MAX_ID), MAX_ID), (str(MAX_ID + 1), None), ("99999999999999999999999", None),
])
def test_id_from_takes_only_keys_a_database_can_hold(text, expected):
    assert id_from(text) == expected


@given(st.text(max_size=30))
def test_id_from_never_raises(text):
    result = id_from(text)
    assert result is None or 0 < result <= MAX_ID


def test_count_from_clamps_and_falls_back():
    assert count_from("500", default=14, minimum=1, maximum=90) == 90
    assert count_from("0", default=14, minimum=1, maximum=90) == 1
    assert count_from("²", default=14, minimum=1, maximum=90) == 14


@pytest.mark.parametrize("text, expected", [
    ("2026-11-21", date(2026, 11, 21)), ("9999-12-31", None), ("0001-01-01", None), ("2026-02-30", None),
    ("yesterday", None), ("", None),
])
def test_date_from_keeps_dates_that_arithmetic_cannot_overflow(text, expected):
    assert date_from(text) == expected


def test_form_fields_turn_odd_values_into_messages():
    ids, dates = IdField(required=False), SaneDateField(required=False)
    assert ids.clean("12") == 12
    for value in ("²", "99999999999999999999999", "-3"):
        with pytest.raises(ValidationError):
            ids.clean(value)
    with pytest.raises(ValidationError) as refused:
        dates.clean("9999-12-31")
    assert "between 1900-01-01 and 2199-12-31" in str(refused.value)


def test_an_id_field_speaks_its_own_invalid_message():
    field = IdField(error_messages={"invalid": "Choose the patient from the list."})
    with pytest.raises(ValidationError) as refused:
        field.clean("²")
    assert refused.value.messages == ["Choose the patient from the list."]


@pytest.mark.parametrize("moment", ["0001-01-01T00:00:00", "9999-12-31T23:59:00", "2200-01-01T00:00:00+05:00"])
def test_an_api_moment_beyond_the_calendar_is_a_field_error_not_an_overflow(moment):
    with pytest.raises(serializers.ValidationError) as refused:
        SaneDateTimeSerializerField().run_validation(moment)
    assert refused.value.detail == ["Enter a date between 1900-01-01 and 2199-12-31."]
    assert SaneDateTimeSerializerField().run_validation("2026-12-02T10:00:00").year == 2026


@pytest.mark.django_db
def test_a_multiple_choice_with_a_key_no_column_holds_is_a_form_error():
    cardiology = Specialisation.objects.create(name="Cardiology")
    field = KeyChoicesField(queryset=Specialisation.objects.all(), required=False)
    for keys in (["99999999999999999999999"], [str(cardiology.pk), "²"]):
        with pytest.raises(ValidationError) as refused:
            field.clean(keys)
        assert refused.value.code == "invalid_pk_value"
    assert list(field.clean([str(cardiology.pk)])) == [cardiology]
