"""REST API of ICD-10: the code search (by code prefix or words of the title) and the code → department
mapping, which everyone reads and Admin keeps."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.response import Response

from hayat.accounts.models import Department
from hayat.clinical import icd_mappings, selectors
from hayat.clinical.icd import normalise_code
from hayat.clinical.models import IcdCode, IcdDepartmentMapping


class IcdCodeOutput(serializers.ModelSerializer):
    class Meta:
        model = IcdCode
        fields = ["code", "title", "chapter", "block", "is_billable", "is_active", "source"]


class MappingOutput(serializers.ModelSerializer):
    department_name = serializers.CharField(source="department.name", read_only=True)
    label = serializers.CharField(read_only=True)

    class Meta:
        model = IcdDepartmentMapping
        fields = ["id", "first", "last", "label", "department", "department_name", "note", "created_at"]


class MappingInput(serializers.Serializer):
    first = serializers.CharField(max_length=10)
    last = serializers.CharField(max_length=10, required=False, allow_blank=True, default="")
    department = serializers.PrimaryKeyRelatedField(queryset=Department.objects.filter(is_active=True))
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class IcdCodeViewSet(viewsets.GenericViewSet):
    """ICD-10 codes: search by code prefix or words (at most 20 answers, billable first by code), one code."""

    capabilities = {"GET": "icd.view"}
    serializer_class = IcdCodeOutput
    lookup_field = "code"
    lookup_value_regex = r"[A-Za-z0-9.]+"
    pagination_class = None

    def get_queryset(self):
        return IcdCode.objects.filter(is_active=True)

    @extend_schema(parameters=[OpenApiParameter("search", str, description="e.g. I21.4, i214, chest pain"),
                               OpenApiParameter("billable", bool)], responses=IcdCodeOutput(many=True))
    def list(self, request):
        params = request.query_params
        codes = selectors.icd_search(params.get("search", "")[:100], billable_only=params.get("billable") == "true")
        return Response(IcdCodeOutput(codes, many=True).data)

    def retrieve(self, request, code=None):
        found = IcdCode.objects.filter(code=normalise_code(code or "")).first()
        if found is None:
            raise Http404
        return Response(IcdCodeOutput(found).data)


class IcdMappingViewSet(viewsets.GenericViewSet):
    """Which department each range of codes belongs to; the narrowest range covering a code wins."""

    capabilities = {"GET": "icd.view", "*": "icd.manage_mapping"}
    serializer_class = MappingOutput
    lookup_value_regex = r"\d+"
    pagination_class = None

    def get_queryset(self):
        return selectors.mappings()

    def list(self, request):
        return Response(MappingOutput(self.get_queryset(), many=True).data)

    def retrieve(self, request, pk=None):
        return Response(MappingOutput(self.get_object()).data)

    @extend_schema(request=MappingInput, responses={201: MappingOutput})
    def create(self, request):
        data = MappingInput(data=request.data)
        data.is_valid(raise_exception=True)
        mapping = icd_mappings.create_mapping(by=request.user, **data.validated_data)
        return Response(MappingOutput(mapping).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=MappingInput, responses=MappingOutput)
    def update(self, request, pk=None):
        data = MappingInput(data=request.data)
        data.is_valid(raise_exception=True)
        mapping = icd_mappings.update_mapping(by=request.user, mapping=self.get_object(), **data.validated_data)
        return Response(MappingOutput(mapping).data)

    @extend_schema(responses={204: None})
    def destroy(self, request, pk=None):
        icd_mappings.delete_mapping(by=request.user, mapping=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
