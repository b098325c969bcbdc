"""Searches of the list pages kept under a name, by one person or shared with everyone who may see the page."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class SearchPage(models.TextChoices):
    """The list pages whose searches can be kept (route name → label)."""

    PATIENTS = "patients:list", _("Patients")
    BOOKINGS = "stays:booking_list", _("Bookings")


class SavedSearch(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="saved_searches",
                              verbose_name=_("owner"))
    page = models.CharField(_("page"), max_length=40, choices=SearchPage.choices)
    name = models.CharField(_("name"), max_length=80)
    query = models.CharField(_("filters"), max_length=1000, blank=True)
    shared = models.BooleanField(_("shared with colleagues"), default=False)
    created_at = models.DateTimeField(_("saved at"))

    class Meta:
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")
        ordering = ["name", "pk"]
        constraints = [models.UniqueConstraint(fields=["owner", "page", "name"],
                                               name="saved_search_name_once_per_owner_and_page")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        """The list page with the kept filters."""
        address = reverse(self.page)
        return f"{address}?{self.query}" if self.query else address
