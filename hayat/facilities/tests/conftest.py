import pytest

from hayat.facilities import availability
from hayat.facilities.tests.fake_occupancy import FakeOccupancy


@pytest.fixture(autouse=True)
def occupancy(monkeypatch) -> FakeOccupancy:
    """Every test here sees only the fake provider's spans, whatever providers other apps install."""
    fake = FakeOccupancy()
    monkeypatch.setattr(availability, "providers", lambda: [fake.occupied])
    return fake
