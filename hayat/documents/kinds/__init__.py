"""Every kind of printable document, by the slug in its URL."""

from hayat.documents.kind import Kind
from hayat.documents.kinds import episodes, invoice, lab_report, receipt, stays

KINDS: dict[str, Kind] = {kind.slug: kind for kind in (
    stays.BOOKING_CONFIRMATION, stays.WELCOME_PACKET, stays.ROOM_SLIP, stays.TREATMENT_SCHEDULE, stays.CONSENT,
    stays.CHECKOUT_SUMMARY, invoice.KIND, receipt.KIND, episodes.FACE_SHEET, episodes.DISCHARGE_SUMMARY,
    lab_report.KIND,
)}
