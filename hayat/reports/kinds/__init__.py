"""Every report, in the order of the reports page: one module each, holding its `REPORT` (or several)."""

from hayat.reports.kinds import bookings, clinical, money, occupancy, patients, revenue

ALL = [
    occupancy.REPORT, bookings.ROOM_TYPES, bookings.SEASONS,
    revenue.REPORT, money.PAYMENTS_BY_METHOD, money.CHARGES_BY_KIND, money.OUTSTANDING,
    bookings.CANCELLATIONS, bookings.CANCEL_REASONS, bookings.SOURCES, patients.AGE_GENDER, patients.REGIONS,
    patients.NEW_RETURNING,
    clinical.CENSUS, clinical.LENGTH_OF_STAY, clinical.CASE_MIX, clinical.TOP_CODES, clinical.LAB_BY_TEST,
    clinical.LAB_BY_PERFORMER, clinical.SESSIONS,
]
