"""Factories for patients, regions and districts; other apps' tests use PatientFactory too."""

from datetime import date

import factory

from hayat.core.codes import UNAMBIGUOUS
from hayat.patients.models import District, Gender, Patient, Region

FIRST_NAMES = ["Aziza", "Bobur", "Dilnoza", "Jasur", "Malika", "Nodir", "Shahnoza", "Timur", "Zarina", "Otabek"]
LAST_NAMES = ["Karimov", "Yusupova", "Rakhimov", "Tursunova", "Aliyev", "Saidova", "Ergashev", "Nazarova"]


def code_for(number: int) -> str:
    """A distinct 5-character code for each sequence number (the real ones are random)."""
    letters = []
    for _ in range(5):
        number, digit = divmod(number, len(UNAMBIGUOUS))
        letters.append(UNAMBIGUOUS[digit])
    return "".join(reversed(letters))


def letters_for(number: int) -> str:
    """Distinct letters for each number, so generated names stay valid names (no digits)."""
    letters = []
    while True:
        number, letter = divmod(number, 26)
        letters.append(chr(ord("a") + letter))
        if not number:
            return "".join(reversed(letters)).capitalize()


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("country", "name")

    country = "UZ"
    name = factory.Sequence(lambda n: f"Region {n}")


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ("region", "name")

    region = factory.SubFactory(RegionFactory)
    name = factory.Sequence(lambda n: f"District {n}")


class PatientFactory(factory.django.DjangoModelFactory):
    """A valid patient saved directly (no duplicate check); use services.register_patient to test rules."""

    class Meta:
        model = Patient

    code = factory.Sequence(lambda n: code_for(n + 7919))
    first_name = factory.Sequence(lambda n: FIRST_NAMES[n % len(FIRST_NAMES)])
    last_name = factory.Sequence(lambda n: LAST_NAMES[n % len(LAST_NAMES)] + ("" if n < 8 else f"-{letters_for(n)}"))
    birth_date = factory.Sequence(lambda n: date(1950 + n % 60, 1 + n % 12, 1 + n % 28))
    gender = Gender.FEMALE
    country = "UZ"
