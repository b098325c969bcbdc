"""The one permission policy: which role may do what. Web views and API views both ask it.

A capability is a verb on a domain ("patients.register"). Each maps to the roles allowed to use it;
anything not listed is denied. Views declare the capability they need, and a test walks every URL
of the project and checks each role against this table.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission

from hayat.core.roles import Role

ADMIN, RECEPTION, DOCTOR, NURSE, TELLER, CODER = (
    Role.ADMIN, Role.RECEPTIONIST, Role.DOCTOR, Role.NURSE, Role.TELLER, Role.CODER,
)
EVERYONE = frozenset(Role)

# Any signed-in user, whatever the role: the dashboard, one's own profile, the API docs.
SIGNED_IN = "signed_in"

CAPABILITIES: dict[str, frozenset[Role]] = {
    # accounts and operations
    "users.manage": frozenset({ADMIN}),
    "audit.view": frozenset({ADMIN}),
    "ops.jobs": frozenset({ADMIN}),
    "ops.backup": frozenset({ADMIN}),
    # patients
    "patients.view": EVERYONE,
    "patients.register": frozenset({ADMIN, RECEPTION}),
    "patients.edit": frozenset({ADMIN, RECEPTION}),
    "patients.merge": frozenset({ADMIN, RECEPTION}),
    "patients.deactivate": frozenset({ADMIN, RECEPTION}),
    "patients.anonymise": frozenset({ADMIN}),
    "patients.delete": frozenset({ADMIN}),
    "patients.audit": frozenset({ADMIN}),
    # facilities and catalog
    "facilities.view": EVERYONE,
    "facilities.manage": frozenset({ADMIN}),
    "maintenance.manage": frozenset({ADMIN, RECEPTION}),
    "catalog.view": EVERYONE,
    "catalog.manage": frozenset({ADMIN}),
    # stays (sanatorium)
    "stays.view": frozenset({ADMIN, RECEPTION, DOCTOR, NURSE, TELLER}),
    "stays.book": frozenset({ADMIN, RECEPTION}),
    "stays.manage": frozenset({ADMIN, RECEPTION}),
    "stays.check_in": frozenset({ADMIN, RECEPTION}),
    "stays.check_out": frozenset({ADMIN, RECEPTION}),
    "stays.record_session": frozenset({RECEPTION, DOCTOR, NURSE}),
    "stays.waitlist": frozenset({ADMIN, RECEPTION}),
    "stays.illness_history": frozenset({DOCTOR, NURSE}),
    "stays.illness_history_view": frozenset({ADMIN, RECEPTION, DOCTOR, NURSE}),
    # the medical record of a stay (hayat.stays.medical): its care team reads it, nurses keep the diary
    "stays.medical_record_view": frozenset({DOCTOR, NURSE}),
    "stays.medical_record": frozenset({DOCTOR}),
    "stays.diary": frozenset({DOCTOR, NURSE}),
    "stays.reservation_deposit": frozenset({ADMIN, RECEPTION, TELLER}),
    # clinical admission (hospital)
    "episodes.view": EVERYONE,
    "episodes.register": frozenset({RECEPTION}),
    # open an episode's record for writing; which fields each role may write: hayat.clinical.field_access
    "episodes.edit": frozenset({RECEPTION, DOCTOR, CODER, TELLER}),
    "episodes.cancel": frozenset({RECEPTION, DOCTOR}),
    "episodes.record_vitals": frozenset({DOCTOR, NURSE}),
    "episodes.document": frozenset({DOCTOR}),
    "episodes.code": frozenset({CODER, TELLER}),
    # ICD-10 codes of an episode: the doctor while documenting, coder or teller while coding (the phase decides)
    "episodes.diagnose": frozenset({DOCTOR, CODER, TELLER}),
    "episodes.assign_bed": frozenset({CODER, TELLER}),
    "episodes.transfer": frozenset({DOCTOR, NURSE, CODER}),
    "episodes.discharge": frozenset({DOCTOR}),
    "icd.view": EVERYONE,
    "icd.manage_mapping": frozenset({ADMIN}),
    # billing
    "billing.view": frozenset({ADMIN, RECEPTION, TELLER}),
    "billing.add_item": frozenset({RECEPTION, TELLER}),
    "billing.take_payment": frozenset({TELLER}),
    "billing.request_refund": frozenset({TELLER}),
    "billing.approve_refund": frozenset({ADMIN}),
    "billing.void": frozenset({ADMIN}),
    "billing.cash_report": frozenset({ADMIN, TELLER}),
    "billing.close_day": frozenset({TELLER}),
    # paying organisations, a booking's payers, moving a guest's lines between bills
    "billing.manage_payers": frozenset({ADMIN, TELLER}),
    "clinical.timed_use": frozenset({DOCTOR, NURSE}),
    # laboratory
    "lab.view": frozenset({ADMIN, DOCTOR, NURSE}),
    "lab.manage": frozenset({DOCTOR, NURSE}),
    "lab.test_types": frozenset({ADMIN}),
    # reports: the list opens to every role that may read one of them; each report asks its own capability
    "reports.view": frozenset({ADMIN, RECEPTION, DOCTOR, TELLER}),
    "reports.stays": frozenset({ADMIN, RECEPTION}),
    "reports.revenue": frozenset({ADMIN, TELLER}),
    "reports.clinical": frozenset({ADMIN, DOCTOR}),
    # the dashboard's queues card: each line asks the capability of working its queue (hayat.reports.dashboard)
    "dashboard.queues": frozenset({ADMIN, RECEPTION, TELLER, CODER}),
    # saved searches: each person keeps their own; removing one shared with everyone is Admin's
    "searches.remove_shared": frozenset({ADMIN}),
    # messages to patients: the outbox, and Admin's texts, switches and quiet hours
    "messages.view": frozenset({ADMIN, RECEPTION}),
    "messages.send": frozenset({ADMIN, RECEPTION}),
    "messages.settings": frozenset({ADMIN}),
    # sanatorium treatment: Admin sets up rooms and therapists, doctors prescribe, reception and nurses plan and mark
    "treatment.view": frozenset({ADMIN, RECEPTION, DOCTOR, NURSE}),
    "treatment.manage": frozenset({ADMIN}),
    "treatment.prescribe": frozenset({DOCTOR}),
    "treatment.plan": frozenset({RECEPTION, NURSE}),
    "treatment.mark": frozenset({RECEPTION, NURSE}),
    # documents (each printed document asks the capability of the record it shows; hayat.documents.kinds)
    "documents.letterhead": frozenset({ADMIN}),
}


def roles_for(capability: str) -> frozenset[Role]:
    if capability not in CAPABILITIES:
        raise KeyError(f"Unknown capability {capability!r}: add it to hayat.core.policy.CAPABILITIES")
    return CAPABILITIES[capability]


def can(user: Any, capability: str) -> bool:
    """True when this user, signed in and active, holds a role allowed to use the capability."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if capability == SIGNED_IN:
        return True
    return user.role in roles_for(capability)


def ensure(user: Any, capability: str) -> None:
    """Raises PermissionDenied unless the user may use the capability (for services and views alike)."""
    if not can(user, capability):
        raise PermissionDenied(capability)


def require_capability(capability: str, **by_method: str) -> Callable:
    """Decorates a web view: signed-in users without the capability get 403.

    A page that shows with one capability and changes data on POST names the stronger one for that method:
    `@require_capability("catalog.view", POST="catalog.manage")`.
    """
    for needed in (capability, *by_method.values()):
        if needed != SIGNED_IN:
            roles_for(needed)  # an unknown capability fails at import, not at the first request

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            ensure(request.user, by_method.get(request.method, capability))
            return view(request, *args, **kwargs)

        wrapper.required_capability = capability
        wrapper.capabilities_by_method = by_method
        return wrapper

    return decorator


def capability_for_web(view: Any, method: str) -> str | None:
    """The capability a web view decorated with `require_capability` needs for this method."""
    by_method: dict[str, str] = getattr(view, "capabilities_by_method", {})
    return by_method.get(method.upper(), getattr(view, "required_capability", None))


class HasCapability(BasePermission):
    """DRF permission reading the view's `capabilities` (action or method → capability).

    A view that declares nothing for the request's action is denied: default deny.
    """

    def has_permission(self, request, view) -> bool:
        capability = capability_for_api(view, request.method)
        return capability is not None and can(request.user, capability)


def capability_for_api(view: Any, method: str) -> str | None:
    capabilities: dict[str, str] = getattr(view, "capabilities", {})
    action = getattr(view, "action", None)
    for key in (action, method.upper(), "*"):
        if key and key in capabilities:
            return capabilities[key]
    return None
