import pytest
from django.core.files.storage import default_storage

from hayat.lab.tests.factories import LabTestTypeFactory, make_patient


@pytest.fixture
def patient(db):
    return make_patient()


@pytest.fixture
def cbc(db):
    return LabTestTypeFactory(code="CBC", name="Complete blood count")


@pytest.fixture
def stored_lab_files():
    """Lists every file under lab/ in storage (the test media root is shared by the whole run)."""

    def walk(folder: str = "lab") -> set[str]:
        if not default_storage.exists(folder):
            return set()
        directories, names = default_storage.listdir(folder)
        found = {f"{folder}/{name}" for name in names}
        for directory in directories:
            found |= walk(f"{folder}/{directory}")
        return found

    return walk
