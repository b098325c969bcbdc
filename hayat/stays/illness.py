"""Illness histories: one per guest and stay, registered at check-in, opened by the care team, closed at check-out."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hayat.accounts.models import User
from hayat.core import audit, clock, policy
from hayat.core.errors import DomainError
from hayat.core.lifecycle import Lifecycle
from hayat.core.numbering import next_value
from hayat.core.roles import Role
from hayat.core.transactions import retrying_atomic
from hayat.stays.models import CheckIn, IllnessHistory, IllnessKind, IllnessState, IllnessStateChange

S = IllnessState

ILLNESS = Lifecycle(gettext_lazy("illness history"), {
    S.REGISTRATION: {S.OPEN, S.CLOSED},
    S.OPEN: {S.CLOSED},
    S.CLOSED: set(),
}, dict(IllnessState.choices))

# What the care team may do from the illness history page; closing belongs to check-out.
TEAM_TARGETS = frozenset({S.OPEN})


def actor(by: Any):
    return by if getattr(by, "pk", None) else None


def next_number() -> str:
    """IH-YYYY-NNNNN: a counter per year, unique under concurrency."""
    key = f"IH-{clock.today():%Y}"
    return f"{key}-{next_value(key):05d}"


def check_doctor(doctor: User | None) -> User:
    if doctor is None or doctor.role != Role.DOCTOR or not doctor.is_active:
        raise DomainError(_("Choose an active doctor."), field="doctor")
    return doctor


def check_nurses(nurses: Sequence[User]) -> list[User]:
    for nurse in nurses:
        if nurse.role != Role.NURSE or not nurse.is_active:
            raise DomainError(_("%(name)s is not an active nurse.") % {"name": nurse.full_name}, field="nurses")
    return list(nurses)


def register(*, booking, patient, kind: str, doctor: User, nurses: Sequence[User] = (), by,
             arrival: dict[str, Any] | None = None) -> IllnessHistory:
    """Registers the guest's illness history for this stay (a step of check-in, in its transaction)."""
    if kind not in IllnessKind.values:
        raise DomainError(_("Choose stationary or ambulatory."), field="kind")
    history = IllnessHistory.objects.create(
        number=next_number(), booking=booking, patient=patient, kind=kind, doctor=doctor,
        created_by=actor(by), updated_by=actor(by), **(arrival or {}),
    )
    history.nurses.set(nurses)
    record(history, before="", to=S.REGISTRATION, by=by, reason=_("Checked in"))
    return history


def register_added_guest(booking, patient, *, by) -> None:
    """A guest added to a stay in the house arrives then: their illness history is registered with the check-in's
    doctor, who (or the care team) can change it on the history page. A step of adding or changing a guest."""
    if not booking.is_in_house:
        return
    check_in = CheckIn.objects.filter(booking=booking).select_related("doctor").first()
    if check_in is not None and not IllnessHistory.objects.filter(booking=booking, patient=patient).exists():
        register(booking=booking, patient=patient, kind=IllnessKind.STATIONARY, doctor=check_in.doctor, by=by)


def transition(history: IllnessHistory, *, to: str, by, reason: str = "") -> IllnessStateChange:
    """Moves `history` (locked by the caller) to state `to` if the table allows it; stamps opened/closed."""
    before = history.state
    ILLNESS.check(before, to)
    history.state = to
    if to == S.OPEN:
        history.opened_at = clock.now()
    if to == S.CLOSED:
        history.closed_at = clock.now()
    history.updated_by = actor(by)
    history._history_user = actor(by)
    history.save(update_fields=["state", "opened_at", "closed_at", "updated_by", "updated_at"])
    return record(history, before=before, to=to, by=by, reason=reason)


def record(history: IllnessHistory, *, before: str, to: str, by, reason: str) -> IllnessStateChange:
    audit.record("illness.state", by=by, obj=history, patient_id=history.patient_id,
                 changes={"state": [before or None, to]}, note=reason.strip())
    return IllnessStateChange.objects.create(illness_history=history, at=clock.now(), by=actor(by),
                                             from_status=before, to_status=to, reason=reason.strip())


def close_all(booking, *, by, reason: str, patient_id: int | None = None) -> int:
    """Closes every illness history of the booking (or of one guest) not closed yet (a step of check-out)."""
    histories = IllnessHistory.objects.select_for_update().filter(booking=booking).exclude(state=S.CLOSED)
    if patient_id is not None:
        histories = histories.filter(patient_id=patient_id)
    histories = list(histories.order_by("pk"))
    for history in histories:
        transition(history, to=S.CLOSED, by=by, reason=reason)
    return len(histories)


@retrying_atomic
def change_state(*, by, history: IllnessHistory, to: str, reason: str = "") -> IllnessHistory:
    """The care team opens a registered history (the first examination). Closing happens at check-out."""
    policy.ensure(by, "stays.illness_history")
    history = IllnessHistory.objects.select_for_update().get(pk=history.pk)
    if to not in TEAM_TARGETS:
        raise DomainError(_("An illness history is closed by checking the guest out."), field="to",
                          code="use_check_out")
    transition(history, to=to, by=by, reason=reason)
    return history


@retrying_atomic
def assign_care_team(*, by, history: IllnessHistory, doctor: User | None, nurses: Sequence[User]) -> IllnessHistory:
    """Changes the doctor and the nurses of a history that is not closed."""
    policy.ensure(by, "stays.illness_history")
    history = IllnessHistory.objects.select_for_update().get(pk=history.pk)
    if history.state == S.CLOSED:
        raise DomainError(_("Illness history %(number)s is closed.") % {"number": history.number},
                          code="illness_closed")
    before = {"doctor": history.doctor_id, "nurses": sorted(history.nurses.values_list("pk", flat=True))}
    history.doctor = check_doctor(doctor)
    history.updated_by = actor(by)
    history._history_user = actor(by)
    history.save(update_fields=["doctor", "updated_by", "updated_at"])
    history.nurses.set(check_nurses(nurses))
    after = {"doctor": history.doctor_id, "nurses": sorted(nurse.pk for nurse in nurses)}
    audit.record("illness.care_team", by=by, obj=history, patient_id=history.patient_id,
                 changes=audit.changes_between(before, after))
    return history
