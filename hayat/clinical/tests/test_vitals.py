"""Vital signs: plausible ranges refuse typing errors, abnormal readings are kept and flagged."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from hypothesis import given
from hypothesis import strategies as st

from hayat.clinical import services
from hayat.clinical.models import Vitals
from hayat.clinical.tests.factories import checked_in
from hayat.clinical.vitals import MEASURES, abnormal, clean_vitals
from hayat.core.errors import DomainError

pytestmark = pytest.mark.django_db


@pytest.fixture
def episode(hospital, receptionist, clock):
    return checked_in(hospital.patient, receptionist)


def test_a_full_set_of_readings_is_stored_with_the_nurse_and_time(episode, nurse, clock):
    vitals = services.record_vitals(by=nurse, episode=episode, values={
        "systolic": "128", "diastolic": "82", "temperature": "36,8", "pulse": 72, "respiration": 16,
        "oxygen_saturation": 98, "height_cm": "172.5", "weight_kg": "70.0"})
    vitals.refresh_from_db()
    assert vitals.blood_pressure == "128/82" and vitals.temperature == Decimal("36.8")
    assert vitals.recorded_by == nurse and vitals.taken_at == clock.now()
    assert vitals.bmi == Decimal("23.5")


@pytest.mark.parametrize(("name", "value", "expected"), [
    ("temperature", "52", "Temperature 52 °C is outside 25–45 °C"),
    ("systolic", "1200", "BP systolic 1200 mmHg is outside 40–300 mmHg"),
    ("pulse", "0", "Pulse 0 /min is outside 20–300 /min"),
    ("weight_kg", "-3", "Weight -3 kg is outside 0.3–400 kg"),
    ("pulse", "seventy", "Pulse must be a number."),
    ("pulse", "72.5", "Pulse takes at most 0 decimal place(s)."),
    ("temperature", "36.55", "Temperature takes at most 1 decimal place(s)."),
    ("respiration", "NaN", "Respiration must be a number."),
])
def test_implausible_readings_are_refused_with_the_field_named(episode, nurse, name, value, expected):
    with pytest.raises(DomainError) as refused:
        services.record_vitals(by=nurse, episode=episode, values={name: value})
    assert refused.value.field == name and expected in refused.value.message
    assert not Vitals.objects.exists()


def test_systolic_must_exceed_diastolic_and_something_must_be_measured(episode, nurse):
    with pytest.raises(DomainError, match="systolic pressure must be higher"):
        services.record_vitals(by=nurse, episode=episode, values={"systolic": 80, "diastolic": 90})
    with pytest.raises(DomainError, match="at least one reading"):
        services.record_vitals(by=nurse, episode=episode, values={"pulse": "", "systolic": None})


def test_readings_cannot_be_from_the_future_or_before_check_in(episode, nurse, clock):
    with pytest.raises(DomainError) as refused:
        services.record_vitals(by=nurse, episode=episode, values={"pulse": 80},
                               taken_at=clock.now() + timedelta(hours=1))
    assert refused.value.field == "taken_at"
    with pytest.raises(DomainError):
        services.record_vitals(by=nurse, episode=episode, values={"pulse": 80},
                               taken_at=clock.now() - timedelta(days=2))


def test_abnormal_but_plausible_readings_are_kept_and_flagged(episode, nurse):
    vitals = services.record_vitals(by=nurse, episode=episode, values={"temperature": "39.4", "pulse": 124})
    assert vitals.pk and abnormal("temperature", vitals.temperature) and abnormal("pulse", vitals.pulse)
    assert not abnormal("temperature", Decimal("36.6"))


def test_the_database_refuses_an_implausible_reading_written_around_the_service(episode, nurse, clock):
    for values in ({"temperature": Decimal("80.0")}, {"systolic": 80, "diastolic": 120}, {"pulse": 500}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Vitals.objects.create(episode=episode, taken_at=clock.now(), recorded_by=nurse, **values)


@given(st.sampled_from(sorted(MEASURES)), st.decimals(min_value=-1000, max_value=1000, places=1))
def test_a_reading_is_accepted_exactly_when_it_lies_in_its_plausible_range(name, value):
    spec = MEASURES[name]
    inside = spec.low <= value <= spec.high and (spec.decimals or value == value.to_integral_value())
    try:
        cleaned = clean_vitals({name: str(value)})
    except DomainError:
        assert not inside
    else:
        assert inside and cleaned[name] == value
