"""The dashboard's figures, each card behind the capability of the report it comes from: the house and the
occupancy ahead for those who read the stay reports, money for those who read revenue, the wards for those who
read clinical figures; the queues card shows each person the queues they work."""

from django.utils.translation import gettext_lazy as _

from hayat.core import clock
from hayat.core.ui import Panel
from hayat.reports import dashboard
from hayat.reports.cells import for_reader, shown
from hayat.reports.registry import PERCENT


def house(user) -> dict:
    return {"figures": dashboard.in_the_house(clock.today())}


def wards(user) -> dict:
    return {"figures": dashboard.on_the_wards(clock.today())}


def outlook(user) -> dict:
    ahead = dashboard.occupancy_ahead(clock.today())
    return {"chart": ahead.chart, "shown": shown(ahead.table), "caption": _("Occupancy, next two weeks")}


def months(user) -> dict:
    figures = dashboard.revenue_by_month(clock.today())
    change = figures.change
    return {"figures": figures, "chart": figures.chart, "shown": shown(figures.table),
            "caption": _("Revenue this month and last"), "change": change,
            "change_text": for_reader(abs(change), PERCENT) if change is not None else ""}


def owed(user) -> dict:
    return {"figures": dashboard.money_owed(clock.today())}


def queues(user) -> dict:
    return {"queues": dashboard.queues_for(user)}


PANELS = [
    Panel(_("In the house today"), "reports/panels/house.html", "reports.stays", house, order=1),
    Panel(_("On the wards today"), "reports/panels/wards.html", "reports.clinical", wards, order=1),
    Panel(_("Revenue this month"), "reports/panels/months.html", "reports.revenue", months, order=2),
    Panel(_("Money owed"), "reports/panels/owed.html", "reports.revenue", owed, order=2),
    Panel(_("Occupancy, next two weeks"), "reports/panels/outlook.html", "reports.stays", outlook, order=3,
          wide=True),
    Panel(_("Queues"), "reports/panels/queues.html", "dashboard.queues", queues, order=4),
]
