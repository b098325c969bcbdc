"""URL parameters for tests/test_permission_matrix.py: one patient, one region, one district."""

from hayat.patients.tests.factories import DistrictFactory, PatientFactory


def samples(personas) -> dict[str, dict]:
    district = DistrictFactory()
    patient = PatientFactory(region=district.region, district=district)
    return {
        "patients:detail": {"pk": patient.pk},
        "patients:edit": {"pk": patient.pk},
        "patients:set_active": {"pk": patient.pk},
        "patients:merge": {"pk": patient.pk},
        "patients:unmerge": {"pk": patient.pk},
        "patients:anonymise": {"pk": patient.pk},
        "patients:delete": {"pk": patient.pk},
        "patient-detail": {"pk": patient.pk},
        "patient-audit": {"pk": patient.pk},
        "patient-deactivate": {"pk": patient.pk},
        "patient-reactivate": {"pk": patient.pk},
        "patient-merge": {"pk": patient.pk},
        "patient-unmerge": {"pk": patient.pk},
        "patient-anonymise": {"pk": patient.pk},
        "region-detail": {"pk": district.region.pk},
        "district-detail": {"pk": district.pk},
    }
