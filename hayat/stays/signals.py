"""Signals other apps listen to (billing opens and closes bills on them); sent inside the transaction."""

from django.dispatch import Signal

# Sent by hayat.stays.lifecycle for every status change, including the first one (from_status "").
# Arguments: booking, from_status, to_status, by.
booking_status_changed = Signal()

# Sent by the stays use cases that change what a stay costs besides its status (a billable service usage,
# a mid-stay change of room or tariff), inside their transaction. Arguments: booking, by.
booking_charges_changed = Signal()

# Sent by the stays use cases that give a guest another room or tariff (a mid-stay change, a guest line edited),
# inside their transaction, after the allowances follow the tariff and before `booking_charges_changed`.
# Arguments: booking, patient_id, tariff_changed, by.
guest_period_changed = Signal()

# Sent by hayat.stays.sessions.undo_usage inside its transaction, before the bill follows through
# booking_charges_changed: a receiver refuses the undo (raising a DomainError) when the money is settled.
# Arguments: booking, usage, by.
service_usage_undone = Signal()

# Sent by hayat.stays.vacancies when a waitlist entry is offered a freed place, inside the change that freed it.
# Arguments: entry. A receiver that queues a message to the patient returns True; when none does, the entry waits
# for the desk to call the patient.
waitlist_place_offered = Signal()
