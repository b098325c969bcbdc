"""REST API of documents: GET /api/documents/<kind>/<id>/ answers the PDF to `Accept: application/pdf` (or
`?format=pdf`), and otherwise JSON naming the document, its languages and the versions issued."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_noop
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from hayat.core import audit
from hayat.core.errors import DomainError
from hayat.core.params import id_from
from hayat.documents import printing
from hayat.documents.kind import Kind
from hayat.documents.models import LANGUAGE_CODES, IssuedDocument


class PDFRenderer(BaseRenderer):
    media_type = printing.PDF
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class IssuedOutput(serializers.ModelSerializer):
    replaces = serializers.CharField(source="replaces.number", default="", read_only=True)

    class Meta:
        model = IssuedDocument
        fields = ["number", "version", "language", "sha256", "issued_at", "replaces"]


class DocumentOutput(serializers.Serializer):
    kind = serializers.CharField()
    title = serializers.CharField()
    pdf = serializers.CharField(help_text="The URL of the PDF (send Accept: application/pdf).")
    languages = serializers.ListField(child=serializers.CharField())
    issued = IssuedOutput(many=True)


class DocumentView(APIView):
    kind: Kind
    renderer_classes = [JSONRenderer, PDFRenderer]

    @extend_schema(
        parameters=[OpenApiParameter("language", str, enum=LANGUAGE_CODES),
                    OpenApiParameter("version", int, description="An issued version (invoices, discharge summaries)")],
        responses={(200, "application/json"): DocumentOutput, (200, printing.PDF): OpenApiTypes.BINARY})
    def get(self, request, pk):
        obj = get_object_or_404(self.kind.queryset(), pk=pk)
        if request.accepted_renderer.format == "pdf":
            return self.pdf(request, obj)
        issued = (IssuedDocument.objects.filter(kind=self.kind.slug, source_id=obj.pk).select_related("replaces")
                  .order_by("version", "id").defer("pdf"))
        audit.log_access_many(by=request.user, patient_ids=self.kind.patient_ids(obj),
                              what=gettext_noop("issued documents"), obj=obj)
        return Response(DocumentOutput({
            "kind": self.kind.slug, "title": str(self.kind.label), "languages": LANGUAGE_CODES, "issued": issued,
            "pdf": request.build_absolute_uri(reverse(f"document-{self.kind.slug}", kwargs={"pk": obj.pk})),
        }).data)

    def pdf(self, request, obj) -> Response:
        try:
            printed = printing.print_document(kind=self.kind, obj=obj, by=request.user,
                                              language=request.query_params.get("language"),
                                              version=id_from(request.query_params.get("version")))
        except DomainError as error:
            raise Http404(error.message) from error
        headers = {"Content-Disposition": f'inline; filename="{printed.filename}"',
                   "Content-Language": printed.language, "Cache-Control": "private, no-store"}
        if printed.issued is not None:
            headers |= {"X-Document-Number": printed.issued.number, "X-Document-SHA256": printed.issued.sha256}
        return Response(printed.pdf, content_type=printing.PDF, headers=headers)

    def handle_exception(self, exc):
        """Errors are JSON like every other API error, even when a PDF was asked for."""
        response = super().handle_exception(exc)
        self.request.accepted_renderer, self.request.accepted_media_type = JSONRenderer(), "application/json"
        return response


def view_for(kind: Kind):
    name = "".join(part.title() for part in kind.slug.split("-")) + "DocumentView"
    return type(name, (DocumentView,), {"kind": kind, "capabilities": {"GET": kind.capability},
                                        "__doc__": f"The {kind.slug} as PDF or its issued versions."}).as_view()
