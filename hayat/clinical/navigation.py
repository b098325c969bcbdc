from django.utils.translation import gettext_lazy as _

from hayat.core.ui import SETUP, WORK, NavItem

ITEMS = [
    NavItem(_("Episodes"), "clinical:episode_list", "episodes.view", "hospital-user", WORK),
    NavItem(_("Check-in"), "clinical:episode_create", "episodes.register", "clipboard-list", WORK),
    NavItem(_("ICD-10 departments"), "clinical:mapping_list", "icd.manage_mapping", "sitemap", SETUP),
]
