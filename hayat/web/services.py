"""Writes of the web shell's own data: saving and removing named searches of the list pages."""

from __future__ import annotations

from django.db import transaction
from django.http import QueryDict
from django.urls import resolve, reverse
from django.utils.translation import gettext as _

from hayat.core import audit, clock, policy
from hayat.core.errors import DomainError
from hayat.web.models import SavedSearch, SearchPage

# Query parameters that are no filter: the page of results shown, the submission's own token.
NOT_FILTERS = ("page", "csrfmiddlewaretoken")
QUERY_MAX = 1000


def page_capability(page: str) -> str:
    """What the list page asks of its reader: saving or sharing a search of it asks the same."""
    return policy.capability_for_web(resolve(reverse(page)).func, "GET")


def kept_filters(query: str) -> str:
    """The query string of the search without paging and empty values, in a stable order."""
    parameters = QueryDict(query.lstrip("?"), mutable=True)
    kept = QueryDict(mutable=True)
    for key in sorted(parameters):
        if key in NOT_FILTERS:
            continue
        values = [value for value in parameters.getlist(key) if value.strip()]
        if values:
            kept.setlist(key, values)
    return kept.urlencode()


@transaction.atomic
def save_search(*, by, page: str, name: str, query: str, shared: bool = False) -> SavedSearch:
    """Keeps the filters of a list page under a name; saving again under the same name replaces them."""
    if page not in SearchPage.values:
        raise DomainError(_("Searches of this page cannot be saved."), code="unknown_page", field="page")
    policy.ensure(by, page_capability(page))
    name = " ".join(name.split())
    if not name:
        raise DomainError(_("Give the search a name."), code="name_missing", field="name")
    filters = kept_filters(query)
    if len(filters) > QUERY_MAX:
        raise DomainError(_("This search has too many filters to be saved."), code="query_too_long", field="query")
    search, created = SavedSearch.objects.select_for_update().get_or_create(
        owner=by, page=page, name=name[:80], defaults={"query": filters, "shared": shared, "created_at": clock.now()})
    before = (None, None) if created else (search.query, search.shared)
    if before == (filters, shared):
        return search  # a repeated save (a double click, a retried request) changes nothing
    if not created:
        search.query, search.shared = filters, shared
        search.save(update_fields=["query", "shared"])
    audit.record("saved_search.save", by=by, obj=search,
                 changes={"query": [before[0], filters], "shared": [before[1], shared]})
    return search


def may_remove(user, search: SavedSearch) -> bool:
    """Its owner may remove a search, and Admin a shared one."""
    return search.owner_id == user.pk or (search.shared and policy.can(user, "searches.remove_shared"))


@transaction.atomic
def delete_search(*, by, search: SavedSearch) -> None:
    """Removes a saved search: its owner may, and Admin may remove a shared one."""
    search = SavedSearch.objects.select_for_update().get(pk=search.pk)
    if not may_remove(by, search):
        raise DomainError(_("Only whoever saved this search can remove it."), code="not_owner")
    audit.record("saved_search.delete", by=by, obj=search, note=search.name)
    search.delete()
