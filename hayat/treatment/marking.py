"""The day sheet's marks: a planned session done, missed or cancelled. Done records the session through the stays'
sessions logic (an included session while some are left, billed beyond them, an extra service when the tariff
includes none); a missed one does the same when the hospital's rule says so. Marking twice changes nothing."""

from __future__ import annotations

from django.utils.translation import gettext as _

from hayat.core import audit, clock, policy
from hayat.core.errors import Conflict, DomainError
from hayat.core.formats import format_date
from hayat.core.transactions import retrying_atomic
from hayat.stays import sessions
from hayat.stays.allowances import sync_allowances
from hayat.stays.models import ServiceUsage, SessionAllowance
from hayat.stays.services import locked
from hayat.treatment.models import PlannedSession, SessionStatus, TreatmentRules
from hayat.treatment.planning import locked_session

MARK = "treatment.mark"
MARKS = (SessionStatus.DONE, SessionStatus.NO_SHOW, SessionStatus.CANCELLED)


def record_usage(*, by, session: PlannedSession) -> ServiceUsage:
    booking = locked(session.booking)
    sync_allowances(booking)
    included = SessionAllowance.objects.filter(booking=booking, patient_id=session.patient_id,
                                               service_id=session.service_id).exists()
    record = sessions.record_session if included else sessions.record_extra_service
    return record(by=by, booking=booking, patient=session.patient, service=session.service, on=session.day)


def uses_session(status: str) -> bool:
    return status == SessionStatus.DONE or (status == SessionStatus.NO_SHOW
                                            and TreatmentRules.current().no_show_uses_session)


@retrying_atomic
def mark_session(*, by, session: PlannedSession, status: str) -> PlannedSession:
    policy.ensure(by, MARK)
    if status not in MARKS:
        raise DomainError(_("Mark a session done, missed or cancelled."), field="status")
    locked(session.booking)
    session = locked_session(session, "booking", "patient", "service")
    if session.status == status:
        return session
    if session.status != SessionStatus.PLANNED:
        raise Conflict(_("This session is %(status)s already.") % {"status": session.get_status_display()},
                       code="already_marked")
    if status != SessionStatus.CANCELLED and session.day > clock.today():
        raise DomainError(_("The session is on %(day)s; mark it on the day.") % {"day": format_date(session.day)},
                          field="status")
    if uses_session(status):
        session.usage = record_usage(by=by, session=session)
    session.status, session.marked_at, session.marked_by = status, clock.now(), by
    session._history_user = by
    session.save(update_fields=["status", "usage", "marked_at", "marked_by"])
    audit.record(f"treatment_session.{status}", by=by, obj=session.booking, patient_id=session.patient_id,
                 changes={"session_status": [SessionStatus.PLANNED, status],
                          "recorded_usage": [None, session.usage_id]})
    return session
