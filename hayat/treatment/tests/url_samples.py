from datetime import time

from hayat.core import clock
from hayat.core.roles import Role
from hayat.stays.tests.stay_factories import make_service
from hayat.treatment import planning, prescriptions, resources
from hayat.treatment.models import PlannedSession
from hayat.treatment.tests.factories import guest_in_house, make_cabinet, make_therapist


def samples(personas: dict) -> dict[str, dict]:
    admin, doctor = personas[Role.ADMIN], personas[Role.DOCTOR]
    receptionist, nurse = personas[Role.RECEPTIONIST], personas[Role.NURSE]
    service = make_service("Treatment sample massage")
    cabinet = make_cabinet(admin, "Treatment sample room", [service], starts=time(0, 0), ends=time(23, 55))
    therapist = make_therapist(admin, nurse, [service], starts=time(0, 0), ends=time(23, 55))
    hours = cabinet.hours.first()
    closed = resources.add_closed_hours(by=admin, name="Sample quiet hours", starts=time(23, 55), ends=time(23, 59))
    booking = guest_in_house(receptionist, doctor, start=clock.today(), services={service: 2},
                             room_name="Treatment-901")
    prescription = prescriptions.prescribe_included(by=doctor, booking=booking)[0]
    planning.plan_stay(by=receptionist, booking=booking)
    session = PlannedSession.objects.filter(booking=booking).first()
    stay = {"pk": booking.pk}
    return {
        "treatment:session_move": {"pk": session.pk},
        "treatment:session_mark": {"pk": session.pk},
        **{f"treatment:{name}": stay for name in ("stay", "prescribe", "prescribe_included", "plan")},
        "treatment:prescription_cancel": {"pk": prescription.pk},
        "treatment:cabinet_edit": {"pk": cabinet.pk},
        "treatment:cabinet_hours_add": {"pk": cabinet.pk},
        "treatment:therapist_edit": {"pk": therapist.pk},
        "treatment:therapist_hours_add": {"pk": therapist.pk},
        "treatment:hours_remove": {"pk": hours.pk},
        "treatment:closed_remove": {"pk": closed.pk},
        "treatment-room-detail": {"pk": cabinet.pk},
        "treatment-room-hours": {"pk": cabinet.pk},
        "therapist-detail": {"pk": therapist.pk},
        "therapist-hours": {"pk": therapist.pk},
        "treatment-hours-detail": {"pk": hours.pk},
        "treatment-closed-hours-detail": {"pk": closed.pk},
        **{f"booking-{name}": stay for name in ("prescriptions", "prescriptions-included", "treatment-plan",
                                                "treatment-moves")},
        "prescription-cancel": {"pk": prescription.pk},
        "treatment-session-detail": {"pk": session.pk},
        "treatment-session-move": {"pk": session.pk},
        "treatment-session-mark": {"pk": session.pk},
    }
