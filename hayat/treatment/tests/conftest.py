import pytest

from hayat.stays.tests.conftest import TODAY, today  # noqa: F401 - the stays tests' day, for the clock fixture
from hayat.stays.tests.stay_factories import make_service


@pytest.fixture
def massage(db):
    return make_service("Massage", price="80000")


@pytest.fixture
def pool(db):
    return make_service("Pool", price="30000")
