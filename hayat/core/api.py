"""API conventions shared by every app: pagination, one error format, strict input.

Errors always read {"detail": message, "code": code} and, for field problems, "errors": {field: [...]}.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from rest_framework import exceptions, renderers, serializers, status
from rest_framework.fields import empty
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from hayat.core import audit
from hayat.core.counting import EstimatingPaginator
from hayat.core.errors import DomainError, FieldsRefused


class Pagination(PageNumberPagination):
    """`count` is exact up to hayat.core.counting.EXACT_BELOW rows, the planner's estimate above (PostgreSQL)."""

    django_paginator_class = EstimatingPaginator
    page_size_query_param = "page_size"
    max_page_size = 200


class ClockTimeSchema(OpenApiSerializerFieldExtension):
    """A time of day ("08:30:00") is described by its pattern: OpenAPI's "time" format is RFC 3339's, which asks
    for a UTC offset that a clock time (opening hours, quiet hours) does not have."""

    target_class = "rest_framework.fields.TimeField"

    def map_serializer_field(self, auto_schema, direction):
        return {"type": "string", "pattern": r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?$", "example": "08:30:00"}


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        body = {"detail": exc.message, "code": exc.code}
        if exc.field:
            body["errors"] = {exc.field: [exc.message]}
        if isinstance(exc, FieldsRefused):
            body["errors"] = {name: [exc.message] for name in exc.fields}
        return Response(body, status=exc.status)
    if isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = response.data if isinstance(response.data, dict) else {"non_field_errors": response.data}
        response.data = {"detail": _("Some fields are not valid."), "code": "invalid", "errors": errors}
    else:
        detail = response.data.get("detail", "") if isinstance(response.data, dict) else response.data
        response.data = {"detail": str(detail), "code": getattr(detail, "code", None) or default_code(response)}
    return response


def default_code(response: Response) -> str:
    return {status.HTTP_401_UNAUTHORIZED: "not_authenticated", status.HTTP_403_FORBIDDEN: "permission_denied",
            status.HTTP_404_NOT_FOUND: "not_found"}.get(response.status_code, "error")


def is_api_request(request: HttpRequest) -> bool:
    return request.path_info == "/api" or request.path_info.startswith("/api/")


def json_error(detail: str, code: str, status_code: int) -> JsonResponse:
    """The common error body for errors that happen outside DRF (no route, server error)."""
    return JsonResponse({"detail": str(detail), "code": code}, status=status_code)


class AnyFileRenderer(renderers.JSONRenderer):
    """Lets a download answer whatever the client's Accept header says. Files go out as they are (the view
    returns a FileResponse, never rendered); only an error reaches a renderer, and it is written as JSON."""

    media_type = "*/*"
    format = "file"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        response = (renderer_context or {}).get("response")
        if response is not None:
            response["Content-Type"] = "application/json"
        return super().render(data, accepted_media_type, renderer_context)


# For a download action: `@action(..., renderer_classes=DOWNLOAD_RENDERERS)`; Accept: application/pdf gets the file.
DOWNLOAD_RENDERERS = [renderers.JSONRenderer, AnyFileRenderer]


class AccessLoggedList:
    """A list API whose rows show patients: every page it answers writes one access-log row per patient on it,
    in one insert. Set `access_what` (a gettext_noop label); override `patient_ids_of(row)` when a row holds
    several patients or names its patient otherwise than `patient_id`."""

    access_what: str

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        audit.log_rows_access(by=self.request.user, rows=page if page is not None else queryset,
                              what=self.access_what, patient_ids_of=self.patient_ids_of)
        return page

    def patient_ids_of(self, row) -> list[int]:
        return [row.patient_id]


def install() -> None:
    """DRF reads a yes/no missing from a form post as False, so a form without `active` would deactivate a
    user. Missing means missing, as in JSON: a required one is refused, an optional one takes its default."""
    serializers.BooleanField.default_empty_html = empty
