"""Reads of the web shell's own data: the searches a person may open on a list page."""

from django.db.models import Q, QuerySet

from hayat.web.models import SavedSearch


def saved_searches(*, user, page: str) -> QuerySet[SavedSearch]:
    """The person's own searches of the page and those colleagues shared, by name."""
    return (SavedSearch.objects.filter(Q(owner=user) | Q(shared=True), page=page)
            .select_related("owner").order_by("name", "pk"))
