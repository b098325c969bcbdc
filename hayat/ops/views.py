"""Operations pages for Admin: the activity log, the audit trail's verification and the background jobs."""

from django.core.paginator import Paginator
from django.shortcuts import render

from hayat.core import audit_chain
from hayat.core.policy import require_capability
from hayat.ops import activity_entries, selectors
from hayat.ops.forms import ActivityFilterForm


@require_capability("audit.view")
def activity(request):
    form = ActivityFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    showing_access = request.GET.get("log") == "access"
    if showing_access:
        rows = selectors.access_log(search=filters.get("q", ""), patient_id=filters.get("patient"),
                                    since=filters.get("since"), until=filters.get("until"))
    else:
        rows = selectors.audit_events(search=filters.get("q", ""), action=filters.get("action", ""),
                                      patient_id=filters.get("patient"),
                                      since=filters.get("since"), until=filters.get("until"))
    if form.errors:  # a filter that cannot be applied matches nothing; its error shows next to it
        rows = rows.none()
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    rows = list(page) if showing_access else activity_entries.entries(list(page))
    return render(request, "ops/activity.html", {"form": form, "page": page, "rows": rows,
                                                 "showing_access": showing_access,
                                                 "chain_head": audit_chain.state(seal_first=False)})


@require_capability("audit.view")
def audit_verify(request):
    """GET seals what is pending and shows the chain's head; POST walks the whole chain (a minute at most for a
    million rows) and says what it found."""
    head = audit_chain.state()
    verdict = audit_chain.verify() if request.method == "POST" else None
    return render(request, "ops/audit_verify.html", {"chain_head": head, "verdict": verdict})


@require_capability("ops.jobs")
def jobs(request):
    return render(request, "ops/jobs.html", {
        "schedules": selectors.schedules(), "health": selectors.worker_health(), **selectors.recent_runs(),
    })
