"""{% saved_searches "patients:list" %}: the menu of a list page's saved searches and the form to save one."""

from django import template

from hayat.web.forms import SaveSearchForm
from hayat.web.selectors import saved_searches as searches_of
from hayat.web.services import may_remove

register = template.Library()


@register.inclusion_tag("web/_saved_searches.html", takes_context=True)
def saved_searches(context, page: str) -> dict:
    user = context["request"].user
    searches = [(search, may_remove(user, search)) for search in searches_of(user=user, page=page)]
    return {"searches": searches, "csrf_token": context.get("csrf_token"),
            "form": SaveSearchForm(initial={"page": page, "query": context["request"].GET.urlencode()},
                                   auto_id="saved-search-%s")}
