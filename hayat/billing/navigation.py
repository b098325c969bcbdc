from django.utils.translation import gettext_lazy as _

from hayat.core.ui import ADMINISTRATION, WORK, NavItem

ITEMS = [
    NavItem(_("Bills"), "billing:bill_list", "billing.view", "file-invoice-dollar", WORK),
    NavItem(_("Cash report"), "billing:cash_report", "billing.cash_report", "cash-register", WORK),
    NavItem(_("Paying organisations"), "billing:organisation_list", "billing.manage_payers", "building",
            ADMINISTRATION),
    NavItem(_("Refunds to approve"), "billing:refund_list", "billing.approve_refund", "rotate-left", ADMINISTRATION),
]
