"""Reads of staff accounts shared by pages and the API."""

from django.db.models import Q, QuerySet

from hayat.accounts import lockout
from hayat.accounts.models import User


def users(*, search: str = "", role: str = "", active: str = "") -> QuerySet[User]:
    queryset = lockout.with_lock_state(User.objects.select_related("department").prefetch_related("specialisations"))
    if search:
        queryset = queryset.filter(Q(user_id__icontains=search) | Q(full_name__icontains=search))
    if role:
        queryset = queryset.filter(role=role)
    if active in {"yes", "no"}:
        queryset = queryset.filter(is_active=active == "yes")
    return queryset.order_by("full_name")
