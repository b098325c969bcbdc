"""Every report, in the order of the reports page: one module each, holding its `REPORT`."""

from hayat.reports.kinds import occupancy, revenue

ALL = [
    occupancy.REPORT,
    revenue.REPORT,
]
