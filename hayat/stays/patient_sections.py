from django.utils.translation import gettext_lazy as _

from hayat.core.policy import can
from hayat.core.ui import PatientSection
from hayat.stays import selectors


def bookings(patient, user) -> dict:
    return {"bookings": selectors.bookings_of_patient(patient), "patient": patient,
            "may_book": can(user, "stays.book")}


SECTIONS = [PatientSection(_("Bookings"), "stays/patient_section.html", "stays.view", bookings, order=20)]
